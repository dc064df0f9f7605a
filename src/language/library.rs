//! The standard rule library in rules/, compiled into the binary.

use super::RuleText;

/// The files of rules/, in load order.
pub const STANDARD: &[(&str, &str)] = &[
    ("rules/infrastructure.ascr", include_str!("../../rules/infrastructure.ascr")),
    ("rules/malware.ascr", include_str!("../../rules/malware.ascr")),
    ("rules/claims.ascr", include_str!("../../rules/claims.ascr")),
    ("rules/context.ascr", include_str!("../../rules/context.ascr")),
    ("rules/deception.ascr", include_str!("../../rules/deception.ascr")),
    ("rules/campaigns.ascr", include_str!("../../rules/campaigns.ascr")),
    ("rules/profiles.ascr", include_str!("../../rules/profiles.ascr")),
];

pub fn standard() -> Vec<RuleText> {
    STANDARD.iter().map(|(name, text)| RuleText { name: name.to_string(), text: text.to_string() }).collect()
}
