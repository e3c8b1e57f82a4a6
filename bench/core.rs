//! Benchmark of the analysis core alone, per change (`cargo bench --bench core`):
//! `Linter::check` on a 10 KB and a 1 MB post, clean and full of imported junk, and on
//! the seed article when `../shared` is there. Prints the median and p95 of many
//! calls, so a regression in a rule or a parser shows up before the end-to-end
//! numbers of `bench/compare.sh` move. Also the building of a 10,000-post site index
//! from summaries, which every `check` does whole before it lints a post. Not a test:
//! nothing here asserts a time.

use std::time::{Duration, Instant};

use copydesk::Linter;
use copydesk::site::{PostKey, PostSummary, SiteIndex};

// The binary's allocator, so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CLEAN: &str = "2021年，全国法院在线立案1143.9万件，在线开庭127.5万场，调解成功率为62.88%。The court \
                     system moved online, and [most hearings](https://example.com/report) followed.\n\n";
const DIRTY: &str = "<p cms-style=\"font-L\">　　2021年，全国法院<a href=\"https://finance.sina.com.cn/realstock/company/sh600000/nc.shtml\" class=\"keyword\" target=\"_blank\">浦发银行</a>在线立案1143.9万件。</p>\n<!-- 正文下iframe -->\n\n";

fn post(bytes: usize, paragraph: &str) -> String {
    let mut text = String::from(
        "---\ntitle: 基准\ndate: 2022-06-14 15:00:49\ncategories:\n  - 金融\ntags: [银行, 法院]\n---\n\n",
    );
    while text.len() < bytes {
        text.push_str(paragraph);
    }
    text
}

fn measure(label: &str, text: &str, linter: &Linter, site: &SiteIndex) {
    let key = PostKey::new("source/_posts/bench.md");
    // About a second of calls per case, at least 10.
    let warm = Instant::now();
    let findings = linter.check(text, Some(&key), site).len();
    let once = warm.elapsed().max(Duration::from_micros(1));
    let rounds = (Duration::from_secs(1).as_nanos() / once.as_nanos()).clamp(10, 5_000) as usize;
    let mut samples: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(linter.check(text, Some(&key), site));
            start.elapsed()
        })
        .collect();
    let what = format!("{:>8} bytes {findings:>6} findings", text.len());
    print_timing(label, &what, &mut samples, &format!("{rounds} calls"));
}

/// One line of the report: what was measured, the median and p95 of `samples`.
fn print_timing(label: &str, what: &str, samples: &mut [Duration], runs: &str) {
    println!(
        "{label:<34} {what:<32} median {:>10.2?}   p95 {:>10.2?}   ({runs})",
        percentile(samples, 0.5),
        percentile(samples, 0.95)
    );
}

/// The `p` quantile of `samples` (nearest rank).
fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

/// Summaries of `posts` posts drawn from pools the size of a large news site's:
/// every title its own, 3 of 2,000 tags, one of 40 authors, a two-level category.
fn summaries(posts: usize) -> Vec<(PostKey, PostSummary)> {
    (0..posts)
        .map(|n| {
            let summary = PostSummary {
                title: Some(format!("第{n}篇：央行发布2022年第二季度货币政策执行报告")),
                categories: vec![vec![format!("频道{}", n % 12), format!("栏目{}", n % 97)]],
                tags: (0..3)
                    .map(|k| format!("标签{}", (n * 7 + k * 331) % 2_000))
                    .collect(),
                authors: vec![format!("作者{}", n % 40)],
                keys: [
                    "title",
                    "date",
                    "categories",
                    "tags",
                    "author",
                    "source",
                    "link",
                ]
                .map(str::to_owned)
                .to_vec(),
            };
            (PostKey::new(&format!("source/_posts/{n:05}.md")), summary)
        })
        .collect()
}

fn measure_index(label: &str, posts: usize) {
    let posts = summaries(posts);
    let mut samples: Vec<Duration> = (0..20)
        .map(|_| {
            let posts = posts.clone();
            let start = Instant::now();
            let mut index = SiteIndex::new();
            index.extend(posts);
            let took = start.elapsed();
            std::hint::black_box(index);
            took
        })
        .collect();
    let what = format!("{:>8} posts", posts.len());
    print_timing(label, &what, &mut samples, "20 builds");
}

fn main() {
    measure_index("site index from summaries", 10_000);
    let linter = Linter::new(Default::default());
    let site = SiteIndex::new();
    measure("10 KB clean post", &post(10_000, CLEAN), &linter, &site);
    measure("10 KB imported post", &post(10_000, DIRTY), &linter, &site);
    measure("1 MB clean post", &post(1_000_000, CLEAN), &linter, &site);
    measure(
        "1 MB imported post",
        &post(1_000_000, DIRTY),
        &linter,
        &site,
    );
    // `shared/` beside the repository (as CI lays it out), else the machine's own.
    let seeds = [
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/examples/seed-article.md"
        ),
        "/work/shared/examples/seed-article.md",
    ];
    match seeds
        .iter()
        .find_map(|seed| std::fs::read_to_string(seed).ok())
    {
        Some(text) => measure("seed article", &text, &linter, &site),
        None => println!("seed article: skipped ({} not found)", seeds[0]),
    }
}
