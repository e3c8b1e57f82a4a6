use std::ops::Range;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;
use crate::markup::LinkKind;
use crate::markup::patterns::RedirectTarget;
use crate::markup::url::RawUrl;

use super::elements;

/// How the replacement URL must be written where the old one stood.
#[derive(Clone, Copy)]
enum Placement {
    /// Inside an HTML attribute quoted with this character.
    Attribute(char),
    /// A Markdown link destination.
    Markdown,
}

declare_rule! {
    /// ## What it does
    /// Flags links routed through a click-tracking or redirect wrapper whose real
    /// target is a URL parameter: `…/action/GoToLink?url=…`,
    /// `c.duomai.com/track.php?…&t=…`, `link.zhihu.com/?target=…`,
    /// `www.google.com/url?q=…`. Opaque affiliate and short links (`u.jd.com/…`,
    /// `s.click.taobao.com/…`) are reported too, without a fix.
    ///
    /// ## Why it matters
    /// Readers go through a third party that logs the click (and may stop
    /// redirecting one day); the real target is right there in the URL.
    ///
    /// ## Example
    /// ```markdown
    /// <a href="https://link.zhihu.com/?target=https%3A%2F%2Fexample.com%2Fa">example</a>
    /// ```
    /// becomes
    /// ```markdown
    /// <a href="https://example.com/a">example</a>
    /// ```
    ///
    /// ## Fix
    /// Safe: replaces the URL with its decoded target (only when that is an
    /// http(s) URL). Unsafe on Jekyll for a Markdown link inside an HTML block,
    /// which kramdown shows as written.
    pub struct RedirectLink {
        code: "MK013", name: "redirect-link", severity: Warning, fix: Safe,
    }
}

impl RedirectLink {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let text = ctx.doc.text;
        for (_, element) in elements(ctx) {
            if element.name != "a" && element.name != "area" {
                continue;
            }
            let Some(href) = element.attr("href") else {
                continue;
            };
            let Some(range) = href.value_range.clone() else {
                continue;
            };
            let quote = text
                .get(range.start.saturating_sub(1)..range.start)
                .and_then(|q| q.chars().next())
                .filter(|q| *q == '"' || *q == '\'')
                .unwrap_or('"');
            check_url(ctx, range, Placement::Attribute(quote), out);
        }
        for url in &ctx.doc.markup.urls {
            if url.kind != LinkKind::Image {
                let first = out.len();
                check_url(ctx, url.url_range.clone(), Placement::Markdown, out);
                super::unsafe_where_shown_as_written(ctx, url, &mut out[first..]);
            }
        }
    }
}

fn check_url(ctx: &Context, range: Range<usize>, context: Placement, out: &mut Vec<Diagnostic>) {
    let Some(raw) = ctx.doc.text.get(range.clone()) else {
        return;
    };
    let Some(url) = RawUrl::parse(raw) else {
        return;
    };
    let has_param = |name: &str| url.params.iter().any(|param| param.name == name);
    let Some(target) = ctx.patterns.redirect(&url.host, url.path, has_param) else {
        return;
    };
    let decoded = match &target {
        RedirectTarget::Param(name) => url
            .param(name)
            .map(|value| value.trim().to_owned())
            .filter(|value| RawUrl::parse(value).is_some() && !value.starts_with("//")),
        RedirectTarget::Opaque => None,
    };
    let diagnostic = match decoded {
        Some(target) => {
            let replacement = escape(&target, context);
            Diagnostic::new(
                &RedirectLink::META,
                range.clone(),
                format!(
                    "link through the redirect `{}`: its target is `{}`",
                    url.host,
                    super::excerpt(&target, 60)
                ),
            )
            .with_fix(Fix::safe(
                "Link to the target directly",
                vec![Edit::replace(range, replacement)],
            ))
        }
        None => Diagnostic::new(
            &RedirectLink::META,
            range,
            format!(
                "affiliate or redirect link through `{}`; its target cannot be decoded",
                url.host
            ),
        ),
    };
    out.push(diagnostic);
}

/// Writes `url` so it stays one token where it is placed.
fn escape(url: &str, context: Placement) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match (c, context) {
            ('&', Placement::Attribute(_)) => out.push_str("&amp;"),
            ('"', _) => out.push_str("%22"),
            ('\'', Placement::Attribute('\'')) => out.push_str("%27"),
            ('<', _) => out.push_str("%3C"),
            ('>', _) => out.push_str("%3E"),
            (' ', _) => out.push_str("%20"),
            ('(', Placement::Markdown) => out.push_str("%28"),
            (')', Placement::Markdown) => out.push_str("%29"),
            _ => out.push(c),
        }
    }
    out
}
