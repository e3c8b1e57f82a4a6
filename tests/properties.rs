//! Properties of the analysis core over generated posts: fixing converges and is
//! idempotent, every range lies inside the text on character boundaries, and byte
//! offsets round-trip through line/column positions in every encoding.

use copydesk::Linter;
use copydesk::config::Config;
use copydesk::diagnostic::Diagnostic;
use copydesk::fix::fix_to_fixed_point;
use copydesk::line_index::{Encoding, LineCol, LineIndex};
use copydesk::site::SiteIndex;
use proptest::prelude::*;

/// Pieces posts are made of: front matter in the three generators' forms (good and
/// broken), markup a feed import leaves behind, and text with every kind of width
/// and line end.
const FRONT_MATTER: &[&str] = &[
    "---\ntitle: 金融时报\ndate: 2024-01-02 10:00:00\ntags: [a, b]\n---\n",
    "---\r\ntitle: t\r\ncategories:\r\n  - [市场, 债券]\r\n---\r\n",
    "---\ntitle: \"unterminated\ntags: a, b, , c\n---\n",
    "+++\ntitle = \"t\"\ndate = 2024-01-02T10:00:00+08:00\n+++\n",
    ";;;\n{\"title\": \"json\", \"tags\": [\"x\"]}\n;;;\n",
    "title: fence-less hexo\ndate: 2024-13-45\n---\n",
    "---\ntitle: t\n",
    "\u{FEFF}---\ntitle: bom\n---\n",
    "",
];

const BODY: &[&str] = &[
    "<!-- 正文下iframe -->",
    "<!--article_adlist[x]article_adlist-->",
    "<script>var _hmt = [];</script>",
    "<iframe src=\"https://ads.example/x\"></iframe>",
    "<p style=\"margin:0\"><span>文字</span></p>",
    "<img src=\"https://mmbiz.qpic.cn/x.jpg?wx_fmt=jpeg&utm_source=feed\">",
    "[link](https://example.com/?utm_source=rss&a=1)",
    "<div class=\"ad-banner\">广告</div>",
    "```\n<script>in code</script>\n```",
    "`<!-- in a span -->`",
    "<!---->",
    "<br><br/>&nbsp;",
    "😀 emoji é\u{301}",
    "\r\n",
    "\n",
    "\r",
    "plain words",
    "<",
    "-->",
    "<!-- copydesk-disable MK001 -->",
];

fn post() -> impl Strategy<Value = String> {
    let front = proptest::sample::select(FRONT_MATTER);
    let pieces = proptest::collection::vec(
        prop_oneof![
            4 => proptest::sample::select(BODY).prop_map(str::to_owned),
            1 => "\\PC{0,12}",
        ],
        0..12,
    );
    (front, pieces).prop_map(|(front, pieces)| format!("{front}{}", pieces.concat()))
}

fn lint(linter: &Linter, text: &str) -> Vec<Diagnostic> {
    linter.check(
        text,
        Some(&"source/_posts/p.md".into()),
        &SiteIndex::default(),
    )
}

fn assert_inside(text: &str, range: &std::ops::Range<usize>, what: &str) {
    assert!(
        range.start <= range.end && range.end <= text.len(),
        "{what} {range:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
        "{what} {range:?} not on char boundaries"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_range_lies_inside_the_text_on_char_boundaries(text in post()) {
        let linter = Linter::new(Config::default());
        for diagnostic in lint(&linter, &text) {
            assert_inside(&text, &diagnostic.range, diagnostic.code);
            for related in &diagnostic.related {
                assert_inside(&text, &related.range, "related");
            }
            for edit in diagnostic.fix.iter().flat_map(|fix| &fix.edits) {
                assert_inside(&text, &edit.range, "fix edit");
            }
        }
    }

    #[test]
    fn fixing_converges_and_a_second_run_changes_nothing(text in post(), include_unsafe in any::<bool>()) {
        let linter = Linter::new(Config::default());
        let first = fix_to_fixed_point(&text, include_unsafe, |t| lint(&linter, t));
        let fixable_left = first.remaining.iter().filter(|d| {
            d.fix.as_ref().is_some_and(|fix| include_unsafe || fix.applicability == copydesk::diagnostic::Applicability::Safe)
        });
        // Whatever is still fixable overlaps another fix that was preferred.
        let second = fix_to_fixed_point(&first.text, include_unsafe, |t| lint(&linter, t));
        prop_assert!(second.applied.is_empty(), "second run applied {:?} ({} fixable left)", second.applied, fixable_left.count());
        prop_assert_eq!(second.text, first.text);
    }

    #[test]
    fn offsets_round_trip_through_positions(text in "(\\PC|\r\n|\r|\n|😀|金){0,300}") {
        let index = LineIndex::new(&text);
        for encoding in [Encoding::Utf8, Encoding::Utf16, Encoding::Utf32] {
            let mut previous = LineCol { line: 0, col: 0 };
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                let position = index.position(&text, offset, encoding);
                prop_assert!(position >= previous, "positions go backwards at {}", offset);
                previous = position;
                let line = position.line as usize;
                let start = index.full_line_range(line).start;
                let prefix = &text[start..offset];
                let expected = match encoding {
                    Encoding::Utf8 => prefix.len(),
                    Encoding::Utf16 => prefix.encode_utf16().count(),
                    Encoding::Utf32 => prefix.chars().count(),
                };
                prop_assert_eq!(position.col as usize, expected);
                // Offsets inside a CRLF terminator clamp to the end of the line.
                let clamped = offset.min(index.line_range(&text, line).end);
                prop_assert_eq!(index.offset(&text, position, encoding), clamped);
            }
        }
    }
}
