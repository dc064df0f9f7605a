//! Rule parser and checker on arbitrary text, alone and after the standard
//! library (so undercuts and findings can name its rules and types).

#![no_main]

use ascribe::diagnostics::Sources;
use ascribe::language::{compile, library, RuleText};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = Sources::default();
    if let Err(d) = compile(vec![RuleText { name: "fuzz.ascr".into(), text: text.to_string() }], &mut sources) {
        let _ = d.render(&sources);
    }
    let mut sources = Sources::default();
    let mut texts = library::standard();
    texts.push(RuleText { name: "fuzz.ascr".into(), text: text.to_string() });
    if let Err(d) = compile(texts, &mut sources) {
        let _ = d.render(&sources);
    }
});
