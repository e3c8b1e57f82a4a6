use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::{elements, removal_range};

declare_rule! {
    /// ## What it does
    /// Flags an element whose `class` or `id` matches an ad or promo pattern
    /// (`appendQr_wrap`, `sinaads`, `ad_…`, `advert`, `sponsor`, QR-code and
    /// app-download promos). The range covers the whole element with its children;
    /// nested matches are reported once, on the outermost element.
    ///
    /// ## Why it matters
    /// Imported articles drag along the source site's ad slots and "download our
    /// app" boxes: they advertise someone else on your site.
    ///
    /// ## Example
    /// ```markdown
    /// <div class="clearfix appendQr_wrap">
    ///   <div class="appendQr_normal_txt">海量资讯、精准解读，尽在新浪财经APP</div>
    /// </div>
    /// ```
    /// is deleted entirely.
    ///
    /// ## Fix
    /// Unsafe (the block's text disappears): deletes the element. Elements that are
    /// never closed are reported without a fix.
    pub struct AdBlock {
        code: "MK002", name: "ad-block", severity: Warning, fix: Unsafe,
    }
}

impl AdBlock {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let mut covered_until = 0;
        for (_, element) in elements(ctx) {
            if element.start_tag.start < covered_until {
                continue;
            }
            let class_hit = element.attr_value("class").and_then(|classes| {
                classes
                    .split_whitespace()
                    .find_map(|c| ctx.patterns.ad_class(c).map(|_| c))
            });
            let hit = class_hit
                .map(|class| format!("class `{class}`"))
                .or_else(|| {
                    let id = element.attr_value("id")?;
                    ctx.patterns.ad_class(id).map(|_| format!("id `{id}`"))
                });
            let Some(hit) = hit else { continue };
            covered_until = element.end;
            let range = if element.is_complete() {
                element.range()
            } else {
                element.start_tag.clone()
            };
            let mut diagnostic = Diagnostic::new(
                &Self::META,
                range.clone(),
                format!("ad or promo block `<{}>` ({hit})", element.name),
            )
            .unnecessary();
            if element.is_complete() {
                diagnostic = diagnostic.with_fix(Fix::unsafe_(
                    "Delete the ad block",
                    vec![Edit::delete(removal_range(ctx.doc.text, range))],
                ));
            }
            out.push(diagnostic);
        }
    }
}
