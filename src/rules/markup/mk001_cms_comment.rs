use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::{excerpt, removal_range};

declare_rule! {
    /// ## What it does
    /// Flags HTML comments left by a CMS or page template: section markers such as
    /// `<!-- 正文下iframe -->` or `<!-- 文末二维码 start -->`, ad lists hidden in
    /// comments (`<!--article_adlist[…]article_adlist-->`), keyword indexes
    /// (`<!-- news_keyword_pub,stock,… -->`).
    ///
    /// Empty comments (`<!---->`, which Markdown converters write to end a list
    /// before an indented block), generator markers (Hexo's `<!-- more -->`) and copydesk's own
    /// `copydesk-disable…` comments are never flagged.
    ///
    /// ## Why it matters
    /// They are invisible on the page but ship in the HTML, bloat the post and
    /// sometimes carry whole ad blocks that a later template change could reveal.
    ///
    /// ## Example
    /// ```markdown
    /// <p>正文最后一段。</p>
    /// <!-- 正文下iframe -->
    /// ```
    /// becomes
    /// ```markdown
    /// <p>正文最后一段。</p>
    /// ```
    ///
    /// ## Fix
    /// Safe: deletes the comment (and its line when nothing else is on it).
    pub struct CmsComment {
        code: "MK001", name: "cms-comment", severity: Warning, fix: Safe,
    }
}

impl CmsComment {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        let markup = &ctx.doc.markup;
        for (index, comment) in markup.html.comments.iter().enumerate() {
            if markup.is_directive(index)
                || comment.content.trim().eq_ignore_ascii_case("more")
                // `<!---->`: a converter's end-of-list marker, it keeps the
                // indented block after it out of the list.
                || comment.content.trim().is_empty()
                || !ctx.patterns.is_cms_comment(&comment.content)
            {
                continue;
            }
            let delete = removal_range(ctx.doc.text, comment.range.clone());
            out.push(
                Diagnostic::new(
                    &Self::META,
                    comment.range.clone(),
                    format!("CMS comment `{}`", excerpt(&comment.content, 40)),
                )
                .with_fix(Fix::safe("Delete the comment", vec![Edit::delete(delete)]))
                .unnecessary(),
            );
        }
    }
}
