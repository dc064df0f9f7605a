//! The JSON report (docs/output.md): the assessment serialised as is.

use super::model::{Assessment, QuestionOutcome};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use std::borrow::Borrow;
use std::cell::RefCell;

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

/// Writes the same text as [`write`] for `rest` with `questions` in place of
/// its (empty) `questions`, taking each question from the iterator as it is
/// written: a large assessment's questions need not be held all at once.
pub fn write_streamed(rest: &Assessment, questions: impl Iterator<Item = QuestionOutcome>, out: &mut dyn std::io::Write) {
    write_streamed_then(&rest.as_of, rest.unweighed_omitted.is_some(), questions, || rest, out);
}

/// [`write_streamed`] with the rest of the assessment asked for only once the
/// questions are written (they come before it): it can be computed meanwhile.
/// `as_of` and whether what weighed nothing is only counted
/// (`unweighed_omitted`) must be those of the rest.
pub fn write_streamed_then<R: Borrow<Assessment>>(
    as_of: &Option<String>,
    counted: bool,
    questions: impl Iterator<Item = QuestionOutcome>,
    rest: impl FnOnce() -> R,
    out: &mut dyn std::io::Write,
) {
    let streamed = Streamed { as_of, counted, questions: RefCell::new(Some(questions)), rest: RefCell::new(Some(rest)) };
    // A large buffer: the text of a large set runs to gigabytes, written in few calls.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 20, out);
    let written = serde_json::to_writer_pretty(&mut buffered, &streamed).map_err(std::io::Error::from);
    let _ = written.and_then(|()| std::io::Write::write_all(&mut buffered, b"\n")).and_then(|()| std::io::Write::flush(&mut buffered));
}

/// An assessment whose questions come from an iterator, and the rest of it
/// from a function called once they are written. Serialised field by field as
/// `#[derive(Serialize)]` does [`Assessment`] (same names, order and skipped
/// fields), so the text is byte for byte the same.
struct Streamed<'a, I, F> {
    as_of: &'a Option<String>,
    /// Whether `unweighed_omitted` is written.
    counted: bool,
    /// Taken when the questions are written (serialising takes `&self`).
    questions: RefCell<Option<I>>,
    /// Taken after the questions are written.
    rest: RefCell<Option<F>>,
}

impl<I: Iterator<Item = QuestionOutcome>, R: Borrow<Assessment>, F: FnOnce() -> R> Serialize for Streamed<'_, I, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = if self.counted { 6 } else { 5 };
        let mut s = serializer.serialize_struct("Assessment", fields)?;
        s.serialize_field("as_of", self.as_of)?;
        s.serialize_field("questions", &Questions(&self.questions))?;
        let Some(rest) = self.rest.borrow_mut().take() else {
            return Err(serde::ser::Error::custom("the assessment was already written"));
        };
        let rest = rest();
        let a = rest.borrow();
        s.serialize_field("not_yet", &a.not_yet)?;
        s.serialize_field("retracted", &a.retracted)?;
        s.serialize_field("unweighed", &a.unweighed)?;
        match &a.unweighed_omitted {
            Some(n) => s.serialize_field("unweighed_omitted", n)?,
            None => s.skip_field("unweighed_omitted")?,
        }
        s.end()
    }
}

/// The questions of a [`Streamed`] assessment, as a JSON array.
struct Questions<'a, I>(&'a RefCell<Option<I>>);

impl<I: Iterator<Item = QuestionOutcome>> Serialize for Questions<'_, I> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let questions = self.0.borrow_mut().take();
        serializer.collect_seq(questions.into_iter().flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_questions_write_the_same_text() {
        let engine = crate::api::Engine::new().expect("the standard library compiles");
        let evidence = engine.evidence().file("examples/korea-2013/evidence.yaml").load().expect("the example loads");
        let outcome = engine.evaluate(&evidence, &crate::api::Options::default()).expect("the example is weighed");
        for omitted in [None, Some(3)] {
            let mut whole = outcome.assessment().clone();
            whole.unweighed_omitted = omitted;
            let rest = Assessment { questions: vec![], ..whole.clone() };
            let (mut expected, mut streamed) = (vec![], vec![]);
            write(&whole, &mut expected);
            write_streamed(&rest, whole.questions.clone().into_iter(), &mut streamed);
            assert!(!whole.questions.is_empty());
            assert_eq!(String::from_utf8(streamed).unwrap(), String::from_utf8(expected).unwrap());
        }
    }
}
