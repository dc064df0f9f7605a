//! Dense evidence: one question whose reports overlap so much that exact
//! weighing exceeds any practical budget (before bounds, such questions were
//! refused). Each report asserts that one address was used in the incident and
//! where another address is, drawn by a fixed generator, so every argument
//! shares reports with many others. Every name is fictional; countries use the
//! ISO 3166 user-assigned codes XA to XT.

#![allow(dead_code)]

use std::fmt::Write;

/// A 64-bit linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn country(i: usize) -> String {
    format!("X{}", (b'A' + i as u8) as char)
}

/// `actors` hypotheses (at most 20), `reports` reports about `addresses` addresses.
pub fn overlapping(actors: usize, reports: usize, addresses: usize) -> String {
    let mut rng = Lcg(7);
    let mut y = String::from(
        "sources:\n  - {id: lab, name: Lab, kind: vendor, reliability: B}\n  - {id: cert, name: CERT, kind: government, reliability: C}\nactors:\n",
    );
    for a in 0..actors {
        let _ = writeln!(y, "  - {{id: a{a:02}, name: Actor {a:02}, country: {}}}", country(a));
    }
    y.push_str("incidents:\n  - {id: inc, date: 2030-01-01}\nartifacts:\n");
    for i in 0..addresses {
        let _ = writeln!(y, "  - {{id: ip{i:02}, kind: ip}}");
    }
    let hypotheses: Vec<String> = (0..actors).map(|a| format!("a{a:02}")).collect();
    let _ = writeln!(y, "questions:\n  - {{id: q, incident: inc, hypotheses: [{}]}}\nreports:", hypotheses.join(", "));
    for k in 0..reports {
        let (used, placed) = (rng.below(addresses), rng.below(addresses));
        let role = ["access", "send_receive"][rng.below(2)];
        let to = country(rng.below(actors));
        let credibility = 2 + rng.below(3);
        let _ = writeln!(
            y,
            "  - {{ id: r{k:03}, source: {}, date: 2030-02-01, credibility: {credibility}, asserts: [ {{ observed: {{ artifact: ip{used:02}, incident: inc, role: {role} }} }}, {{ geolocation: {{ artifact: ip{placed:02}, country: {to} }} }} ] }}",
            ["lab", "cert"][k % 2]
        );
    }
    y
}

/// Two incidents: `busy`, where `addresses` addresses were each seen and
/// geolocated (so every infrastructure rule has `addresses` matches there),
/// and `calm`, with one address in two reports. With a small `--budget` the
/// infrastructure rules run out on `busy` alone. `busy: false` leaves it out
/// (`calm` alone, to compare with).
pub fn one_busy_incident(addresses: usize, busy: bool) -> String {
    let mut y = String::from(
        "sources:\n  - {id: lab, name: Lab, kind: vendor, reliability: B}\nactors:\n  - {id: red, name: Red, country: XA}\n  - {id: blue, name: Blue, country: XB}\nincidents:\n",
    );
    if busy {
        y.push_str("  - {id: busy, date: 2030-01-01}\n");
    }
    y.push_str("  - {id: calm, date: 2030-01-02}\nartifacts:\n");
    if busy {
        for i in 0..addresses {
            let _ = writeln!(y, "  - {{id: ip{i:03}, kind: ip}}");
        }
    }
    y.push_str("  - {id: home, kind: ip}\nquestions:\n");
    if busy {
        y.push_str("  - {id: who-busy, incident: busy, hypotheses: [red, blue]}\n");
    }
    y.push_str("  - {id: who-calm, incident: calm, hypotheses: [red, blue]}\nreports:\n");
    if busy {
        for i in 0..addresses {
            let _ = writeln!(
                y,
                "  - {{ id: b{i:03}, source: lab, date: 2030-02-01, credibility: 2, asserts: [ {{ observed: {{ artifact: ip{i:03}, incident: busy, role: send_receive }} }}, {{ geolocation: {{ artifact: ip{i:03}, country: {} }} }} ] }}",
                country(i % 2)
            );
        }
    }
    y.push_str("  - { id: c1, source: lab, date: 2030-02-01, credibility: 2, asserts: [ { observed: { artifact: home, incident: calm, role: send_receive } } ] }\n");
    y.push_str(
        "  - { id: c2, source: lab, date: 2030-02-02, credibility: 3, asserts: [ { geolocation: { artifact: home, country: XA } } ] }\n",
    );
    y
}
