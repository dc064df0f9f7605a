//! STIX 2.1 `confidence` (0 to 100) and the scales ascribe speaks, per the
//! STIX 2.1 specification's appendix of confidence scales: Admiralty
//! credibility for a report's grading, None/Low/Med/High for a source's own
//! hedge, and the DNI scale (ICD 203 terms) for the probabilities ascribe
//! exports.

/// Admiralty credibility (1 to 5) of a STIX confidence; absent → 6 ("truth
/// cannot be judged"). Appendix: 80–100 → 1, 60–79 → 2, 40–59 → 3, 20–39 → 4, 0–19 → 5.
pub fn credibility(confidence: Option<u64>) -> u8 {
    match confidence {
        None => 6,
        Some(c) if c >= 80 => 1,
        Some(c) if c >= 60 => 2,
        Some(c) if c >= 40 => 3,
        Some(c) if c >= 20 => 4,
        Some(_) => 5,
    }
}

/// The STIX confidence of an Admiralty credibility (appendix: 1 → 90, 2 → 70,
/// 3 → 50, 4 → 30, 5 → 10); 6 is written as no confidence at all.
pub fn from_credibility(credibility: u8) -> Option<u64> {
    match credibility {
        1 => Some(90),
        2 => Some(70),
        3 => Some(50),
        4 => Some(30),
        5 => Some(10),
        _ => None,
    }
}

/// A source's own hedge on a statement from its STIX confidence, on the
/// None/Low/Med/High scale (1–29 low, 30–69 moderate, 70–100 high). 0 ("None")
/// has no word: the importer does not assert such a statement.
pub fn stated(confidence: u64) -> Option<&'static str> {
    match confidence {
        0 => None,
        1..=29 => Some("low"),
        30..=69 => Some("moderate"),
        _ => Some("high"),
    }
}

/// The STIX confidence of an ascribe hedge: low/moderate/high by the
/// None/Low/Med/High scale (15, 50, 85), ICD 203 terms by the DNI scale.
pub fn from_stated(word: &str) -> Option<u64> {
    Some(match word {
        "low" => 15,
        "moderate" => 50,
        "high" => 85,
        "possible" => 30,
        other => return from_estimative(other),
    })
}

/// The STIX confidence of an ICD 203 term, by the appendix's DNI scale.
pub fn from_estimative(term: &str) -> Option<u64> {
    Some(match term {
        "almost no chance" => 5,
        "very unlikely" => 15,
        "unlikely" => 30,
        "roughly even chance" => 50,
        "likely" => 70,
        "very likely" => 85,
        "almost certain" => 95,
        _ => return None,
    })
}

/// The ICD 203 term a STIX consumer reads from a confidence by the DNI scale
/// (0–9, 10–19, 20–39, 40–59, 60–79, 80–89, 90–100).
pub fn estimative(confidence: u64) -> &'static str {
    match confidence {
        0..=9 => "almost no chance",
        10..=19 => "very unlikely",
        20..=39 => "unlikely",
        40..=59 => "roughly even chance",
        60..=79 => "likely",
        80..=89 => "very likely",
        _ => "almost certain",
    }
}

/// The Admiralty reliability letter in OpenCTI's `x_opencti_reliability`
/// (`B - Usually reliable`, `B`, `b`).
pub fn reliability(text: &str) -> Option<&'static str> {
    let t = text.trim();
    let mut chars = t.chars();
    let first = chars.next()?.to_ascii_uppercase();
    let rest = chars.as_str().trim_start();
    if !(rest.is_empty() || rest.starts_with('-') || rest.starts_with(':')) {
        return None;
    }
    ["A", "B", "C", "D", "E", "F"].into_iter().find(|g| g.starts_with(first))
}

/// OpenCTI's wording of a reliability letter.
pub fn reliability_text(grade: &str) -> String {
    let words = match grade {
        "A" => "Completely reliable",
        "B" => "Usually reliable",
        "C" => "Fairly reliable",
        "D" => "Not usually reliable",
        "E" => "Unreliable",
        _ => "Reliability cannot be judged",
    };
    format!("{grade} - {words}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admiralty_round_trips_through_the_appendix_values() {
        for grade in 1..=5u8 {
            assert_eq!(credibility(from_credibility(grade)), grade);
        }
        assert_eq!(credibility(None), 6);
        assert_eq!(from_credibility(6), None);
        assert_eq!(credibility(Some(79)), 2);
        assert_eq!(credibility(Some(80)), 1);
        assert_eq!(credibility(Some(0)), 5);
    }

    #[test]
    fn dni_terms_round_trip() {
        for term in ["almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely", "very likely", "almost certain"] {
            assert_eq!(estimative(from_estimative(term).unwrap()), term);
        }
    }

    #[test]
    fn hedges_round_trip() {
        for word in ["low", "moderate", "high"] {
            assert_eq!(stated(from_stated(word).unwrap()), Some(word));
        }
        assert_eq!(stated(0), None);
    }

    #[test]
    fn reads_opencti_reliability() {
        assert_eq!(reliability("B - Usually reliable"), Some("B"));
        assert_eq!(reliability("f"), Some("F"));
        assert_eq!(reliability("Bogus"), None);
        assert_eq!(reliability("G"), None);
        assert_eq!(reliability(&reliability_text("C")), Some("C"));
    }
}
