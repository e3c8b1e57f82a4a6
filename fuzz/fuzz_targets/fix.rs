//! Fixing any text converges and a second run changes nothing (see `checks::fix`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::fix(data));
