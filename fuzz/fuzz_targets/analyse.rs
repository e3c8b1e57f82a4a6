//! Any text, any generator: analysis never panics and every range lies inside the
//! text on character boundaries.
#![no_main]

use copydesk::Linter;
use copydesk::config::{Config, Generator};
use copydesk::site::SiteIndex;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut config = Config::default();
    config.generator = [Generator::Hexo, Generator::Hugo, Generator::Jekyll, Generator::Plain]
        [usize::from(selector) % 4];
    let linter = Linter::new(config);
    for diagnostic in linter.check(text, Some(&"source/_posts/fuzz.md".into()), &SiteIndex::default()) {
        let ranges = std::iter::once(&diagnostic.range)
            .chain(diagnostic.related.iter().map(|r| &r.range))
            .chain(diagnostic.fix.iter().flat_map(|f| f.edits.iter().map(|e| &e.range)));
        for range in ranges {
            assert!(range.start <= range.end && range.end <= text.len(), "{range:?}");
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }
});
