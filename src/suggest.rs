//! "Did you mean ...?" for unknown names.

/// Names longer than this (in characters) get no suggestion: comparing them
/// costs the product of the lengths, and nobody mistypes a name that long.
pub const MAX_NAME: usize = 64;

/// The closest candidate within a small edit distance, if any.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = name.chars().count();
    if length > MAX_NAME {
        return None;
    }
    let limit = (length / 3).max(2);
    candidates
        .into_iter()
        // A candidate whose length differs by more than the limit cannot be within it.
        .filter(|c| c.len() <= 4 * (MAX_NAME + limit) && c.chars().count().abs_diff(length) <= limit)
        .map(|c| (distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` help text, if a close candidate exists.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(name, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Levenshtein distance over characters.
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb { prev } else { 1 + prev.min(row[j]).min(row[j + 1]) };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_near_names_only() {
        assert_eq!(closest("geolocaton", ["geolocation", "observed"]), Some("geolocation"));
        assert_eq!(closest("zzz", ["geolocation", "observed"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
        let long = "x".repeat(10_000);
        assert_eq!(closest(&long, [long.as_str()]), None);
        assert_eq!(closest("observed", [long.as_str(), "observd"]), Some("observd"));
    }
}
