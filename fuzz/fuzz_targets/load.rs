//! The evidence loader on arbitrary YAML and JSON text: it either loads or
//! returns diagnostics that render; it never panics.

#![no_main]

use ascribe::diagnostics::Sources;
use ascribe::language::{compile, library};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static SCHEMA: ascribe::schema::Schema =
            compile(library::standard(), &mut Sources::default()).expect("the standard library compiles").schema;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = Sources::default();
    // The name only shows in diagnostics; JSON is YAML to the loader.
    let name = if text.starts_with('{') { "fuzz.json" } else { "fuzz.yaml" };
    let id = sources.add(name, text.to_string());
    SCHEMA.with(|schema| {
        if let Err(d) = ascribe::evidence::load(&[id], &sources, schema) {
            let _ = d.render(&sources);
        }
    });
});
