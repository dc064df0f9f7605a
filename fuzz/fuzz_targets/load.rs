//! The evidence loader on arbitrary YAML and JSON text: it either loads or
//! returns diagnostics that render; it never panics.

#![no_main]

use ascribe::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    thread_local! {
        static ENGINE: Engine = Engine::new().expect("the standard library compiles");
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The name only shows in diagnostics; JSON is YAML to the loader.
    let name = if text.starts_with('{') { "fuzz.json" } else { "fuzz.yaml" };
    ENGINE.with(|engine| {
        if let Err(e) = engine.evidence().text(name, text).load() {
            let _ = e.render();
        }
    });
});
