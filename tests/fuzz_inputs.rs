//! The fuzz targets' checks (`fuzz/checks.rs`) as a normal test, so `cargo test`
//! (no nightly toolchain, no sanitizer build) runs them: over the example posts and
//! generator cases in every form the seed corpora hold (`fuzz/seed.sh`), and over
//! every crash input the fuzzer once found, kept in `fuzz/regressions/<target>/`.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// What a fuzz target checks about one input (it panics when the check fails).
type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 5] = [
    ("analyse", checks::analyse),
    ("fix", checks::fix),
    ("frontmatter", checks::frontmatter),
    ("positions", checks::positions),
    ("frames", checks::frames),
];

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn example_posts() -> Vec<Vec<u8>> {
    let posts: Vec<Vec<u8>> = ["examples", "tests/generators/cases"]
        .iter()
        .flat_map(|dir| files_under(&repository().join(dir)))
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .map(|path| std::fs::read(&path).expect("read an example post"))
        .collect();
    assert!(
        !posts.is_empty(),
        "no posts under examples/ or tests/generators/cases/"
    );
    posts
}

fn frame(body: &[u8], length: usize) -> Vec<u8> {
    let mut framed = format!("Content-Length: {length}\r\n\r\n").into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// A didOpen of the post and a pull, framed right and wrong (as `fuzz/seed.sh` does).
fn frame_stream(post: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(post);
    let open = serde_json::json!({"jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": {"textDocument": {"uri": "file:///p.md", "languageId": "markdown",
        "version": 1, "text": text}}})
    .to_string();
    let pull = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": "textDocument/diagnostic",
        "params": {"textDocument": {"uri": "file:///p.md"}}})
    .to_string();
    let batch = format!("[{pull}]");
    let mut stream = vec![0x40];
    stream.extend(frame(open.as_bytes(), open.len()));
    stream.extend(frame(pull.as_bytes(), pull.len()));
    // A client that counts characters instead of bytes, and a short frame.
    stream.extend(frame(open.as_bytes(), open.chars().count()));
    stream.extend(frame(pull.as_bytes(), 5));
    stream.extend(frame(batch.as_bytes(), batch.len()));
    stream
}

#[test]
fn the_seed_inputs_pass_every_check() {
    for post in example_posts() {
        for selector in 0..4u8 {
            let input = [&[selector][..], &post].concat();
            checks::analyse(&input);
            checks::fix(&input);
        }
        checks::frontmatter(&post);
        checks::positions(&post);
        for chunk in [1u8, 7, 0x40, 0xff] {
            let mut stream = frame_stream(&post);
            stream[0] = chunk;
            checks::frames(&stream);
        }
    }
}

#[test]
fn every_crash_the_fuzzer_found_stays_fixed() {
    let regressions = repository().join("fuzz/regressions");
    for (target, check) in TARGETS {
        for input in files_under(&regressions.join(target)) {
            let data = std::fs::read(&input).expect("read a regression input");
            let outcome = std::panic::catch_unwind(|| check(&data));
            assert!(outcome.is_ok(), "{target}: {} fails again", input.display());
        }
    }
}
