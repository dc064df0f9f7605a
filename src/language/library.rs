//! The standard rule library in rules/, compiled into the binary.

use super::RuleText;

/// The files of rules/, in load order.
pub const STANDARD: &[(&str, &str)] = &[
    ("rules/infrastructure.ascr", include_str!("../../rules/infrastructure.ascr")),
];

pub fn standard() -> Vec<RuleText> {
    STANDARD.iter().map(|(name, text)| RuleText { name: name.to_string(), text: text.to_string() }).collect()
}
