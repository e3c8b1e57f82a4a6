//! Any text, any generator: analysis never panics and every range lies inside the text on character boundaries (see `checks::analyse`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::analyse(data));
