//! The JSON report (docs/output.md): the assessment serialised as is.

use super::model::Assessment;

/// The assessment as pretty-printed JSON, the documented format of docs/output.md.
pub fn render(a: &Assessment) -> String {
    let mut text = serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// Any view (docs/output.md) as pretty JSON with a final newline.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
