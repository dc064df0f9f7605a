//! A small layered layout for the evidence graph, so the HTML report can draw
//! it without Graphviz: nodes keep the layer they are given (left to right),
//! and within a layer are ordered by the barycentre of their neighbours in a
//! few sweeps (Sugiyama's heuristic, without dummy nodes: long edges are
//! drawn as curves). Deterministic: ties keep the input order.

/// Where each node goes, and the size of the drawing.
pub struct Layout {
    /// Top-left corner of each node's box, in input order.
    pub positions: Vec<(f64, f64)>,
    /// Width of the whole drawing, margins included, in SVG user units (pixels).
    pub width: f64,
    /// Height of the whole drawing, margins included, in SVG user units (pixels).
    pub height: f64,
}

/// Width of a node's box, in SVG user units (pixels).
pub const NODE_WIDTH: f64 = 180.0;
/// Height of a node's box, in SVG user units (pixels).
pub const NODE_HEIGHT: f64 = 26.0;
const LAYER_GAP: f64 = 70.0;
const ROW_GAP: f64 = 10.0;
const MARGIN: f64 = 10.0;
const SWEEPS: usize = 6;

/// Lays out nodes on the given layers (`layers[n]` is node `n`'s layer; empty
/// layers take no room), ordering each layer to reduce crossings of `edges`
/// (pairs of node indices; out-of-range ones are ignored).
pub fn layered(layers: &[usize], edges: &[(usize, usize)]) -> Layout {
    // Layers nobody is on take no room.
    let used: std::collections::BTreeSet<usize> = layers.iter().copied().collect();
    let dense: Vec<usize> = layers.iter().map(|l| used.range(..*l).count()).collect();
    let layers = &dense[..];
    let edges: Vec<(usize, usize)> = edges.iter().copied().filter(|&(a, b)| a < layers.len() && b < layers.len()).collect();
    let count = layers.iter().copied().max().map_or(0, |m| m + 1);
    let mut rows: Vec<Vec<usize>> = vec![vec![]; count];
    for (node, &layer) in layers.iter().enumerate() {
        rows[layer].push(node);
    }
    let mut rank = vec![0.0; layers.len()];
    let update = |rows: &[Vec<usize>], rank: &mut Vec<f64>| {
        for row in rows {
            for (i, &n) in row.iter().enumerate() {
                rank[n] = i as f64;
            }
        }
    };
    update(&rows, &mut rank);
    for sweep in 0..SWEEPS {
        let forward = sweep % 2 == 0;
        let order: Vec<usize> = if forward { (1..count).collect() } else { (0..count.saturating_sub(1)).rev().collect() };
        for l in order {
            let neighbours = |n: usize| -> Vec<usize> {
                edges
                    .iter()
                    .filter_map(|&(a, b)| {
                        if a == n && (if forward { layers[b] < l } else { layers[b] > l }) {
                            Some(b)
                        } else if b == n && (if forward { layers[a] < l } else { layers[a] > l }) {
                            Some(a)
                        } else {
                            None
                        }
                    })
                    .collect()
            };
            let mut keyed: Vec<(f64, usize, usize)> = rows[l]
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let near = neighbours(n);
                    let key = if near.is_empty() {
                        rank[n]
                    } else {
                        near.iter().map(|&m| rank[m] / rows[layers[m]].len().max(1) as f64).sum::<f64>() / near.len() as f64
                            * rows[l].len() as f64
                    };
                    (key, i, n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            rows[l] = keyed.into_iter().map(|(_, _, n)| n).collect();
            update(&rows, &mut rank);
        }
    }
    let tallest = rows.iter().map(Vec::len).max().unwrap_or(0) as f64;
    let height = 2.0 * MARGIN + tallest * NODE_HEIGHT + (tallest - 1.0).max(0.0) * ROW_GAP;
    let width = 2.0 * MARGIN + count as f64 * NODE_WIDTH + (count as f64 - 1.0).max(0.0) * LAYER_GAP;
    let mut positions = vec![(0.0, 0.0); layers.len()];
    for (l, row) in rows.iter().enumerate() {
        let used = row.len() as f64 * NODE_HEIGHT + (row.len() as f64 - 1.0).max(0.0) * ROW_GAP;
        let top = MARGIN + (height - 2.0 * MARGIN - used) / 2.0;
        for (i, &n) in row.iter().enumerate() {
            positions[n] = (MARGIN + l as f64 * (NODE_WIDTH + LAYER_GAP), top + i as f64 * (NODE_HEIGHT + ROW_GAP));
        }
    }
    Layout { positions, width, height }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crossing_edges_are_uncrossed() {
        // 0,1 on layer 0; 2,3 on layer 1; 0→3 and 1→2 cross as given.
        let layout = layered(&[0, 0, 1, 1], &[(0, 3), (1, 2)]);
        let y = |n: usize| layout.positions[n].1;
        assert_eq!(y(0) < y(1), y(3) < y(2), "edges should not cross: {:?}", layout.positions);
        assert!(layout.positions[2].0 > layout.positions[0].0);
    }

    #[test]
    fn boxes_do_not_overlap_and_fit() {
        let layers = [0, 1, 1, 1, 2, 2, 0];
        let layout = layered(&layers, &[(0, 1), (0, 2), (6, 3), (1, 4), (3, 5), (2, 5)]);
        for a in 0..layers.len() {
            let (x, y) = layout.positions[a];
            assert!(x >= 0.0 && y >= 0.0 && x + NODE_WIDTH <= layout.width && y + NODE_HEIGHT <= layout.height);
            for b in 0..a {
                let (u, v) = layout.positions[b];
                assert!(layers[a] != layers[b] || (y - v).abs() >= NODE_HEIGHT, "{a} and {b} overlap");
                assert!(layers[a] == layers[b] || (x - u).abs() >= NODE_WIDTH);
            }
        }
    }

    #[test]
    fn empty_graph_and_empty_layers() {
        let layout = layered(&[], &[]);
        assert!(layout.positions.is_empty());
        let layout = layered(&[0, 4], &[(0, 1), (0, 9)]);
        assert_eq!(layout.positions[1].0, NODE_WIDTH + LAYER_GAP + MARGIN);
    }
}
