//! The front-matter parsers: no panic, spans inside the text (see `checks::frontmatter`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::frontmatter(data));
