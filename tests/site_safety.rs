//! Safe fixes judged by the generators themselves, on real sites.
//!
//! For every site in `../shared/sites` (read in place; the work happens on a
//! scratch copy in a temp dir): `copydesk fix` (safe fixes), then every changed
//! post is rendered before and after with the site's own generator —
//! hexo-renderer-marked (`tests/render/hexo.js`), goldmark through the real
//! `hugo` (`tests/render/hugo.sh`), kramdown as Jekyll configures it
//! (`tests/render/jekyll.rb`), one renderer run per site and side — and the
//! two renderings must show the same visible text, block structure, media,
//! embeds and front-matter data. A second `fix` must change nothing.
//!
//! Skips with a note when the sites or a generator are absent (fails under
//! `CI` when a generator is missing). `COPYDESK_SITES=name,name` limits the
//! run to some sites; `COPYDESK_SITES_ROOT=dir` judges the sites of another
//! folder laid out the same way (one folder per site and a `SOURCES.tsv` with
//! name, repo, commit and generator columns), such as sites fetched for a
//! precision run.

#[path = "support/generators.rs"]
mod generators;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use html5gum::{Token, Tokenizer};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_copydesk");
const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// The folder of sites to judge: `COPYDESK_SITES_ROOT`, else `../shared/sites`.
fn sites_root() -> Option<PathBuf> {
    if let Some(root) = std::env::var_os("COPYDESK_SITES_ROOT") {
        return Some(PathBuf::from(root));
    }
    [
        Path::new(REPO).join("../shared"),
        PathBuf::from("/work/shared"),
    ]
    .into_iter()
    .map(|dir| dir.join("sites"))
    .find(|dir| dir.is_dir())
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Generator {
    Hexo,
    Hugo,
    Jekyll,
}

/// `(name, generator)` for each site listed in `SOURCES.tsv`.
fn sites(sites_dir: &Path) -> Vec<(String, Generator)> {
    let sources = std::fs::read_to_string(sites_dir.join("SOURCES.tsv")).unwrap_or_default();
    let only: Option<BTreeSet<String>> = std::env::var("COPYDESK_SITES")
        .ok()
        .map(|list| list.split(',').map(str::to_owned).collect());
    sources
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let generator = match *fields.get(3)? {
                "hexo" => Generator::Hexo,
                "hugo" => Generator::Hugo,
                "jekyll" => Generator::Jekyll,
                _ => return None,
            };
            Some((fields[0].to_owned(), generator))
        })
        .filter(|(name, _)| only.as_ref().is_none_or(|only| only.contains(name)))
        .collect()
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create scratch folder");
    for entry in std::fs::read_dir(from).expect("read site folder").flatten() {
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).expect("copy site file");
            // `../shared` is read-only (CI lays it out without write bits) and the
            // copy keeps the mode: the scratch copy is the site's owner's, writable.
            let mut permissions = std::fs::metadata(&target)
                .expect("copied file")
                .permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            permissions.set_readonly(false);
            std::fs::set_permissions(&target, permissions).expect("make the copy writable");
        }
    }
}

/// Every Markdown file under `root`, relative to it, with its bytes.
fn markdown_files(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "md" || ext == "markdown")
            {
                let relative = path.strip_prefix(root).expect("under root").to_path_buf();
                files.insert(relative, std::fs::read(&path).expect("read post"));
            }
        }
    }
    files
}

fn run_copydesk(site: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .args(args)
        .current_dir(site)
        .env("NO_COLOR", "1")
        .output()
        .expect("run copydesk")
}

/// The codes of the safe fixes `check` offers, per post (relative path).
fn safe_fixes(site: &Path) -> BTreeMap<PathBuf, BTreeSet<String>> {
    let output = run_copydesk(site, &["check", "--format", "json"]);
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    let mut codes: BTreeMap<PathBuf, BTreeSet<String>> = BTreeMap::new();
    for diagnostic in report["diagnostics"].as_array().into_iter().flatten() {
        if diagnostic["fix"]["applicability"].as_str() == Some("safe") {
            let path = Path::new(diagnostic["path"].as_str().unwrap_or_default());
            let relative = path.strip_prefix(site).unwrap_or(path).to_path_buf();
            let code = diagnostic["code"].as_str().unwrap_or_default().to_owned();
            codes.entry(relative).or_default().insert(code);
        }
    }
    codes
}

/// What the generator made of one post.
#[derive(Debug, Default)]
struct Rendered {
    front_matter: Value,
    html: String,
    error: Option<String>,
}

fn parse_rendered(lines: &str) -> BTreeMap<String, Rendered> {
    lines
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .filter_map(|record| {
            let id = record["id"].as_str()?.to_owned();
            Some((
                id,
                Rendered {
                    front_matter: record["front_matter"].clone(),
                    html: record["html"].as_str().unwrap_or_default().to_owned(),
                    error: record["error"].as_str().map(str::to_owned),
                },
            ))
        })
        .collect()
}

/// Renders `posts` (id → path) with the generator, in one process.
fn render(
    generator: Generator,
    judge: &Path,
    posts: &BTreeMap<String, PathBuf>,
    work: &Path,
) -> BTreeMap<String, Rendered> {
    let render_dir = Path::new(REPO).join("tests/render");
    let output = match generator {
        Generator::Hugo => {
            std::fs::create_dir_all(work.join("content")).expect("hugo content folder");
            for (id, path) in posts {
                std::fs::copy(path, work.join("content").join(format!("{id}.md")))
                    .expect("copy post into the hugo site");
            }
            Command::new("bash")
                .arg(render_dir.join("hugo.sh"))
                .arg(work)
                .env("COPYDESK_HUGO", judge)
                .output()
                .expect("run hugo")
        }
        Generator::Hexo | Generator::Jekyll => {
            let list: Vec<Value> = posts
                .iter()
                .map(|(id, path)| serde_json::json!({ "id": id, "path": path }))
                .collect();
            let mut command = match generator {
                Generator::Hexo => {
                    let mut node = Command::new("node");
                    node.arg(render_dir.join("hexo.js"))
                        .env("COPYDESK_HEXO_DIR", judge);
                    node
                }
                _ => {
                    let mut ruby = Command::new("ruby");
                    ruby.arg(render_dir.join("jekyll.rb"));
                    ruby
                }
            };
            let mut child = command
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("start the renderer");
            let input = serde_json::to_vec(&list).expect("post list");
            let mut stdin = child.stdin.take().expect("renderer stdin");
            let writer = std::thread::spawn(move || {
                use std::io::Write;
                stdin.write_all(&input).expect("write post list");
            });
            let output = child.wait_with_output().expect("renderer output");
            writer.join().expect("writer thread");
            output
        }
    };
    assert!(
        output.status.success(),
        "{generator:?} renderer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_rendered(&String::from_utf8_lossy(&output.stdout))
}

const BLOCKS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "hr",
    "table",
    "tr",
    "dl",
    "dt",
    "dd",
];
const MEDIA: &[(&str, &str)] = &[
    ("img", "src"),
    ("video", "src"),
    ("audio", "src"),
    ("source", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("script", "src"),
];

/// What a reader gets from the HTML: block markers, text runs between them
/// (whitespace collapsed; no-break and ideographic spaces are kept, they are
/// spacers), media and embeds by URL without its query, inline scripts and
/// styles by their text. Empty paragraphs are dropped. 1×1 images and media
/// from the tracker hosts copydesk lists are not part of what a reader sees.
fn summary(html: &str, trackers: &[String]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut inline_code: Option<(String, String)> = None;
    let flush = |text: &mut String, items: &mut Vec<String>| {
        let collapsed = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if !collapsed.is_empty() {
            items.push(format!("text {collapsed}"));
        }
        text.clear();
    };
    let mut emitter = html5gum::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                let attribute = |key: &str| {
                    tag.attributes
                        .get(key.as_bytes())
                        .map(|value| String::from_utf8_lossy(&value.value).into_owned())
                };
                if BLOCKS.contains(&name.as_str()) {
                    flush(&mut text, &mut items);
                    items.push(format!("<{name}>"));
                }
                let pixel = attribute("width").is_some_and(|w| w.trim() == "1")
                    && attribute("height").is_some_and(|h| h.trim() == "1");
                if pixel {
                    // A 1×1 image is a tracking pixel: nothing a reader sees.
                } else if let Some((_, key)) = MEDIA.iter().find(|(media, _)| *media == name) {
                    let url = attribute("data-src").or_else(|| attribute(key));
                    if let Some(url) = url.filter(|url| !url.is_empty()) {
                        let without_query = url.split(['?', '#']).next().unwrap_or_default();
                        if !trackers
                            .iter()
                            .any(|host| without_query.contains(host.as_str()))
                        {
                            items.push(format!("{name} {without_query}"));
                        }
                    } else if name == "script" {
                        inline_code = Some((name.clone(), String::new()));
                    }
                } else if name == "style" {
                    inline_code = Some((name.clone(), String::new()));
                }
            }
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                if let Some((open, code)) = inline_code.take_if(|(open, _)| *open == name) {
                    let collapsed = code.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
                    // In document order: the text before the code is its own item.
                    flush(&mut text, &mut items);
                    items.push(format!("{open} {collapsed}"));
                } else if BLOCKS.contains(&name.as_str()) {
                    flush(&mut text, &mut items);
                }
            }
            Token::String(string) => {
                let value = String::from_utf8_lossy(&string.value);
                match inline_code.as_mut() {
                    Some((_, code)) => code.push_str(&value),
                    None => text.push_str(&value),
                }
            }
            _ => {}
        }
    }
    flush(&mut text, &mut items);
    // An empty paragraph renders nothing (a style or script after it is not in it).
    let mut kept = Vec::with_capacity(items.len());
    for (at, item) in items.iter().enumerate() {
        let next_is_content = items.get(at + 1).is_some_and(|next| {
            !next.starts_with('<') && !next.starts_with("style ") && !next.starts_with("script ")
        });
        if item == "<p>" && !next_is_content {
            continue;
        }
        kept.push(item.clone());
    }
    kept
}

/// The first place two summaries differ, shown with a little context.
fn first_difference(before: &[String], after: &[String]) -> Option<String> {
    let at = (0..before.len().max(after.len())).find(|&at| before.get(at) != after.get(at))?;
    let window = |items: &[String]| {
        items
            .iter()
            .skip(at.saturating_sub(1))
            .take(3)
            .map(|item| item.chars().take(160).collect::<String>())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    Some(format!(
        "block {at}: before [{}] after [{}]",
        window(before),
        window(after)
    ))
}

fn is_empty_front_matter(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Front-matter data may differ only where the applied fixes meant it to:
/// FM014 merges taxonomy spellings, FM010 renames a misspelt key, FM002/FM015
/// repair a block the generator could not read.
fn front_matter_difference(
    before: &Value,
    after: &Value,
    codes: &BTreeSet<String>,
) -> Option<String> {
    if before == after {
        return None;
    }
    let repaired = codes.contains("FM002") || codes.contains("FM015");
    if repaired && is_empty_front_matter(before) {
        return None;
    }
    let (Value::Object(before), Value::Object(after)) = (before, after) else {
        return Some(format!("front matter {before} became {after}"));
    };
    let taxonomy = ["tags", "tag", "categories", "category", "author", "authors"];
    let keys: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let (old, new) = (before.get(key), after.get(key));
        if old == new {
            continue;
        }
        let merged = codes.contains("FM014") && taxonomy.contains(&key.to_lowercase().as_str());
        let renamed = codes.contains("FM010")
            && (old.is_none() || new.is_none())
            && before.values().filter(|v| Some(*v) == old.or(new)).count()
                == after.values().filter(|v| Some(*v) == old.or(new)).count();
        if !merged && !renamed {
            return Some(format!(
                "front matter `{key}`: {} became {}",
                old.map_or("(absent)".into(), Value::to_string),
                new.map_or("(absent)".into(), Value::to_string)
            ));
        }
    }
    None
}

fn tracker_hosts() -> Vec<String> {
    std::fs::read_to_string(Path::new(REPO).join("data/markup/tracker_hosts.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// Checks one site; returns the problems found, one line each.
fn check_site(sites_dir: &Path, name: &str, generator: Generator, judge: &Path) -> Vec<String> {
    let scratch = tempfile::tempdir().expect("temp dir");
    let site = scratch.path().join(name);
    copy_tree(&sites_dir.join(name), &site);
    let original = markdown_files(&site);
    let codes = safe_fixes(&site);

    let first = run_copydesk(&site, &["fix"]);
    assert!(
        first.status.code().is_some_and(|code| code <= 1),
        "{name}: fix failed: {}",
        String::from_utf8_lossy(&first.stderr)
    );
    let fixed = markdown_files(&site);
    let mut problems = Vec::new();
    let _ = run_copydesk(&site, &["fix"]);
    for (path, bytes) in markdown_files(&site) {
        if fixed.get(&path) != Some(&bytes) {
            problems.push(format!(
                "{name}/{}: a second fix changed it again",
                path.display()
            ));
        }
    }

    let changed: Vec<&PathBuf> = fixed
        .iter()
        .filter(|(path, bytes)| original.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    if changed.is_empty() {
        eprintln!("{name}: no post changed by fix");
        return problems;
    }
    let before_dir = scratch.path().join("before");
    std::fs::create_dir_all(&before_dir).expect("before folder");
    let mut before_posts = BTreeMap::new();
    let mut after_posts = BTreeMap::new();
    for (index, path) in changed.iter().enumerate() {
        let id = format!("post{index}");
        let before = before_dir.join(format!("{id}.md"));
        std::fs::write(&before, &original[*path]).expect("write the original post");
        before_posts.insert(id.clone(), before);
        after_posts.insert(id, site.join(path));
    }
    let before = render(
        generator,
        judge,
        &before_posts,
        &scratch.path().join("hugo-before"),
    );
    let after = render(
        generator,
        judge,
        &after_posts,
        &scratch.path().join("hugo-after"),
    );
    let trackers = tracker_hosts();
    let none = BTreeSet::new();
    for (index, path) in changed.iter().enumerate() {
        let id = format!("post{index}");
        let rules = codes.get(*path).unwrap_or(&none);
        let rule_list = rules.iter().cloned().collect::<Vec<_>>().join(",");
        let name_post = format!("{name}/{} [{rule_list}]", path.display());
        let (old, new) = (before.get(&id), after.get(&id));
        let difference = match (old, new) {
            (None, None) => None,
            (Some(old), Some(new)) => match (&old.error, &new.error) {
                (None, Some(error)) => Some(format!("the generator now fails: {error}")),
                (Some(_), _) => None,
                (None, None) => {
                    front_matter_difference(&old.front_matter, &new.front_matter, rules).or_else(
                        || {
                            let repaired = (rules.contains("FM002") || rules.contains("FM015"))
                                && is_empty_front_matter(&old.front_matter);
                            let body = first_difference(
                                &summary(&old.html, &trackers),
                                &summary(&new.html, &trackers),
                            );
                            body.filter(|_| !repaired)
                        },
                    )
                }
            },
            (Some(_), None) => Some("the generator no longer renders it".to_owned()),
            (None, Some(_)) => None,
        };
        if let Some(difference) = difference {
            problems.push(format!("{name_post}: {difference}"));
        }
    }
    eprintln!(
        "{name}: {} posts changed by fix, {} with a rendering difference",
        changed.len(),
        problems.len()
    );
    problems
}

#[test]
fn safe_fixes_render_the_same_with_the_sites_generator() {
    let Some(sites_dir) = sites_root() else {
        eprintln!("skipping: no ../shared/sites");
        return;
    };
    let mut problems = Vec::new();
    for (name, generator) in sites(&sites_dir) {
        let judge = match generator {
            Generator::Hexo => generators::require("hexo", generators::hexo_dir()),
            Generator::Hugo => generators::require("hugo", generators::hugo()),
            Generator::Jekyll => generators::require("jekyll", generators::jekyll()),
        };
        let Some(judge) = judge else { continue };
        problems.extend(check_site(&sites_dir, &name, generator, &judge));
    }
    assert!(
        problems.is_empty(),
        "{} safe-fix problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
