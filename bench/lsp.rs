//! Language-server benchmark (SPEC §6), run with `cargo bench --bench lsp`
//! (`-- --quick`: 10,000 posts only; `-- --latency`: edit latency only;
//! `-- --index`: 100,000 posts only, so the peak memory is the indexing's). Speaks JSON-RPC to the server in process,
//! like an editor would, with synthetic posts generated at run time:
//!
//! - didChange → diagnostics latency (pull, so no debounce) for a 10 KB and a 1 MB post;
//! - indexing time for 10,000 and 100,000 posts, and the process's peak memory;
//! - completion latency with 100,000 posts indexed.

#[path = "../tests/lsp/client.rs"]
mod client;

use std::path::Path;
use std::time::{Duration, Instant};

use client::{TestClient, file_uri, pulling_client};
use serde_json::{Value, json};

// The binary's allocator, so the numbers are the shipped program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const CATEGORIES: &[&str] = &["金融", "科技", "体育", "文化", "汽车", "房产"];
const SUBCATEGORIES: &[&str] = &["新浪财经", "36kr", "数码", "评论", "国际", "本地"];

fn post(i: usize) -> String {
    let category = CATEGORIES[i % CATEGORIES.len()];
    let sub = SUBCATEGORIES[(i / 7) % SUBCATEGORIES.len()];
    format!(
        "---\ntitle: 第{i}篇文章\ndate: 2022-06-14 15:00:49\ncategories:\n  - {category}\n  - {sub}\ntags: [标签{}, 标签{}]\nauthor: 作者{}\n---\n\n正文第{i}段，关于{category}的报道。<!-- 正文下iframe -->\n\n<p cms-style=\"font-L\">　　内容。</p>\n",
        i % 500,
        i % 37,
        i % 50
    )
}

/// A post of about `bytes` bytes; `dirty`: every paragraph carries a CMS attribute
/// (one finding per 90 bytes, like an unfixed import), else clean prose.
fn body_of_size(bytes: usize, dirty: bool) -> String {
    let paragraph = if dirty {
        "<p cms-style=\"font-L\">　　2021年，全国法院在线立案1143.9万件，在线开庭127.5万场。</p>\n\n"
    } else {
        "2021年，全国法院在线立案1143.9万件，在线开庭127.5万场，调解成功率为62.88%。\n\n"
    };
    let mut text =
        String::from("---\ntitle: 基准\ndate: 2022-06-14 15:00:49\ncategories:\n  - 金融\n---\n\n");
    while text.len() < bytes {
        text.push_str(paragraph);
    }
    text
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The analysis core alone on the same text, to separate it from the server's share.
fn core_latency(label: &str, text: &str, rounds: usize) {
    let linter = copydesk::Linter::new(Default::default());
    let site = copydesk::site::SiteIndex::new();
    let mut samples = Vec::new();
    let mut findings = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        findings = linter.check(text, None, &site).len();
        samples.push(start.elapsed());
    }
    let p95 = percentile(&mut samples, 0.95);
    println!("  core Linter::check alone, {label}: p95 {p95:.2?} ({findings} findings)");
}

async fn change_latency(label: &str, size: usize, dirty: bool, rounds: usize) {
    let mut client = TestClient::in_process();
    client
        .initialize(pulling_client(&["utf-16"]), None, Value::Null)
        .await;
    let uri = format!("file:///bench-{size}.md");
    let text = body_of_size(size, dirty);
    client.open(&uri, &text).await;
    client.pull(&uri).await;
    let line = text.matches('\n').count() - 1;
    let mut samples = Vec::new();
    for version in 0..rounds {
        let start = Instant::now();
        client
            .notify(
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": version + 2},
                       "contentChanges": [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}}, "text": "字"}]}),
            )
            .await;
        let items = client.pull(&uri).await;
        samples.push(start.elapsed());
        assert_eq!(items.is_empty(), !dirty);
    }
    let p50 = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    println!("didChange → diagnostics, {label}: p50 {p50:.2?}, p95 {p95:.2?} ({rounds} edits)");
    core_latency(label, &text, rounds);
    // A pull with nothing changed: conversion and transport only (the result is cached).
    let mut samples = Vec::new();
    for _ in 0..rounds.min(20) {
        let start = Instant::now();
        client.pull(&uri).await;
        samples.push(start.elapsed());
    }
    let p95 = percentile(&mut samples, 0.95);
    println!("  unchanged pull (conversion + JSON both ways), {label}: p95 {p95:.2?}");
}

fn write_site(root: &Path, posts: usize) {
    std::fs::write(root.join("_config.yml"), "title: bench\n").expect("write");
    let dir = root.join("source/_posts");
    std::fs::create_dir_all(&dir).expect("mkdir");
    for i in 0..posts {
        std::fs::write(dir.join(format!("post-{i}.md")), post(i)).expect("write");
    }
}

async fn index_and_complete(posts: usize, completions: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let started = Instant::now();
    write_site(dir.path(), posts);
    println!("generated {posts} posts in {:.2?}", started.elapsed());
    let mut client = TestClient::in_process();
    let started = Instant::now();
    client
        .initialize(pulling_client(&["utf-16"]), Some(dir.path()), Value::Null)
        .await;
    client.wait_for_index().await;
    println!(
        "indexing {posts} posts: {:.2?} (peak RSS of the bench process so far: {:.0} MB)",
        started.elapsed(),
        peak_rss_mb()
    );
    if completions == 0 {
        client.shutdown().await;
        return;
    }
    let uri = file_uri(&dir.path().join("source/_posts/new.md"));
    let text = "---\ntitle: 新\ncategories:\n  - 金融\n  - \n---\n";
    client.open(&uri, text).await;
    let mut samples = Vec::new();
    for i in 0..completions {
        // Alternate between sub-categories of 金融 and front-matter keys.
        let (line, character) = if i % 2 == 0 { (4, 4) } else { (1, 0) };
        let start = Instant::now();
        let result = client
            .request(
                "textDocument/completion",
                json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}),
            )
            .await;
        samples.push(start.elapsed());
        assert!(result.is_object() || result.is_null());
    }
    let p50 = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    println!(
        "completion with {posts} posts indexed: p50 {p50:.2?}, p95 {p95:.2?} ({completions} requests)"
    );
    client.shutdown().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let latency_only = std::env::args().any(|a| a == "--latency");
    if std::env::args().any(|a| a == "--index") {
        // Alone, so the peak memory is the index's.
        index_and_complete(100_000, 300).await;
        return;
    }
    change_latency("10 KB clean post", 10 * 1024, false, 200).await;
    change_latency("10 KB post, a finding every 90 bytes", 10 * 1024, true, 200).await;
    change_latency("1 MB clean post", 1024 * 1024, false, 40).await;
    change_latency("1 MB post, a finding every 90 bytes", 1024 * 1024, true, 20).await;
    if latency_only {
        return;
    }
    index_and_complete(10_000, 0).await;
    if !quick {
        index_and_complete(100_000, 300).await;
    }
}
