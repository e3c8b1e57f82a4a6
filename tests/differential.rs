//! The real generators judge the front-matter model (SPEC §3, "The generator is
//! the judge").
//!
//! Every case of `tests/generators/cases/` goes into one site per generator (Hexo 8
//! through its own API, Hugo, Jekyll 4.3: `tests/generators/` holds the drivers
//! that make them report what they read). A case the generator drops, fails the
//! build on, loses the front matter of, or whose date it replaces must get an
//! error from copydesk; a case it reads fine must get no structural error. Then
//! `copydesk fix` runs on a copy of each site and the generator reads it again
//! under three time zones: a safe fix must not change any date instant, title,
//! category, tag or key of a post the generator read fine.
//!
//! `cargo test --test differential -- --nocapture` prints the confusion table per
//! rule and generator. The same suite over `../shared/corpus` and
//! `../shared/sites` is the ignored test `corpus_and_sites` (minutes, not seconds).
//! Skips when a generator is missing, except under `CI`.

#[path = "support/generators.rs"]
mod generators;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TIME_ZONES: [&str; 3] = ["Asia/Shanghai", "UTC", "America/New_York"];

/// The codes whose error verdict claims the generator damages the post.
const DAMAGE_CODES: [&str; 8] = [
    "FM001", "FM002", "FM003", "FM004", "FM005", "FM008", "FM015", "FM016",
];

/// FM007 is an error on a wrong type whether or not the generator then damages
/// the post (SPEC), so it confirms damage but is no false positive without it.
const TYPE_CODE: &str = "FM007";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Hexo,
    Hugo,
    Jekyll,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Hexo => "hexo",
            Kind::Hugo => "hugo",
            Kind::Jekyll => "jekyll",
        }
    }

    fn posts_dir(self, site: &Path) -> PathBuf {
        match self {
            Kind::Hexo => site.join("source/_posts"),
            Kind::Hugo => site.join("content/posts"),
            Kind::Jekyll => site.join("_posts"),
        }
    }

    /// The file name of a case in this generator's post folder.
    fn file_name(self, case: &str) -> String {
        match self {
            Kind::Jekyll => format!("2020-01-01-{case}.md"),
            Kind::Hexo | Kind::Hugo => format!("{case}.md"),
        }
    }

    /// The case a post file holds.
    fn case_of(self, file_name: &str) -> String {
        let stem = file_name.strip_suffix(".md").unwrap_or(file_name);
        match self {
            Kind::Jekyll => stem.get(11..).unwrap_or(stem).to_owned(),
            Kind::Hexo | Kind::Hugo => stem.to_owned(),
        }
    }
}

/// Where the generators are.
struct Judges {
    hexo_dir: PathBuf,
    hugo: PathBuf,
    jekyll: PathBuf,
}

fn judges() -> Option<Judges> {
    Some(Judges {
        hexo_dir: generators::require("hexo", generators::hexo_dir())?,
        hugo: generators::require("hugo", generators::hugo())?,
        jekyll: generators::require("jekyll", generators::jekyll())?,
    })
}

/// What the generator read from one post.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Read(Read),
    /// The post is not among the generator's posts.
    Dropped,
    /// The post stops the whole build.
    BuildFailed(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Read {
    keys: BTreeSet<String>,
    /// UTC, or `file-time` when Hexo replaced the date with the file's time.
    date: String,
    title: String,
    categories: Vec<String>,
    tags: Vec<String>,
    /// Scalar values as text per key (Hugo's keys lower-cased), to tell which of
    /// two equal keys the generator kept. Not compared before and after a fix: a
    /// date rewritten in another form is judged by its instant.
    values: BTreeMap<String, String>,
}

impl Read {
    /// What a fix must leave unchanged. Hugo's terms by their key: a term is
    /// named as the first page of the build spells it, and the build after the
    /// fix holds other pages.
    fn without_values(&self, kind: Kind) -> Read {
        let names = |names: &[String]| -> Vec<String> {
            let mut names: Vec<String> = match kind {
                Kind::Hugo => names.iter().map(|name| hugo_term_key(name)).collect(),
                Kind::Hexo | Kind::Jekyll => names.to_vec(),
            };
            names.sort();
            names
        };
        Read {
            values: BTreeMap::new(),
            categories: names(&self.categories),
            tags: names(&self.tags),
            ..self.clone()
        }
    }
}

impl Outcome {
    fn without_values(&self, kind: Kind) -> Outcome {
        match self {
            Outcome::Read(read) => Outcome::Read(read.without_values(kind)),
            other => other.clone(),
        }
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(_) | Value::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    let items = match value {
        Some(Value::Array(items)) => items.clone(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other.clone()],
    };
    // A null item is no value (Hugo's params keep it).
    let mut out: Vec<String> = items
        .iter()
        .filter(|item| !item.is_null())
        .map(|item| match item {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    out.sort();
    out
}

fn parse_dump(kind: Kind, dump: &str) -> BTreeMap<String, Read> {
    let posts: BTreeMap<String, Value> =
        serde_json::from_str(dump).unwrap_or_else(|error| panic!("{kind:?} dump: {error}"));
    posts
        .into_iter()
        .map(|(file, post)| {
            let keys: BTreeSet<String> = match kind {
                // Hugo adds these to every page's params.
                Kind::Hugo => post["params"]
                    .as_object()
                    .map(|params| {
                        params
                            .keys()
                            .filter(|key| {
                                !matches!(
                                    key.as_str(),
                                    "draft"
                                        | "iscjklanguage"
                                        | "lastmod"
                                        | "publishdate"
                                        | "expirydate"
                                )
                            })
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default(),
                Kind::Hexo | Kind::Jekyll => strings(post.get("keys")).into_iter().collect(),
            };
            // Without a `date` key the date comes from the file (its time differs
            // per run), not from the front matter.
            let date = match post["date"].as_str() {
                Some(_) if !keys.contains("date") => "none",
                Some(date) => date,
                None => "none",
            };
            let values_of = match kind {
                Kind::Hugo => &post["params"],
                Kind::Hexo | Kind::Jekyll => &post["values"],
            };
            let values = values_of
                .as_object()
                .map(|values| {
                    values
                        .iter()
                        .filter_map(|(key, value)| Some((key.clone(), scalar_text(value)?)))
                        .collect()
                })
                .unwrap_or_default();
            let read = Read {
                values,
                keys,
                date: date.to_owned(),
                title: post["title"].as_str().unwrap_or_default().to_owned(),
                categories: strings(post.get("categories")),
                tags: strings(post.get("tags")),
            };
            (kind.case_of(&file), read)
        })
        .collect()
}

fn write_site(kind: Kind, site: &Path, cases: &[&Case]) {
    let posts = kind.posts_dir(site);
    fs::create_dir_all(&posts).expect("create the post folder");
    let generators = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generators");
    match kind {
        Kind::Hexo => {}
        Kind::Hugo => {
            fs::create_dir_all(site.join("layouts")).expect("layouts");
            for file in ["hugo.toml", "layouts/index.json"] {
                fs::copy(generators.join("hugo").join(file), site.join(file)).expect("copy");
            }
        }
        Kind::Jekyll => {
            fs::create_dir_all(site.join("_plugins")).expect("_plugins");
            fs::copy(
                generators.join("jekyll-dump.rb"),
                site.join("_plugins/dump.rb"),
            )
            .expect("copy the Jekyll plugin");
            fs::write(site.join("_config.yml"), "title: differential\n").expect("config");
        }
    }
    fs::write(
        site.join("copydesk.toml"),
        format!("generator = \"{}\"\n", kind.name()),
    )
    .expect("copydesk.toml");
    for case in cases {
        fs::write(posts.join(kind.file_name(&case.name)), &case.text).expect("write a case");
    }
}

/// Runs the generator over `site`: the dump, or the error text of a failed build.
fn run_generator(judges: &Judges, kind: Kind, site: &Path, tz: &str) -> Result<String, String> {
    let dump = site.join("dump.json");
    let _ = fs::remove_file(&dump);
    let mut command = match kind {
        Kind::Hexo => {
            let mut command = Command::new("node");
            command
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generators/hexo-dump.js"))
                .arg(&judges.hexo_dir)
                .arg(site);
            command
        }
        Kind::Hugo => {
            // Not `--quiet`: it also hides the errors that name the failing posts.
            let mut command = Command::new(&judges.hugo);
            command
                .args(["--logLevel", "error", "--source"])
                .arg(site)
                .arg("--destination")
                .arg(site.join("public"));
            command
        }
        Kind::Jekyll => {
            let mut command = Command::new(&judges.jekyll);
            command
                .args(["build", "--quiet", "--source"])
                .arg(site)
                .arg("--destination")
                .arg(site.join("_site"))
                .env("COPYDESK_DUMP", &dump);
            command
        }
    };
    let output = command
        .env("TZ", tz)
        .output()
        .unwrap_or_else(|error| panic!("cannot run {kind:?}: {error}"));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    match kind {
        Kind::Hexo => {
            assert!(output.status.success(), "the Hexo driver failed: {stderr}");
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Kind::Hugo if output.status.success() => {
            fs::read_to_string(site.join("public/index.json")).map_err(|e| e.to_string())
        }
        Kind::Jekyll if output.status.success() => {
            fs::read_to_string(&dump).map_err(|e| format!("{e}: {stderr}"))
        }
        Kind::Hugo | Kind::Jekyll => Err(stderr),
    }
}

/// What the generator read from each case under `tz`. A build that fails is
/// retried without the cases its error names (or, when it names none, in halves),
/// so one failing case does not hide the others.
fn read_cases(judges: &Judges, kind: Kind, cases: &[&Case], tz: &str) -> BTreeMap<String, Outcome> {
    let mut outcomes = BTreeMap::new();
    let mut pending: Vec<Vec<&Case>> = vec![cases.to_vec()];
    while let Some(batch) = pending.pop() {
        if batch.is_empty() {
            continue;
        }
        let site = tempfile::tempdir().expect("temp dir");
        write_site(kind, site.path(), &batch);
        match run_generator(judges, kind, site.path(), tz) {
            Ok(dump) => {
                let read = parse_dump(kind, &dump);
                for case in &batch {
                    let outcome = read
                        .get(&case.name)
                        .map_or(Outcome::Dropped, |r| Outcome::Read(r.clone()));
                    outcomes.insert(case.name.clone(), outcome);
                }
            }
            Err(error) => {
                let named: Vec<&Case> = batch
                    .iter()
                    .copied()
                    .filter(|case| error.contains(&kind.file_name(&case.name)))
                    .collect();
                if batch.len() == 1 || !named.is_empty() && named.len() < batch.len() {
                    let first_line = error
                        .lines()
                        .find(|l| l.contains("ERROR") || l.contains("Error"))
                        .or_else(|| error.lines().find(|l| !l.trim().is_empty()));
                    for case in if batch.len() == 1 { &batch } else { &named } {
                        outcomes.insert(
                            case.name.clone(),
                            Outcome::BuildFailed(first_line.unwrap_or("").trim().to_owned()),
                        );
                    }
                    let rest: Vec<&Case> = batch
                        .iter()
                        .copied()
                        .filter(|case| !named.iter().any(|n| n.name == case.name))
                        .collect();
                    if batch.len() > 1 {
                        pending.push(rest);
                    }
                } else {
                    let (left, right) = batch.split_at(batch.len() / 2);
                    pending.push(left.to_vec());
                    pending.push(right.to_vec());
                }
            }
        }
    }
    outcomes
}

/// The binary under test; `COPYDESK_BIN` names a copy, so a long run of
/// `corpus_and_sites` is not changed under it by a rebuild.
fn copydesk() -> Command {
    let bin = std::env::var_os("COPYDESK_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_copydesk")),
        PathBuf::from,
    );
    Command::new(bin)
}

/// The cases that `copydesk fix` changes on a `kind` site, as fixed.
fn fixed_cases(kind: Kind, cases: &[&Case]) -> Vec<Case> {
    let site = tempfile::tempdir().expect("temp dir");
    write_site(kind, site.path(), cases);
    let posts = kind.posts_dir(site.path());
    copydesk_fix(&posts);
    cases
        .iter()
        .filter_map(|case| {
            let text = fs::read_to_string(posts.join(kind.file_name(&case.name))).ok()?;
            (text != case.text).then(|| Case {
                text,
                ..(*case).clone()
            })
        })
        .collect()
}

fn copydesk_fix(posts: &Path) {
    // FM006's fix writes today's date (and a title from the file name) into the
    // post: it changes what the generator reads by design, so it is not judged.
    let output = copydesk()
        .args(["fix", "--ignore", "FM006"])
        .arg(posts)
        .output()
        .expect("run copydesk fix");
    assert!(
        output.status.code().is_some_and(|code| code <= 1),
        "copydesk fix failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The errors copydesk reports per case, among the codes that claim damage.
fn copydesk_errors(kind: Kind, cases: &[&Case]) -> BTreeMap<String, BTreeSet<String>> {
    let site = tempfile::tempdir().expect("temp dir");
    write_site(kind, site.path(), cases);
    let output = copydesk()
        .args(["check", "--format", "json"])
        .arg(kind.posts_dir(site.path()))
        .output()
        .expect("run copydesk check");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "copydesk check --format json: {error}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut errors: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for diagnostic in report["diagnostics"].as_array().into_iter().flatten() {
        let code = diagnostic["code"].as_str().unwrap_or_default();
        if diagnostic["severity"] != "error" || !DAMAGE_CODES.contains(&code) && code != TYPE_CODE {
            continue;
        }
        let path = diagnostic["path"].as_str().unwrap_or_default();
        let file = Path::new(path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        errors
            .entry(kind.case_of(&file))
            .or_default()
            .insert(code.to_owned());
    }
    errors
}

#[derive(Clone)]
struct Case {
    /// A short name that is also a file name.
    name: String,
    /// Where the post comes from, for the report.
    origin: String,
    text: String,
}

fn cases_in(dir: &Path) -> Vec<Case> {
    let mut cases: Vec<Case> = fs::read_dir(dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "md"))
        .map(|entry| {
            let name = entry
                .path()
                .file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
                .unwrap_or_default();
            Case {
                origin: name.clone(),
                name,
                text: fs::read_to_string(entry.path()).unwrap_or_default(),
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

/// The `YYYY-MM-DD` a post's `date:` line starts with, if it has one.
fn written_day(text: &str) -> Option<String> {
    let line = text.lines().find(|line| line.starts_with("date:"))?;
    let value = line["date:".len()..].trim().trim_start_matches(['\'', '"']);
    let day = value.get(..10)?;
    let shaped = day.bytes().enumerate().all(|(at, b)| {
        if at == 4 || at == 7 {
            b == b'-'
        } else {
            b.is_ascii_digit()
        }
    });
    shaped.then(|| day.to_owned())
}

/// The first line, after a BOM and blank lines, is a front-matter fence, and the
/// next one holds data (an empty block loses nothing).
fn starts_with_fence(text: &str) -> bool {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip_while(|line| line.trim().is_empty());
    let first = lines.next().unwrap_or_default().trim();
    let fence = ["---", "+++", ";;;"].iter().any(|f| first.starts_with(f)) || first == "{";
    fence && lines.next().is_some_and(|line| line.contains([':', '=']))
}

/// The top-level `key: value` lines of a post's leading `---` block, in order,
/// values as written.
fn top_level_entries(text: &str) -> Vec<(String, String)> {
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    if lines.next().map(str::trim_end) != Some("---") {
        return Vec::new();
    }
    lines
        .take_while(|line| !matches!(line.trim_end(), "---" | "..."))
        .filter(|line| !line.starts_with([' ', '\t', '#', '-']))
        .filter_map(|line| {
            let (key, value) = line.split_once(':')?;
            Some((key.trim().to_owned(), value.trim().to_owned()))
        })
        .collect()
}

fn unquoted(value: &str) -> &str {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(value)
}

/// A key written twice with different values, read as the later one, or a
/// plain one-line title read as another text (`title: yes` as `true`): the
/// value the author wrote was silently replaced.
fn replaced_value(kind: Kind, case: &Case, read: &Read) -> Option<String> {
    let entries = top_level_entries(&case.text);
    let title = entries.iter().find(|(key, _)| key == "title");
    if let Some((_, written)) = title
        && read.keys.contains("title")
        && is_plain_text(written)
        && !read.title.starts_with(written.as_str())
    {
        return Some(format!("`title: {written}` read as `{}`", read.title));
    }
    for (at, (key, first)) in entries.iter().enumerate() {
        let Some((_, last)) = entries[at + 1..].iter().rev().find(|(k, _)| k == key) else {
            continue;
        };
        let read_key = match kind {
            Kind::Hugo => key.to_lowercase(),
            Kind::Hexo | Kind::Jekyll => key.clone(),
        };
        let (first, last) = (unquoted(first), unquoted(last));
        if first != last && read.values.get(&read_key).map(String::as_str) == Some(last) {
            return Some(format!(
                "`{key}: {first}` replaced by a later `{key}: {last}`"
            ));
        }
    }
    None
}

/// Every text written in the post's front matter as a value or list item
/// (quotes stripped; also each whitespace-separated word, as Jekyll splits a
/// string): a name the generator files the post under must be one of them.
fn written_tokens(text: &str) -> BTreeSet<String> {
    let Some(block) = front_matter_lines(text) else {
        return BTreeSet::new();
    };
    let mut tokens = BTreeSet::new();
    // Whole lines too: a block list item may hold commas (`- Web Design, Graphics`).
    let lines = block.lines();
    let pieces = block.split(['[', ']', '{', '}', ',', '\n']);
    for piece in lines.chain(pieces) {
        let mut piece = piece.trim();
        while let Some(rest) = piece.strip_prefix('-') {
            piece = rest.trim_start();
        }
        let mut add = |value: &str| {
            let value = unquoted(value.trim());
            tokens.insert(value.to_owned());
            for word in value.split_ascii_whitespace() {
                tokens.insert(word.to_owned());
            }
        };
        add(piece);
        for separator in [':', '='] {
            if let Some((_, value)) = piece.split_once(separator) {
                add(value);
            }
        }
    }
    tokens
}

/// The lines between the first fence (after blank lines) and the next one;
/// without a fence, those above the first separator.
fn front_matter_lines(text: &str) -> Option<String> {
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .skip_while(|line| line.trim().is_empty());
    let first = lines.next()?;
    let close = match first.trim_end() {
        "---" => &["---", "..."][..],
        "+++" => &["+++"][..],
        ";;;" => &[";;;"][..],
        // Hexo's fence-less front matter: the lines above the first separator.
        _ => &["---", ";;;"][..],
    };
    let fenced = close.contains(&first.trim_end());
    let block: Vec<&str> = (!fenced)
        .then_some(first)
        .into_iter()
        .chain(lines.take_while(|line| !close.contains(&line.trim_end())))
        .collect();
    Some(block.join("\n"))
}

/// A category path is written when it, or its tail after some `/`, is a
/// written text (Hexo's paths join the levels with `/`).
fn is_written(kind: Kind, name: &str, tokens: &BTreeSet<String>) -> bool {
    // Hugo files every spelling with the same term key under one term, named
    // as the first post it read spells it.
    if kind == Kind::Hugo {
        let key = hugo_term_key(name);
        return tokens.iter().any(|token| hugo_term_key(token) == key);
    }
    tokens.contains(name)
        || name
            .match_indices('/')
            .any(|(at, _)| tokens.contains(&name[at + 1..]))
}

/// Hugo's identity of a taxonomy term: its URL path segment (`UnicodeSanitize`:
/// letters, digits, marks and `._-#+~@/\\` kept, a run of spaces one `-`, the
/// rest dropped), lower-cased.
fn hugo_term_key(name: &str) -> String {
    let mut key = String::new();
    let mut was_hyphen = false;
    for c in name.chars() {
        if c.is_alphanumeric() || "._-#+~@/\\".contains(c) {
            was_hyphen = c == '-';
            key.extend(c.to_lowercase());
        } else if c.is_whitespace() && !was_hyphen {
            was_hyphen = true;
            key.push('-');
        }
    }
    key
}

/// The generator files the post under a category or tag nobody wrote (`2.0`
/// read as `2`, a list read as its text), or under none although the post
/// names some.
fn taxonomy_harm(kind: Kind, case: &Case, read: &Read) -> Option<String> {
    if asks_not_to_publish(kind, case) {
        return None;
    }
    let tokens = written_tokens(&case.text);
    let names = read.categories.iter().chain(&read.tags);
    if let Some(name) = names
        .into_iter()
        .find(|name| !is_written(kind, name, &tokens))
    {
        return Some(format!("filed under `{name}`, which the post does not say"));
    }
    let entries = top_level_entries(&case.text);
    let names_some = |keys: &[&str]| {
        entries.iter().enumerate().any(|(at, (key, value))| {
            let key = match kind {
                Kind::Hugo => key.to_lowercase(),
                Kind::Hexo | Kind::Jekyll => key.clone(),
            };
            keys.contains(&key.as_str())
                && match value.as_str() {
                    "" => block_items(&case.text, at),
                    other => !matches!(other, "[]" | "~" | "null" | "''" | "\"\"" | "{}"),
                }
        })
    };
    let (categories, tags): (&[&str], &[&str]) = match kind {
        Kind::Hugo => (&["categories"], &["tags"]),
        Kind::Hexo | Kind::Jekyll => (&["categories", "category"], &["tags", "tag"]),
    };
    if read.categories.is_empty() && names_some(categories) {
        return Some("filed under no category although the post names some".into());
    }
    if read.tags.is_empty() && names_some(tags) {
        return Some("filed under no tag although the post names some".into());
    }
    None
}

/// Whether the `at`-th top-level key of the front matter is followed by block
/// list items that are not all null.
fn block_items(text: &str, at: usize) -> bool {
    let mut lines = text.trim_start_matches('\u{feff}').lines().skip(1);
    let mut seen = 0;
    for line in lines.by_ref() {
        if matches!(line.trim_end(), "---" | "...") {
            return false;
        }
        if !line.starts_with([' ', '\t', '#', '-']) && line.contains(':') {
            if seen == at {
                break;
            }
            seen += 1;
        }
    }
    lines
        .take_while(|line| {
            line.starts_with([' ', '\t', '-']) && !matches!(line.trim_end(), "---" | "...")
        })
        .filter_map(|line| line.trim().strip_prefix('-'))
        .any(|item| !matches!(item.trim(), "" | "~" | "null"))
}

/// A value that reads as itself in YAML unless the dialect types it: no
/// quoting, flow, block, anchor, tag or comment syntax.
fn is_plain_text(value: &str) -> bool {
    !value.is_empty()
        && !value.starts_with([
            '[', '{', '&', '*', '!', '|', '>', '%', '@', '`', '"', '\'', '-', '?',
        ])
        && !value.contains(" #")
        && !value.contains(": ")
}

/// The post's `published:` says no, as the generator's YAML reads it.
fn asks_not_to_publish(kind: Kind, case: &Case) -> bool {
    top_level_entries(&case.text).iter().any(|(key, value)| {
        key == "published"
            && match kind {
                Kind::Jekyll => {
                    matches!(value.to_ascii_lowercase().as_str(), "false" | "no" | "off")
                }
                Kind::Hexo | Kind::Hugo => matches!(value.as_str(), "false" | "False" | "FALSE"),
            }
    })
}

/// The damage the generator does to a post, if any.
fn damage(kind: Kind, case: &Case, outcome: &Outcome, meant_front_matter: bool) -> Option<String> {
    match outcome {
        // A shortcode or tag plugin the test site lacks is not about front matter.
        Outcome::BuildFailed(error) if error.contains("shortcode") => None,
        Outcome::BuildFailed(error) => Some(format!("build fails: {error}")),
        // `published: false` (`no`, `off` on Jekyll) asks for it.
        Outcome::Dropped if asks_not_to_publish(kind, case) => None,
        Outcome::Dropped => Some("post dropped".into()),
        Outcome::Read(read) => {
            if read.keys.is_empty() && meant_front_matter {
                return Some("front matter lost".into());
            }
            if let Some(replaced) = replaced_value(kind, case, read) {
                return Some(replaced);
            }
            if let Some(harm) = taxonomy_harm(kind, case, read) {
                return Some(harm);
            }
            if read.keys.contains("date") {
                if read.date == "file-time" {
                    return Some("date replaced by the file's time".into());
                }
                // A day that rolled over (`2022-02-30` read as 2 March).
                if let Some(day) = written_day(&case.text) {
                    let read_day = read.date.get(..10).unwrap_or_default();
                    if !near_day(&day, read_day) {
                        return Some(format!("date {day} read as {}", read.date));
                    }
                }
            }
            None
        }
    }
}

/// Two `YYYY-MM-DD` days at most one day apart (time zones shift a day).
fn near_day(a: &str, b: &str) -> bool {
    let parse = |day: &str| day.parse::<jiff::civil::Date>().ok();
    match (parse(a), parse(b)) {
        (Some(a), Some(b)) => (a - b).get_days().abs() <= 1,
        _ => a == b,
    }
}

#[derive(Default)]
struct Tally {
    agree: usize,
    false_negative: usize,
    false_positive: usize,
}

/// What the suite found: the confusion counts and every disagreement.
#[derive(Default)]
struct Findings {
    cases: usize,
    tally: BTreeMap<(String, Kind), Tally>,
    disagreements: Vec<String>,
    unsafe_fixes: Vec<String>,
    /// Categories (as paths) and tags whose post count differs between
    /// `copydesk taxonomy` and what the generator read.
    taxonomy: Vec<String>,
}

fn judge_all(judges: &Judges, cases: &[Case], findings: &mut Findings) {
    findings.cases += cases.len();
    let refs: Vec<&Case> = cases.iter().collect();
    let kinds = [Kind::Hexo, Kind::Hugo, Kind::Jekyll];
    let mut before: BTreeMap<(Kind, &str), BTreeMap<String, Outcome>> = BTreeMap::new();
    for kind in kinds {
        for tz in TIME_ZONES {
            before.insert((kind, tz), read_cases(judges, kind, &refs, tz));
        }
    }
    // The author meant front matter when the post starts with a fence and data.
    let meant: BTreeSet<&str> = cases
        .iter()
        .filter(|case| starts_with_fence(&case.text))
        .map(|case| case.name.as_str())
        .collect();
    for kind in kinds {
        let errors = copydesk_errors(kind, &refs);
        let utc = &before[&(kind, "UTC")];
        let mut undamaged = Vec::new();
        let mut filed = Vec::new();
        for case in cases {
            let outcome = &utc[&case.name];
            let claimed = errors.get(&case.name).cloned().unwrap_or_default();
            let harm = damage(kind, case, outcome, meant.contains(case.name.as_str()));
            let label = |code: &str| (code.to_owned(), kind);
            let claimed_damage: BTreeSet<String> = claimed
                .iter()
                .filter(|code| *code != TYPE_CODE)
                .cloned()
                .collect();
            let silent = if harm.is_some() {
                claimed.is_empty()
            } else {
                claimed_damage.is_empty()
            };
            let claimed = if harm.is_some() {
                claimed
            } else {
                claimed_damage
            };
            match (&harm, silent) {
                (Some(_), false) => {
                    for code in &claimed {
                        findings.tally.entry(label(code)).or_default().agree += 1;
                    }
                }
                (Some(harm), true) => {
                    findings.tally.entry(label("-")).or_default().false_negative += 1;
                    findings.disagreements.push(format!(
                        "{}: {}: {harm}, copydesk reports no error",
                        kind.name(),
                        case.origin
                    ));
                }
                (None, false) => {
                    for code in &claimed {
                        findings
                            .tally
                            .entry(label(code))
                            .or_default()
                            .false_positive += 1;
                    }
                    findings.disagreements.push(format!(
                        "{}: {}: read fine, copydesk reports {}",
                        kind.name(),
                        case.origin,
                        claimed.iter().cloned().collect::<Vec<_>>().join(", ")
                    ));
                }
                (None, true) => {}
            }
            if harm.is_none() {
                undamaged.push(case);
            }
            // copydesk's taxonomy must say where the generator filed these too.
            if harm
                .as_ref()
                .is_none_or(|harm| harm.starts_with("filed under"))
            {
                filed.push(case);
            }
        }
        compare_taxonomy(kind, &filed, utc, findings);
        let fixed = fixed_cases(kind, &undamaged);
        let fixed_refs: Vec<&Case> = fixed.iter().collect();
        for tz in TIME_ZONES {
            let after = read_cases(judges, kind, &fixed_refs, tz);
            for case in &fixed {
                let was = &before[&(kind, tz)][&case.name].without_values(kind);
                let now = &after[&case.name].without_values(kind);
                if was != now {
                    findings.unsafe_fixes.push(format!(
                        "unsafe fix: {}: {}: TZ={tz}: before fix {was:?}, after {now:?}",
                        kind.name(),
                        case.origin
                    ));
                }
            }
        }
    }
}

/// Per category path (`a/b`, every ancestor counted too) and per tag, how many
/// posts `copydesk taxonomy --format json` files there.
fn copydesk_taxonomy(kind: Kind, cases: &[&Case]) -> BTreeMap<String, usize> {
    fn walk(prefix: &str, nodes: &Value, out: &mut BTreeMap<String, usize>) {
        for node in nodes.as_array().into_iter().flatten() {
            let name = node["name"].as_str().unwrap_or_default();
            let path = if prefix.is_empty() {
                name.to_owned()
            } else {
                format!("{prefix}/{name}")
            };
            out.insert(
                format!("category {path}"),
                node["posts"].as_u64().unwrap_or_default() as usize,
            );
            walk(&path, &node["children"], out);
        }
    }
    let site = tempfile::tempdir().expect("temp dir");
    write_site(kind, site.path(), cases);
    let output = copydesk()
        .args(["taxonomy", "--format", "json"])
        .arg(kind.posts_dir(site.path()))
        .output()
        .expect("run copydesk taxonomy");
    let taxonomy: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "copydesk taxonomy --format json: {error}: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut out = BTreeMap::new();
    walk("", &taxonomy["categories"], &mut out);
    for tag in taxonomy["tags"].as_array().into_iter().flatten() {
        out.insert(
            format!("tag {}", tag["name"].as_str().unwrap_or_default()),
            tag["posts"].as_u64().unwrap_or_default() as usize,
        );
    }
    out
}

/// The same counts from what the generator read.
fn generator_taxonomy(
    cases: &[&Case],
    read: &BTreeMap<String, Outcome>,
) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for case in cases {
        let Some(Outcome::Read(post)) = read.get(&case.name) else {
            continue;
        };
        // Hexo's dump lists every category the post is filed under as a path
        // (ancestors too); Hugo's and Jekyll's categories are flat.
        for path in post.categories.iter().collect::<BTreeSet<_>>() {
            *out.entry(format!("category {path}")).or_default() += 1;
        }
        for tag in post.tags.iter().collect::<BTreeSet<_>>() {
            *out.entry(format!("tag {tag}")).or_default() += 1;
        }
    }
    out
}

/// Counts summed per Hugo term key (`tag docker` for `tag Docker` and `tag docker`).
fn by_hugo_term_key(counts: &BTreeMap<String, usize>) -> BTreeMap<String, usize> {
    let mut out: BTreeMap<String, usize> = BTreeMap::new();
    for (name, count) in counts {
        let (kind, value) = name.split_once(' ').unwrap_or(("", name));
        *out.entry(format!("{kind} {}", hugo_term_key(value)))
            .or_default() += count;
    }
    out
}

/// Compares the taxonomy over the posts the generator read fine (copydesk
/// reports the others as errors already).
fn compare_taxonomy(
    kind: Kind,
    cases: &[&Case],
    read: &BTreeMap<String, Outcome>,
    findings: &mut Findings,
) {
    // Posts the generator leaves out as asked (`published: false`) file nothing
    // there, while copydesk counts them on purpose (README: drafts' names are
    // offered in the editor); a file holding NUL bytes is no text to copydesk
    // (reported and skipped).
    let cases: Vec<&Case> = cases
        .iter()
        .copied()
        .filter(|case| matches!(read.get(&case.name), Some(Outcome::Read(_))))
        .filter(|case| !asks_not_to_publish(kind, case))
        .filter(|case| !case.text.contains('\0'))
        .collect();
    let mut ours = copydesk_taxonomy(kind, &cases);
    let mut theirs = generator_taxonomy(&cases, read);
    // Hugo's terms are per term key (`Docker` and `docker`, `how to` and
    // `how-to` are one term); copydesk lists each spelling (FM014 flags the
    // rarer one), so Hugo's counts are compared per key.
    if kind == Kind::Hugo {
        ours = by_hugo_term_key(&ours);
        theirs = by_hugo_term_key(&theirs);
    }
    let names: BTreeSet<&String> = ours.keys().chain(theirs.keys()).collect();
    for name in names {
        let (mine, generator) = (ours.get(name).copied(), theirs.get(name).copied());
        if mine.unwrap_or(0) != generator.unwrap_or(0) {
            findings.taxonomy.push(format!(
                "taxonomy: {}: {name:?}: copydesk {} posts, the generator {}",
                kind.name(),
                mine.unwrap_or(0),
                generator.unwrap_or(0)
            ));
        }
    }
}

fn report(findings: &Findings) -> String {
    let mut out = format!(
        "{} cases × hexo, hugo, jekyll\n{:<8}{:>22}{:>22}{:>22}\n",
        findings.cases, "rule", "hexo agree/FN/FP", "hugo agree/FN/FP", "jekyll agree/FN/FP"
    );
    let codes: BTreeSet<&String> = findings.tally.keys().map(|(code, _)| code).collect();
    for code in codes {
        out.push_str(&format!("{code:<8}"));
        for kind in [Kind::Hexo, Kind::Hugo, Kind::Jekyll] {
            let tally = findings.tally.get(&(code.clone(), kind));
            let cell = tally.map_or("0/0/0".to_owned(), |t| {
                format!("{}/{}/{}", t.agree, t.false_negative, t.false_positive)
            });
            out.push_str(&format!("{cell:>22}"));
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "taxonomy: {} categories or tags counted differently\n",
        findings.taxonomy.len()
    ));
    for line in findings
        .disagreements
        .iter()
        .chain(&findings.unsafe_fixes)
        .chain(&findings.taxonomy)
    {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Disagreements that are known and explained, one a line (`#` comments); the
/// suite fails on any other, and on a listed one that no longer occurs.
fn known() -> BTreeSet<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generators/known-disagreements.txt");
    fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

fn disagreement_key(line: &str) -> String {
    // `[unsafe fix: |taxonomy: ]generator: case: …` names the disagreement;
    // details may change.
    let parts = if line.starts_with("unsafe fix: ") || line.starts_with("taxonomy: ") {
        3
    } else {
        2
    };
    line.splitn(parts + 1, ": ")
        .take(parts)
        .collect::<Vec<_>>()
        .join(": ")
}

#[test]
fn generators_agree_with_copydesk_on_the_cases() {
    let Some(judges) = judges() else { return };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/generators/cases");
    let cases = cases_in(&dir);
    assert!(cases.len() > 20, "the cases are in {}", dir.display());
    let mut findings = Findings::default();
    judge_all(&judges, &cases, &mut findings);
    let text = report(&findings);
    println!("{text}");
    let found: BTreeSet<String> = findings
        .disagreements
        .iter()
        .chain(&findings.unsafe_fixes)
        .chain(&findings.taxonomy)
        .map(|line| disagreement_key(line))
        .collect();
    let known = known();
    let new: Vec<&String> = found.difference(&known).collect();
    let gone: Vec<&String> = known.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "new disagreements {new:#?}\nno longer disagreeing (remove from known-disagreements.txt) {gone:#?}\n{text}"
    );
}

/// Every post of the shared corpus and sites, batched per generator.
#[test]
#[ignore = "minutes: runs the generators over ../shared/corpus and ../shared/sites"]
fn corpus_and_sites() {
    let Some(judges) = judges() else { return };
    let Some(shared) = shared() else {
        eprintln!("skipping: ../shared is absent");
        return;
    };
    // COPYDESK_DIFFERENTIAL_ONLY=corpus (or sites) limits the run to one of them.
    let only = std::env::var("COPYDESK_DIFFERENTIAL_ONLY").unwrap_or_default();
    let mut cases = Vec::new();
    if only.is_empty() || only == "corpus" {
        collect_posts(&shared.join("corpus"), &shared, &mut cases);
    }
    if only.is_empty() || only == "sites" {
        for site in sorted_entries(&shared.join("sites")) {
            for root in POST_ROOTS {
                collect_posts(&site.join(root), &shared, &mut cases);
            }
        }
    }
    let mut findings = Findings::default();
    for batch in cases.chunks(500) {
        judge_all(&judges, batch, &mut findings);
        // Each batch's running totals, so a long run shows its numbers as it goes.
        eprintln!("{}", report(&findings));
    }
    println!("{}", report(&findings));
}

/// Where a site keeps its posts and drafts (Hexo, Hugo, Jekyll): theme
/// scaffolds, archetypes, layouts and top-level pages are not posts.
const POST_ROOTS: [&str; 5] = [
    "source/_posts",
    "source/_drafts",
    "content",
    "_posts",
    "_drafts",
];

fn shared() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    [beside, PathBuf::from("/work/shared")]
        .into_iter()
        .find(|dir| dir.join("corpus").is_dir())
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

/// Markdown posts under `dir` (section pages `_index.md` and READMEs aside),
/// each named `p<number>` so the name is a short file name on every generator,
/// with its path below `shared` as its origin.
fn collect_posts(dir: &Path, shared: &Path, out: &mut Vec<Case>) {
    for path in sorted_entries(dir) {
        if path.is_dir() {
            collect_posts(&path, shared, out);
        } else if path.extension().is_some_and(|ext| ext == "md")
            && path
                .file_name()
                .is_some_and(|name| name != "_index.md" && name != "README.md")
            && let Ok(text) = fs::read_to_string(&path)
        {
            let origin = path.strip_prefix(shared).unwrap_or(&path);
            out.push(Case {
                name: format!("p{:05}", out.len()),
                origin: origin.to_string_lossy().into_owned(),
                text,
            });
        }
    }
}
