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

/// Writes what [`render`] returns straight to `out`, without holding the
/// whole text (a large assessment's JSON is several times its evidence).
pub fn write(a: &Assessment, out: &mut dyn std::io::Write) {
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let written = serde_json::to_writer_pretty(&mut buffered, a).map_err(std::io::Error::from);
    let _ = written.and_then(|()| std::io::Write::write_all(&mut buffered, b"\n")).and_then(|()| std::io::Write::flush(&mut buffered));
}

/// The assessment on one line, for JSON Lines (`--format jsonl`).
pub fn render_compact(a: &Assessment) -> String {
    serde_json::to_string(a).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
