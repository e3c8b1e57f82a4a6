//! Parses every post of the shared corpus (`../shared/corpus`, not part of the
//! repository): no panic, every span on character boundaries and consistent with
//! its value, and a count of the structural front-matter problems found.
//! Skips with a note when the corpus is absent.

use std::collections::BTreeMap;
use std::path::Path;

use copydesk::Linter;
use copydesk::config::{Config, Generator};
use copydesk::diagnostic::Severity;
use copydesk::frontmatter::{self, Entry, Node, ScalarStyle, Value};
use copydesk::site::SiteIndex;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus");

/// The generator of a post, from its repository and path there (SwiftGG's
/// repository is a Hexo `source/` folder; rust-lang's blog is Zola: plain).
fn generator_of(repo: &str, source_path: &str) -> Generator {
    if source_path.starts_with("source/") || repo == "SwiftGGTeam/source" {
        Generator::Hexo
    } else if source_path.contains("_posts/") {
        Generator::Jekyll
    } else if source_path.starts_with("content/") {
        Generator::Hugo
    } else {
        Generator::Plain
    }
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn check_node(file: &str, text: &str, node: &Node) {
    let range = node.range.clone();
    let slice = text
        .get(range.clone())
        .unwrap_or_else(|| panic!("{file}: node range {range:?} is not on char boundaries"));
    match &node.value {
        Value::Scalar {
            text: value,
            style,
            raw_range,
        } => {
            let raw = text
                .get(raw_range.clone())
                .unwrap_or_else(|| panic!("{file}: raw range {raw_range:?} off boundaries"));
            assert!(
                range.start <= raw_range.start && raw_range.end <= range.end,
                "{file}: raw range outside node range"
            );
            match style {
                ScalarStyle::Plain => assert_eq!(
                    folded(raw),
                    folded(value),
                    "{file}: plain scalar at {range:?} does not slice to its value"
                ),
                ScalarStyle::SingleQuoted => {
                    assert!(
                        slice.starts_with('\'') && slice.ends_with('\''),
                        "{file}: {slice}"
                    )
                }
                ScalarStyle::DoubleQuoted => {
                    assert!(
                        slice.starts_with('"') && slice.ends_with('"'),
                        "{file}: {slice}"
                    )
                }
                ScalarStyle::Literal | ScalarStyle::Folded => {
                    assert!(slice.starts_with(['|', '>']), "{file}: {slice}")
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| check_node(file, text, item)),
        Value::Mapping(entries) => check_entries(file, text, entries),
        Value::Empty => assert!(range.is_empty(), "{file}: empty value with a width"),
    }
}

fn check_entries(file: &str, text: &str, entries: &[Entry]) {
    for entry in entries {
        let key = text
            .get(entry.key_range.clone())
            .unwrap_or_else(|| panic!("{file}: key range off boundaries"));
        assert!(
            key.contains(entry.key.trim()),
            "{file}: key `{key}` vs `{}`",
            entry.key
        );
        check_node(file, text, &entry.value);
    }
}

#[test]
fn corpus_parses_with_consistent_spans() {
    let dir = Path::new(CORPUS);
    let Ok(sources) = std::fs::read_to_string(dir.join("SOURCES.tsv")) else {
        eprintln!("note: {CORPUS} is absent, corpus test skipped");
        return;
    };
    let codes = [
        "FM001", "FM002", "FM003", "FM004", "FM005", "FM015", "FM016",
    ];
    let mut counts: BTreeMap<&str, usize> = codes.iter().map(|code| (*code, 0)).collect();
    let mut posts = 0;
    let mut with_front_matter = 0;
    let site = SiteIndex::new();
    let linters: Vec<(Generator, Linter)> = [
        Generator::Hexo,
        Generator::Hugo,
        Generator::Jekyll,
        Generator::Plain,
    ]
    .into_iter()
    .map(|generator| {
        let config = Config {
            generator,
            ..Config::default()
        };
        (generator, Linter::new(config))
    })
    .collect();
    for line in sources.lines().skip(1) {
        let mut columns = line.split('\t');
        let (Some(file), Some(repo), Some(source_path)) =
            (columns.next(), columns.next(), columns.next())
        else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(dir.join(file)) else {
            continue;
        };
        posts += 1;
        let generator = generator_of(repo, source_path);
        if let Some(fm) = frontmatter::parse_for(&text, generator) {
            with_front_matter += 1;
            check_entries(file, &text, &fm.entries);
            if let Some(error) = &fm.error {
                assert!(
                    text.get(error.range.clone()).is_some(),
                    "{file}: error range"
                );
            }
            let config = Config {
                generator,
                ..Config::default()
            };
            for value in frontmatter::taxonomy::taxonomy_values(&fm, &config) {
                let raw = text
                    .get(value.raw_range.clone())
                    .expect("taxonomy raw range");
                if !raw.contains(['\\', '\'', '\n']) {
                    assert_eq!(raw.trim(), value.value, "{file}: taxonomy value span");
                }
                assert!(
                    text.get(value.range.clone()).is_some(),
                    "{file}: taxonomy range"
                );
            }
        }
        let linter = linters
            .iter()
            .find(|(g, _)| *g == generator)
            .map(|(_, linter)| linter)
            .expect("a linter per generator");
        let diagnostics = linter.check(&text, Some(&source_path.into()), &site);
        for diagnostic in &diagnostics {
            if diagnostic.code == "FM004" || diagnostic.severity == Severity::Error {
                let line = text[..diagnostic.range.start].matches('\n').count() + 1;
                eprintln!("  {file}:{line} {} {}", diagnostic.code, diagnostic.message);
            }
        }
        let mut codes_here: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        codes_here.sort();
        codes_here.dedup();
        for code in codes_here {
            if let Some(count) = counts.get_mut(code) {
                *count += 1;
            }
        }
    }
    eprintln!("corpus: {posts} posts, {with_front_matter} with front matter");
    for (code, count) in &counts {
        eprintln!("  {code}: {count} posts");
    }
    assert!(posts > 0, "SOURCES.tsv lists no readable post");
}

mod structural_rules {
    use super::*;
    use proptest::prelude::*;

    const PIECES: &[&str] = &[
        "---",
        ";;;",
        "\n",
        "\r\n",
        " ",
        "\t",
        "title: ",
        "tags:",
        "标题",
        "🚀",
        ": ",
        "- ",
        "[",
        "]",
        "{}",
        ",",
        "'",
        "\"",
        "Update: ",
        "2022-06-14",
    ];

    proptest! {
        /// On a Hexo site the structural fixes converge and a second `fix` run
        /// finds nothing to change.
        #[test]
        fn fixes_converge_and_are_idempotent(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..30)
        ) {
            let text = pieces.concat();
            let linter = Linter::new(Config { generator: Generator::Hexo, ..Config::default() });
            let site = SiteIndex::new();
            let first = copydesk::fix::fix_to_fixed_point(&text, false, |t| linter.check(t, None, &site));
            let second = copydesk::fix::fix_to_fixed_point(&first.text, false, |t| linter.check(t, None, &site));
            prop_assert_eq!(&second.text, &first.text);
            prop_assert!(second.applied.is_empty());
        }
    }
}

/// The canonical example: SPEC says FM002 fires on it (a Hexo post with a blank
/// line before the fence) and no other structural rule does.
#[test]
fn seed_article_structure() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/examples/seed-article.md"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("note: {path} is absent, seed test skipped");
        return;
    };
    let config = Config {
        generator: Generator::Hexo,
        ..Config::default()
    };
    let fm = frontmatter::parse_for(&text, Generator::Hexo).expect("front matter");
    assert_eq!(fm.error, None);
    let summary = frontmatter::taxonomy::summarize(Some(&fm), &config);
    assert!(summary.title.is_some());
    assert_eq!(summary.categories.len(), 1, "one hierarchical path");
    assert!(summary.categories[0].len() > 1);
    let linter = Linter::new(config);
    let codes: Vec<(&str, Severity)> = linter
        .check(
            &text,
            Some(&"source/_posts/seed-article.md".into()),
            &SiteIndex::new(),
        )
        .iter()
        .filter(|d| {
            [
                "FM001", "FM002", "FM003", "FM004", "FM005", "FM015", "FM016",
            ]
            .contains(&d.code)
        })
        .map(|d| (d.code, d.severity))
        .collect();
    assert_eq!(codes, [("FM002", Severity::Warning)]);
}
