//! The JSON-RPC frame reader over any byte stream (see `checks::frames`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::frames(data));
