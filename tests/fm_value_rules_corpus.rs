//! Runs FM006–FM014 over every post of `../shared/corpus` (third-party posts, read
//! at test time, never copied) with the whole corpus as the site index: no panic,
//! spans on char boundaries, fixes that settle. Prints per-rule counts
//! (`cargo test --test fm_value_rules_corpus -- --nocapture`). Skips when the corpus
//! is absent.

use std::collections::BTreeMap;
use std::path::Path;

use copydesk::Linter;
use copydesk::config::{Config, Generator};
use copydesk::document::{Context, Document};
use copydesk::fix::fix_to_fixed_point;
use copydesk::frontmatter::{self, taxonomy};
use copydesk::markup::patterns::Patterns;
use copydesk::rules;
use copydesk::site::SiteIndex;

const CODES: &[&str] = &[
    "FM006", "FM007", "FM008", "FM009", "FM010", "FM011", "FM012", "FM013", "FM014",
];

/// Hugo for TOML front matter, Hexo otherwise: what the corpus holds.
fn generator_of(text: &str) -> Generator {
    if text.trim_start().starts_with("+++") {
        Generator::Hugo
    } else {
        Generator::Hexo
    }
}

fn config(generator: Generator) -> Config {
    Config {
        generator,
        ..Config::default()
    }
}

/// The clock the shells would pass in: FM006 inserts it as a missing `date`.
fn clock() -> jiff::Zoned {
    "2026-11-27T19:15:53+08:00[Asia/Shanghai]"
        .parse()
        .expect("valid zoned time")
}

fn linter(generator: Generator) -> Linter {
    Linter::new(config(generator)).with_clock(clock())
}

#[test]
fn value_rules_on_the_corpus() {
    let beside = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus"));
    let root = if beside.is_dir() {
        beside
    } else {
        Path::new("/work/shared/corpus")
    };
    let Ok(entries) = std::fs::read_dir(root) else {
        eprintln!("note: {} is absent; corpus test skipped", root.display());
        return;
    };
    let mut posts: Vec<(String, String)> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter(|path| path.file_name().is_some_and(|name| name != "README.md"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, text))
        })
        .collect();
    posts.sort();

    let mut site = SiteIndex::new();
    for (name, text) in &posts {
        let config = config(generator_of(text));
        let fm = frontmatter::parse_for(text, config.generator);
        site.insert(name.clone(), taxonomy::summarize(fm.as_ref(), &config));
    }

    let hexo = linter(Generator::Hexo);
    let hugo = linter(Generator::Hugo);
    let mut counts: BTreeMap<&str, usize> = CODES.iter().map(|code| (*code, 0)).collect();
    let mut samples: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (name, text) in &posts {
        let linter = match generator_of(text) {
            Generator::Hugo => &hugo,
            _ => &hexo,
        };
        let mine = |text: &str| -> Vec<_> {
            linter
                .check(text, Some(&name.as_str().into()), &site)
                .into_iter()
                .filter(|d| CODES.contains(&d.code))
                .collect()
        };
        for diagnostic in mine(text) {
            assert!(
                text.is_char_boundary(diagnostic.range.start)
                    && text.is_char_boundary(diagnostic.range.end)
                    && diagnostic.range.end <= text.len(),
                "{name}: {diagnostic:?}"
            );
            *counts.entry(diagnostic.code).or_default() += 1;
            let excerpt: String = text[diagnostic.range.clone()].chars().take(40).collect();
            samples
                .entry(diagnostic.code)
                .or_default()
                .push(format!("{name}: {} [{excerpt}]", diagnostic.message));
        }
        let outcome = fix_to_fixed_point(text, false, mine);
        let again = fix_to_fixed_point(&outcome.text, false, mine);
        assert_eq!(again.text, outcome.text, "{name}: fixing twice changed it");
        assert!(
            again.applied.is_empty(),
            "{name}: second fix pass applied {:?}",
            again.applied
        );
    }
    // The date and type models must not panic whatever the generator.
    for generator in [Generator::Jekyll, Generator::Plain, Generator::Hugo] {
        let linter = linter(generator);
        for (name, text) in &posts {
            for diagnostic in linter.check(text, Some(&name.as_str().into()), &site) {
                assert!(diagnostic.range.end <= text.len(), "{name}: {diagnostic:?}");
            }
        }
    }
    let per_post = time_value_rules(&posts, &site);
    println!("FM006–FM014 over {} corpus posts:", posts.len());
    println!("  time in FM006–FM014 alone (parsing excluded): {per_post:.1} µs/post");
    for (code, count) in &counts {
        println!("  {code}: {count}");
    }
    if std::env::var_os("COPYDESK_CORPUS_SAMPLES").is_some() {
        for (code, lines) in &samples {
            for line in lines {
                println!("{code} {line}");
            }
        }
    }
}

/// Mean time the value rules take on one already parsed post, in microseconds.
fn time_value_rules(posts: &[(String, String)], site: &SiteIndex) -> f64 {
    let config = config(Generator::Hexo);
    let patterns = Patterns::new(&config.markup);
    let docs: Vec<Document> = posts
        .iter()
        .map(|(name, text)| Document::parse_for(text, Some(name), config.generator))
        .collect();
    let now = clock();
    let value_rules: Vec<_> = rules::all()
        .filter(|rule| CODES.contains(&rule.meta.code))
        .collect();
    const ROUNDS: usize = 20;
    let start = std::time::Instant::now();
    let mut found = 0;
    for _ in 0..ROUNDS {
        for doc in &docs {
            let ctx = Context::new(doc, &config, &patterns, site, Some(&now));
            let mut out = Vec::new();
            for rule in &value_rules {
                let t = std::time::Instant::now();
                (rule.check)(&ctx, &mut out);
                if std::env::var_os("COPYDESK_RULE_TIMES").is_some() {
                    eprintln!("T {} {}", rule.meta.code, t.elapsed().as_nanos());
                }
            }
            found += out.len();
        }
    }
    assert!(found > 0);
    start.elapsed().as_secs_f64() * 1e6 / (ROUNDS * docs.len()) as f64
}

/// Timing on a synthetic site of 10,000 posts and 5,000 tags, the scale of the
/// performance targets: `cargo test --release --test fm_value_rules_corpus -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run by hand in release"]
fn value_rules_on_a_large_site() {
    use copydesk::site::PostSummary;
    let mut site = SiteIndex::new();
    let indexing = std::time::Instant::now();
    for post in 0..10_000 {
        site.insert(
            format!("p{post}.md"),
            PostSummary {
                categories: vec![vec![
                    format!("分类{}", post % 50),
                    format!("子类{}", post % 7),
                ]],
                tags: vec![
                    format!("tag-{}", post % 5_000),
                    format!("标签{}", post % 300),
                ],
                authors: vec![format!("作者{}", post % 200)],
                keys: vec!["title".into(), "date".into(), "tags".into()],
                ..PostSummary::default()
            },
        );
    }
    println!(
        "indexing 10,000 post summaries: {:.1} ms",
        indexing.elapsed().as_secs_f64() * 1e3
    );
    let text = "---\ntitle: 标题\ndate: Tue, 14 Jun 2022 15:00:49 GMT\ncategories:\n  - 分类1\n  - 子类９\ntags: [Tag-17, 标签２, brand-new-tag]\nauthor: 作者1\n---\nbody\n";
    let posts = vec![("new.md".to_owned(), text.to_owned())];
    let per_post = time_value_rules(&posts, &site);
    println!("FM006–FM014 on one post of a 10,000-post site: {per_post:.1} µs");
    let config = config(Generator::Hexo);
    let patterns = Patterns::new(&config.markup);
    let doc = Document::parse_for(text, Some("new.md"), config.generator);
    let now = clock();
    let ctx = Context::new(&doc, &config, &patterns, &site, Some(&now));
    // Medians: the mean above includes the first, cold call.
    for rule in rules::all().filter(|rule| ["FM013", "FM014"].contains(&rule.meta.code)) {
        let mut times: Vec<f64> = (0..200)
            .map(|_| {
                let start = std::time::Instant::now();
                (rule.check)(&ctx, &mut Vec::new());
                start.elapsed().as_secs_f64() * 1e6
            })
            .collect();
        times.sort_by(f64::total_cmp);
        println!(
            "  {} median: {:.1} µs",
            rule.meta.code,
            times[times.len() / 2]
        );
    }
}
