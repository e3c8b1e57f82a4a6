use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::document::Context;

use super::elements;

/// Presentation attributes CMSs write and no browser or theme reads:
/// `(element or "*", attribute)`.
const CMS_ATTRIBUTES: &[(&str, &str)] = &[
    ("*", "cms-style"),
    ("*", "data-img-size-val"),
    ("*", "classname"),
    ("p", "label"),
];

declare_rule! {
    /// ## What it does
    /// Flags presentation-only CMS attributes that have no effect on the page:
    /// `cms-style`, `data-img-size-val`, `classname`, and `label` on `<p>`;
    /// not on an element written in mixed case (`<Listener className=…>` of an
    /// XML file or a JSX component the post shows).
    ///
    /// ## Why it matters
    /// They are noise from the source CMS that makes the post harder to read and
    /// edit.
    ///
    /// ## Example
    /// ```markdown
    /// <p cms-style="font-L">　　正文</p>
    /// ```
    /// becomes
    /// ```markdown
    /// <p>　　正文</p>
    /// ```
    ///
    /// ## Fix
    /// Safe: removes the attribute with the whitespace before it.
    pub struct CmsAttribute {
        code: "MK009", name: "cms-attribute", severity: Hint, fix: Safe,
    }
}

impl CmsAttribute {
    pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
        for (_, element) in elements(ctx) {
            if is_xml_element(ctx.doc.text, element) {
                continue;
            }
            for attribute in &element.attributes {
                let is_cms = CMS_ATTRIBUTES.iter().any(|(tag, name)| {
                    (*tag == "*" || *tag == element.name) && *name == attribute.name
                });
                if !is_cms {
                    continue;
                }
                out.push(
                    Diagnostic::new(
                        &Self::META,
                        attribute.range.clone(),
                        format!("CMS attribute `{}`", attribute.name),
                    )
                    .with_fix(Fix::safe(
                        format!("Remove `{}`", attribute.name),
                        vec![Edit::delete(attribute.removal_range.clone())],
                    ))
                    .unnecessary(),
                );
            }
        }
    }
}

/// An element written in mixed case (`<Listener className="…">` of a Tomcat
/// `server.xml`, a JSX `<Button>`): XML or a component the post shows, whose
/// attributes are its own, not a CMS's. HTML tag names are written in one case.
fn is_xml_element(text: &str, element: &crate::markup::Element) -> bool {
    let name = text
        .get(element.start_tag.start + 1..)
        .and_then(|rest| rest.get(..element.name.len()))
        .unwrap_or("");
    name.chars().any(|c| c.is_ascii_uppercase()) && name.chars().any(|c| c.is_ascii_lowercase())
}
