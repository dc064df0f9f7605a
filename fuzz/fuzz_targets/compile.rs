//! Rule parser and checker on arbitrary text, alone and after the standard
//! library (so undercuts and findings can name its rules and types).

#![no_main]

use ascribe::Engine;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for standard in [false, true] {
        if let Err(e) = Engine::builder().standard_library(standard).rules_text("fuzz.ascr", text).build() {
            let _ = e.render();
        }
    }
});
