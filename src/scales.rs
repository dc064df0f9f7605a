//! The published scales ascribe speaks in: Admiralty grading, the ENFSI verbal
//! scale of likelihood ratios, and the ICD 203 terms of likelihood.

/// Admiralty source reliability as a probability (MISP values; F counts as 0.5).
pub fn reliability_weight(grade: &str) -> Option<f64> {
    Some(match grade {
        "A" => 1.0,
        "B" => 0.75,
        "C" => 0.5,
        "D" => 0.25,
        "E" => 0.0,
        "F" => 0.5,
        _ => return None,
    })
}

/// Admiralty information credibility as a probability (MISP values; 6 counts as 0.5).
pub fn credibility_weight(grade: u8) -> Option<f64> {
    Some(match grade {
        1 => 1.0,
        2 => 0.75,
        3 => 0.5,
        4 => 0.25,
        5 => 0.0,
        6 => 0.5,
        _ => return None,
    })
}

/// The probability that a report is genuine: its source is reliable and its
/// information credible, independently (docs/semantics.md).
pub fn genuineness(reliability: f64, credibility: f64) -> f64 {
    reliability * credibility
}

/// The probability that a report is genuine from its grading. "Cannot be
/// judged" on one side counts as an even chance; on both (F6) nothing is known
/// of the report at all, so it carries no weight (docs/semantics.md, section 3).
pub fn report_genuineness(reliability: &str, credibility: u8) -> f64 {
    if reliability == "F" && credibility == 6 {
        return 0.0;
    }
    genuineness(reliability_weight(reliability).unwrap_or(0.5), credibility_weight(credibility).unwrap_or(0.5))
}

/// An Admiralty grading in words (NATO / MISP admiralty-scale terms):
/// "usually reliable source, information probably true" for `B2`.
pub fn grading_words(reliability: &str, credibility: u8) -> String {
    let source = match reliability {
        "A" => "completely reliable source",
        "B" => "usually reliable source",
        "C" => "fairly reliable source",
        "D" => "source not usually reliable",
        "E" => "unreliable source",
        _ => "source whose reliability cannot be judged",
    };
    let information = match credibility {
        1 => "information confirmed by other sources",
        2 => "information probably true",
        3 => "information possibly true",
        4 => "information doubtful",
        5 => "information improbable",
        _ => "truth of the information cannot be judged",
    };
    format!("{source}, {information}")
}

/// A grading code such as `B2` in words, or `None` when it is not one.
pub fn grading_code_words(grading: &str) -> Option<String> {
    let mut chars = grading.chars();
    let (reliability, credibility) = (chars.next()?, chars.next()?.to_digit(10)?);
    if chars.next().is_some() {
        return None;
    }
    Some(grading_words(&reliability.to_string(), credibility as u8))
}

/// One band of the ENFSI (2015) verbal scale, with the ratio a rule uses when it
/// names the band. The value is a round number inside the band, near its geometric centre.
pub struct VerbalTerm {
    /// Its name in rules (`weak`, `moderate`, ...).
    pub name: &'static str,
    /// The likelihood ratio it stands for.
    pub ratio: f64,
    /// The range of ratios the band covers, in words.
    pub band: &'static str,
}

/// The six bands, weakest first.
pub const VERBAL_SCALE: [VerbalTerm; 6] = [
    VerbalTerm { name: "weak", ratio: 3.0, band: "1 to 10" },
    VerbalTerm { name: "moderate", ratio: 30.0, band: "10 to 100" },
    VerbalTerm { name: "moderately_strong", ratio: 300.0, band: "100 to 1,000" },
    VerbalTerm { name: "strong", ratio: 3000.0, band: "1,000 to 10,000" },
    VerbalTerm { name: "very_strong", ratio: 100000.0, band: "10,000 to 1,000,000" },
    VerbalTerm { name: "extremely_strong", ratio: 10000000.0, band: "above 1,000,000" },
];

/// The ratio of a verbal term, if it is one.
pub fn verbal_ratio(name: &str) -> Option<f64> {
    VERBAL_SCALE.iter().find(|t| t.name == name).map(|t| t.ratio)
}

/// The verbal band a ratio falls in (by its strength, whichever direction).
pub fn verbal_band(ratio: f64) -> &'static str {
    let strength = if ratio < 1.0 { 1.0 / ratio } else { ratio };
    match strength {
        s if s <= 1.0 => "none",
        s if s < 10.0 => "weak",
        s if s < 100.0 => "moderate",
        s if s < 1000.0 => "moderately strong",
        s if s < 10000.0 => "strong",
        s if s <= 1_000_000.0 => "very strong",
        _ => "extremely strong",
    }
}

/// The ICD 203 term for a probability. Bands are half-open at their upper end:
/// [0, .05) almost no chance, [.05, .20) very unlikely, [.20, .45) unlikely,
/// [.45, .55] roughly even chance, (.55, .80] likely, (.80, .95] very likely,
/// (.95, 1] almost certain.
pub fn estimative(p: f64) -> &'static str {
    match p {
        p if p < 0.05 => "almost no chance",
        p if p < 0.20 => "very unlikely",
        p if p < 0.45 => "unlikely",
        p if p <= 0.55 => "roughly even chance",
        p if p <= 0.80 => "likely",
        p if p <= 0.95 => "very likely",
        _ => "almost certain",
    }
}

/// The ICD 203 term an assessment uses for a probability, which never claims
/// more than its evidence base supports (docs/semantics.md, section 10): the
/// outer terms (almost certain, almost no chance) need high analytic confidence
/// and at least two independent sources behind the leading judgment; the next
/// (very likely, very unlikely) need at least moderate confidence. Otherwise the
/// term steps back towards the middle, and the probability is still printed.
pub fn estimative_with_confidence(p: f64, confidence: &str, independent_sources: usize) -> &'static str {
    let term = estimative(p);
    let outer_allowed = confidence == "high" && independent_sources >= 2;
    let very_allowed = confidence == "high" || confidence == "moderate";
    match term {
        "almost certain" if !outer_allowed => estimative_with_confidence(0.95, confidence, independent_sources),
        "almost no chance" if !outer_allowed => estimative_with_confidence(0.05, confidence, independent_sources),
        "very likely" if !very_allowed => "likely",
        "very unlikely" if !very_allowed => "unlikely",
        _ => term,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradings_in_words() {
        assert_eq!(grading_code_words("B2").as_deref(), Some("usually reliable source, information probably true"));
        assert_eq!(
            grading_code_words("F6").as_deref(),
            Some("source whose reliability cannot be judged, truth of the information cannot be judged")
        );
        assert_eq!(grading_code_words("B"), None);
        assert_eq!(grading_code_words("B22"), None);
    }

    #[test]
    fn estimative_bands_follow_icd_203() {
        assert_eq!(estimative(0.01), "almost no chance");
        assert_eq!(estimative(0.05), "very unlikely");
        assert_eq!(estimative(0.5), "roughly even chance");
        assert_eq!(estimative(0.80), "likely");
        assert_eq!(estimative(0.8001), "very likely");
        assert_eq!(estimative(0.99), "almost certain");
    }

    #[test]
    fn terms_never_claim_more_than_the_confidence_allows() {
        assert_eq!(estimative_with_confidence(0.99, "high", 2), "almost certain");
        assert_eq!(estimative_with_confidence(0.99, "high", 1), "very likely");
        assert_eq!(estimative_with_confidence(0.99, "moderate", 3), "very likely");
        assert_eq!(estimative_with_confidence(0.99, "low", 3), "likely");
        assert_eq!(estimative_with_confidence(0.01, "low", 3), "unlikely");
        assert_eq!(estimative_with_confidence(0.10, "moderate", 1), "very unlikely");
        assert_eq!(estimative_with_confidence(0.50, "low", 0), "roughly even chance");
    }

    #[test]
    fn verbal_terms_sit_inside_their_bands() {
        for term in VERBAL_SCALE {
            let band = verbal_band(term.ratio).replace(' ', "_");
            assert_eq!(band, term.name);
        }
        assert_eq!(verbal_band(1.0 / 30.0), "moderate");
        assert_eq!(genuineness(0.75, 0.75), 0.5625);
        assert_eq!(report_genuineness("B", 2), 0.5625);
        assert_eq!(report_genuineness("F", 2), 0.375);
        assert_eq!(report_genuineness("F", 6), 0.0);
    }
}
