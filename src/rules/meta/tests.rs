//! Snapshot tests of CD001 over small posts: the findings under their lines,
//! then the post once every fix (unsafe ones included) is applied.

use crate::Linter;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::fix::fix_to_fixed_point;
use crate::rules::test_support::render;
use crate::site::{PostKey, SiteIndex};

fn lint_all(config: &Config, text: &str) -> Vec<Diagnostic> {
    let key = PostKey::new("post.md");
    Linter::new(config.clone()).check(text, Some(&key), &SiteIndex::default())
}

/// Every finding, then the text once all fixes are applied.
fn check(config: &Config, text: &str) -> String {
    let diagnostics = lint_all(config, text);
    let fixed = fix_to_fixed_point(text, true, |current| lint_all(config, current));
    format!(
        "{}---- fixed ----\n{}",
        render(text, &diagnostics),
        fixed.text
    )
}

#[test]
fn cd001_body_directives() {
    insta::assert_snapshot!(check(
        &Config::default(),
        "---\ntitle: a\n---\n<p data-sudaclick=\"x\">正文。</p> <!-- copydesk-disable-line MK004, MK009 -->\n<p>干净。</p>  <!-- copydesk-disable-line tracking-attribute -->\n\n<!-- copydesk-disable-next-line XX001 -->\n\n<!-- copydesk-disabled MK001 -->\n<p>b</p>\n"
    ));
}

#[test]
fn cd001_front_matter_directives() {
    insta::assert_snapshot!(check(
        &Config::default(),
        "---\ntitle: a\ndate: 2022/7/13 20:46:25 # copydesk-disable FM009\ntags: [x] # copydesk-disable FM009\n# copydesk-disable FM010\n---\nbody\n"
    ));
}

#[test]
fn a_used_directive_and_a_disabled_rule_are_not_reported() {
    let mut config = Config::default();
    config
        .rules
        .insert("MK009".to_owned(), crate::diagnostic::Severity::Off);
    let text = "---\ntitle: a\n---\n<p data-sudaclick=\"x\">正文。</p> <!-- copydesk-disable-line MK004,MK009 -->\n";
    assert_eq!(lint_all(&config, text), []);
}

#[test]
fn cd001_can_be_turned_off_and_suppressions_still_apply() {
    let mut config = Config::default();
    config
        .rules
        .insert("CD001".to_owned(), crate::diagnostic::Severity::Off);
    let text = "---\ntitle: a\n---\n<p data-sudaclick=\"x\">a</p><!-- copydesk-disable-line MK004 -->\n<!-- copydesk-disable-file MK001 -->\n";
    assert_eq!(lint_all(&config, text), []);
}
