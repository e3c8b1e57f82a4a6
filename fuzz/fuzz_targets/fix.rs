//! Fixing any text: the result lints again without panicking, and a second run of
//! the fixer changes nothing (fixes converge and are idempotent).
#![no_main]

use copydesk::Linter;
use copydesk::config::Config;
use copydesk::fix::fix_to_fixed_point;
use copydesk::site::SiteIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let include_unsafe = selector & 1 == 1;
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let lint = |t: &str| linter.check(t, Some(&"source/_posts/fuzz.md".into()), &site);
    let first = fix_to_fixed_point(text, include_unsafe, lint);
    let second = fix_to_fixed_point(&first.text, include_unsafe, lint);
    assert!(second.applied.is_empty(), "second run applied {:?}", second.applied);
    assert_eq!(second.text, first.text);
});
