//! The JSON report (docs/output.md): the assessment serialised as is.

use super::model::Assessment;

pub fn render(a: &Assessment) -> String {
    let mut text = serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}

/// The assessment on one line, for JSON Lines (`--format jsonl`).
pub fn render_compact(a: &Assessment) -> String {
    serde_json::to_string(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
