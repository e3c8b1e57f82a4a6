//! Offset ⇄ line/column in every encoding (see `checks::positions`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::positions(data));
