//! Snapshot tests of the MK rules over small fixtures, and the seed article.
//!
//! Each snapshot shows the diagnostics under their source lines, then the text
//! after applying that rule's fixes (unsafe ones included) until nothing changes.

use crate::Linter;
use crate::config::Config;
use crate::fix::fix_to_fixed_point;
use crate::rules::test_support::{lint_code, render};
use crate::site::SiteIndex;

fn lint(code: &str, text: &str) -> Vec<crate::diagnostic::Diagnostic> {
    lint_code(
        text,
        Some("post.md"),
        Config::default(),
        &SiteIndex::default(),
        code,
    )
}

/// Diagnostics of `code`, then the text once all of its fixes are applied.
fn check(code: &str, text: &str) -> String {
    let diagnostics = lint(code, text);
    let fixed = fix_to_fixed_point(text, true, |current| lint(code, current));
    format!(
        "{}---- fixed ----\n{}",
        render(text, &diagnostics),
        fixed.text
    )
}

#[test]
fn mk001_cms_comment() {
    insta::assert_snapshot!(check(
        "MK001",
        "正文。\n<!-- 正文下iframe -->\n<p>a</p><!--article_adlist[<p>举报/反馈</p>]article_adlist--><!-- news_keyword_pub,stock,sh603138 -->\n<!-- more -->\n<!---->\n<!-- copydesk-disable-next-line MK010 -->\n<!-- 作者的注释 -->\n```html\n<!-- 文末二维码 start -->\n```\n"
    ));
}

#[test]
fn mk001_suppressed_by_disable_comment() {
    let text = "<!-- copydesk-disable MK001 -->\n<!-- 总声明 -->\n<!-- copydesk-enable -->\n<!-- 总声明 -->\n";
    insta::assert_snapshot!(check("MK001", text));
}

#[test]
fn mk002_ad_block() {
    insta::assert_snapshot!(check(
        "MK002",
        "<p>正文</p>\n<div class=\"clearfix appendQr_wrap\">\n  <div class=\"appendQr_normal_txt\">尽在新浪财经APP 🎉</div>\n</div>\n<div class=\"adjust header load_more\">keep</div>\n<ins class=\"adsbygoogle\" id=\"x\"></ins>\n<div id=\"ad_top\"><span>unclosed\n"
    ));
}

#[test]
fn mk003_embedded_code() {
    insta::assert_snapshot!(check(
        "MK003",
        "text\n\n            <style>\n            .appendQr_wrap&#123;float:left;&#125;\n            </style>\n\n<script src=\"https://x.cn/a.js\"></script><link rel=\"stylesheet\" href=\"/a.css\"><meta name=\"x\" content=\"y\">\n<iframe src=\"https://player.bilibili.com/player.html?aid=1\"></iframe>\n<iframe src=\"https://www.youtube.com/embed/x\"></iframe>\n<iframe src=\"https://ads.example.com/slot\"></iframe>\n<iframe src=\"https://a.com/v.mp4\"></iframe>\n\n```html\n<script>alert(1)</script>\n```\n\nInline `<style>` and\n\n    <noscript>indented html</noscript>\n\n- item <script>x()</script>\n> quote <noscript>n</noscript>\n"
    ));
}

#[test]
fn mk003_ad_library_scripts_are_deleted_safely() {
    let text = "正文\n<script>window.sinaads = window.sinaads || []; sinaads.push({});</script>\n<script>(adsbygoogle = window.adsbygoogle || []).push({});</script>\n<script>var sinaadsish = 1; draw(sinaadsish);</script>\n";
    let fixes: Vec<_> = lint("MK003", text)
        .into_iter()
        .map(|d| d.fix.map(|fix| fix.applicability))
        .collect();
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    // A demo that merely has a similar name is not an ad library.
    assert_eq!(fixes, [Some(Safe), Some(Safe), Some(Unsafe)]);
}

#[test]
fn mk003_a_stylesheet_that_styles_nothing_in_the_post_is_deleted_safely() {
    let applicability = |text: &str| {
        lint("MK003", text)
            .into_iter()
            .map(|d| d.fix.map(|fix| fix.applicability))
            .collect::<Vec<_>>()
    };
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    // The source page's layout: nothing in the post has these classes.
    assert_eq!(
        applicability(
            "<style>.rich_media_content{font-size:17px} @media (max-width:9px){#js_content p{margin:0}}</style>\n\n正文\n"
        ),
        [Some(Safe)]
    );
    // A demo styles its own elements; a type selector may style the post.
    assert_eq!(
        applicability("<style>.demo{color:red}</style>\n<div class=\"demo\">演示</div>\n"),
        [Some(Unsafe)]
    );
    assert_eq!(
        applicability("<style>p{color:red}</style>\n\n正文\n"),
        [Some(Unsafe)]
    );
}

#[test]
fn mk003_a_tutorial_sample_is_the_post_s_content() {
    let text = "把样式表放在 head 中：\n\n    <head>\n    <link rel=\"stylesheet\" href=\"path/to/file.css\" />\n    </head>\n\n原来申请的是：\n\n<link rel='stylesheet' href='http://localhost/style.css' type='text/css' />\n\n正文\n\n<script src=\"https://x.cn/a.js\"></script>\n";
    let found: Vec<_> = lint("MK003", text)
        .into_iter()
        .map(|d| text[d.range.clone()].to_owned())
        .collect();
    // The indented sample is shown as code and the introduced tag is the post's
    // example: neither is reported; an unexplained script is.
    assert_eq!(found, ["<script src=\"https://x.cn/a.js\"></script>"]);
}

#[test]
fn mk003_demos_the_post_presents_are_its_content() {
    let reported = |text: &str| -> Vec<String> {
        lint("MK003", text)
            .into_iter()
            .map(|d| text[d.range.clone()].to_owned())
            .collect()
    };
    let widget = "<script src=\"https://cdn.example.net/mascot.min.js\"></script>";
    for demo in [
        // The script drives an element of the post.
        "<div id=\"clock\"></div>\n\n<script>\ndocument.getElementById(\"clock\").textContent = 1;\n</script>\n",
        "<div id=\"app\">{{ n }}</div>\n\n<script>\nnew Vue({ el: '#app' })\n</script>\n",
        // The stylesheet styles only the post's own ids.
        "<style>\n#box { width: 9px }\n</style>\n\n<div id=\"box\">盒子</div>\n",
        // The post shows the code, then runs it.
        "```js\nconsole.log('shown first');\n```\n\n正文\n\n<script>\nconsole.log('shown first');\n</script>\n",
        // A page the post writes, introduced through its own tags.
        "正文\n\n<html>\n<head>\n<meta name=\"viewport\" content=\"width=device-width\">\n</head>\n</html>\n",
        // The site's own script, and a tutorial's relative path.
        "正文\n\n<script src=\"/js/sliders.js\"></script>\n\n<script src=\"lib/a.js\"></script>\n",
        // An example address, and a frame that loads nothing.
        "正文\n\n<script src='http://localhost/wp/custom.js?1'></script>\n\n<link rel=\"stylesheet\" href=\"http://127.0.0.1:4000/a.css\">\n",
        "<iframe id=\"history\" style=\"visibility:hidden\"></iframe>\n",
        // The tag's name in a sentence.
        "| 指令 | 元素 |\n|---|---|\n| child-src | HTML 的 <iframe> |\n",
        "* 为 script 参数添加<script language=’javascript’></script>标签。\n",
        // The library a demo runs on, and a drawing's own style.
        "<div id=\"plot\"></div>\n\n<script src=\"https://cdn.example.org/chart.min.js\"></script>\n<script>\nChart.draw(document.getElementById('plot'));\n</script>\n",
        "<svg viewBox=\"0 0 9 9\">\n<style>rect { fill: red }</style>\n<rect width=\"9\" height=\"9\"/>\n</svg>\n",
    ] {
        assert_eq!(reported(demo), Vec::<String>::new(), "{demo}");
    }
    // A frame showing what the text talks about is the post's; an ad slot is not.
    let frame = "The RaftScope visualisation shows five servers.\n\n<iframe src=\"https://raft.example.io/raftscope/index.html\"></iframe>\n";
    assert!(reported(frame).is_empty());
    let slot = "<iframe src=\"https://ads.example.com/slot/index.html\"></iframe>";
    assert_eq!(reported(&format!("正文 index\n\n{slot}\n")), [slot]);
    // A third-party widget nothing introduces is still reported.
    assert_eq!(reported(&format!("正文\n\n{widget}\n")), [widget]);
}

#[test]
fn mk004_tracking_attribute() {
    insta::assert_snapshot!(check(
        "MK004",
        "<a href=\"https://x.cn\" class=\"k\" data-sudaclick=\"content_p\">海</a>\r\n<div data-spm-anchor-id='a.b' onclick=\"go()\" data-track>x</div>\r\n<p online=\"yes\" onmouseover=\"t()\">x</p>\r\n\r\ntext `<a data-sudaclick=\"x\">` text\r\n"
    ));
}

#[test]
fn mk004_a_demo_s_own_handlers_are_its_content() {
    let demo = "<div onmousemove=\"showXY(event)\" onmouseout=\"this.textContent=''\">区</div>\n\n<script>\nfunction showXY(e) { return e; }\n</script>\n";
    assert!(lint("MK004", demo).is_empty());
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    let applicability = |text: &str| -> Vec<_> {
        lint("MK004", text)
            .into_iter()
            .map(|d| d.fix.map(|fix| fix.applicability))
            .collect()
    };
    // Reporting to an analytics script goes safely; an unknown call asks.
    assert_eq!(
        applicability("<a href=\"/x\" onclick=\"_hmt.push(['_trackEvent'])\">x</a>\n"),
        [Some(Safe)]
    );
    assert_eq!(
        applicability("<a href=\"/x\" onclick=\"go()\">x</a>\n"),
        [Some(Unsafe)]
    );
}

#[test]
fn mk005_tracking_param() {
    insta::assert_snapshot!(check(
        "MK005",
        "[简书](http://www.jianshu.com/p/7?utm_campaign=hugo&utm_medium=reader_share&from=singlemessage&isappinstalled=1)\n![图](https://a.cn/i.png?x=1&utm_source=rss#top)\n<a href=\"https://b.cn/?id=3&amp;spm=a.b.c&amp;k=v\">b</a>\n[keep](https://c.cn/?from=2020&id=1)\n\n[ref]: https://d.cn/?fbclid=abc\n\n`https://e.cn/?utm_source=code`\n"
    ));
}

#[test]
fn mk005_tracking_param_in_front_matter() {
    insta::assert_snapshot!(check(
        "MK005",
        "---\ntitle: 海\nheadimg: 'https://a.cn/x.png?utm_source=feed&id=1'\nthumbnail: https://b.cn/t.jpg?fbclid=9\nlinks:\n  - https://c.cn/?spm=1#top\ncover: \"https://d.cn/\\u0061?utm_source=x\"\n---\n\nbody\n"
    ));
}

#[test]
fn mk006_tracker_resource() {
    insta::assert_snapshot!(check(
        "MK006",
        "<p>a<img src=\"https://feeds.feedburner.com/~r/x/~4/y\" height=\"1\" width=\"1\" alt=\"\"/></p>\n<img src=\"https://a.cn/p.gif\" style=\"width: 1px; height: 1px\">\n\n![](https://www.google-analytics.com/collect?v=1)\n<img src=\"https://a.cn/photo.jpg\" width=\"640\">\n"
    ));
}

#[test]
fn mk007_keyword_autolink() {
    insta::assert_snapshot!(check(
        "MK007",
        "法院信息化带来了<span id=\"stock_sh603138\"><a href=\"https://finance.sina.com.cn/realstock/company/sh603138/nc.shtml\" class=\"keyword\" target=\"_blank\" data-sudaclick=\"content_marketkeywords_p\">海量数据</a></span><span id=\"quote_sh603138\"></span>资源\n<a class=\"keyword\" href=\"https://x.cn\">词</a>\n"
    ));
}

#[test]
fn mk007_and_mk004_fixes_nest_and_converge() {
    let text = "带来了<span id=\"stock_sh603138\"><a href=\"https://x.cn\" class=\"keyword\" data-sudaclick=\"k\">海量数据</a></span><span id=\"quote_sh603138\"></span>资源\n";
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let diagnostics = linter.check(text, None, &site);
    let codes: Vec<&str> = diagnostics
        .iter()
        .map(|d| d.code)
        .filter(|code| code.starts_with("MK"))
        .collect();
    assert_eq!(codes, ["MK007", "MK004", "MK007"]);
    let fixed = fix_to_fixed_point(text, false, |t| linter.check(t, None, &site));
    assert_eq!(fixed.text, "带来了海量数据资源\n");
    assert!(fixed.remaining.iter().all(|d| !d.code.starts_with("MK")));
}

/// Every diagnostic of `code` with its fix's applicability, then the text after
/// all its fixes.
fn findings_and_fixed(
    code: &str,
    text: &str,
) -> (
    Vec<(String, Option<crate::diagnostic::Applicability>)>,
    String,
) {
    let findings = lint(code, text)
        .into_iter()
        .map(|d| {
            (
                text[d.range.clone()].to_owned(),
                d.fix.map(|fix| fix.applicability),
            )
        })
        .collect();
    let fixed = fix_to_fixed_point(text, true, |current| lint(code, current));
    (findings, fixed.text)
}

#[test]
fn mk007_keyword_links_are_recognised_by_their_target_whatever_their_class() {
    let text = concat!(
        "龙头<a href=\"https://quote.eastmoney.com/sz000001.html\" class=\"em-link\">平安银行</a>涨停\n",
        "其中<a class=\"kw\" href=\"https://money.example.cn/stock/SH603138/\">海量数据</a>走强\n",
        "Shares of <a href=\"https://finance.yahoo.com/quote/AAPL\" rel=\"nofollow\">Apple</a> rose.\n",
        "带来了<span data-stockcode=\"sh600519\"><a href=\"/s/1\" class=\"t\">贵州茅台</a></span>的\n",
        "As [Tesla](https://www.nasdaq.com/market-activity/stocks/tsla) said.\n",
        // Kept: a link the author listed on a line of its own, a sentence as link
        // text, and an article on a finance portal.
        "<a href=\"https://finance.yahoo.com/quote/AAPL\">AAPL</a>\n",
        "See <a href=\"https://finance.yahoo.com/quote/AAPL\">the full quote page with history and news</a>.\n",
        "Read <a href=\"https://finance.yahoo.com/news/apple-1.html\">Apple</a> news.\n",
    );
    let (findings, fixed) = findings_and_fixed("MK007", text);
    use crate::diagnostic::Applicability::Safe;
    let flagged: Vec<&str> = findings
        .iter()
        .map(|(flagged, _)| flagged.as_str())
        .collect();
    assert_eq!(flagged.len(), 5, "{flagged:#?}");
    assert!(findings.iter().all(|(_, fix)| *fix == Some(Safe)));
    assert_eq!(
        fixed,
        concat!(
            "龙头平安银行涨停\n",
            "其中海量数据走强\n",
            "Shares of Apple rose.\n",
            "带来了贵州茅台的\n",
            "As Tesla said.\n",
            "<a href=\"https://finance.yahoo.com/quote/AAPL\">AAPL</a>\n",
            "See <a href=\"https://finance.yahoo.com/quote/AAPL\">the full quote page with history and news</a>.\n",
            "Read <a href=\"https://finance.yahoo.com/news/apple-1.html\">Apple</a> news.\n",
        )
    );
}

#[test]
fn mk006_feed_pixels_and_flare_buttons_go_with_their_empty_links() {
    let text = concat!(
        "Text.\n\n",
        "<div class=\"feedflare\"><a href=\"http://feeds.feedburner.com/~ff/Blog?a=x:y\"><img src=\"http://feeds.feedburner.com/~ff/Blog?d=z\" border=\"0\"></a></div>\n\n",
        "<a rel=\"nofollow\" href=\"http://feeds.wordpress.com/1.0/gocomments/b.wordpress.com/1/\"><img alt=\"\" border=\"0\" src=\"http://feeds.wordpress.com/1.0/comments/b.wordpress.com/1/\" /></a>\n<img alt=\"\" border=\"0\" src=\"https://pixel.wp.com/b.gif?host=b.wordpress.com\" width=\"1\" height=\"1\" />\n\n",
        "<img src=\"https://medium.com/_/stat?event=post.clientViewed&postId=1\" alt=\"\">\n\n",
        "<img src=\"https://example.substack.com/api/v1/post/1/open\">\n\n",
        "<a href=\"https://example.com/\"><img src=\"https://example.com/photo.jpg\"></a>\n",
    );
    let (findings, fixed) = findings_and_fixed("MK006", text);
    assert_eq!(findings.len(), 5, "{findings:#?}");
    assert_eq!(
        fixed,
        // (The Linter, not the rule, closes the blank-line pair left behind.)
        "Text.\n\n<div class=\"feedflare\"></div>\n\n\n<a href=\"https://example.com/\"><img src=\"https://example.com/photo.jpg\"></a>\n"
    );
}

#[test]
fn english_feed_share_widgets_and_footers() {
    let widgets = "<div class=\"sharedaddy sd-sharing-enabled\"><h3>Share this:</h3></div>\n<div id=\"jp-post-flair\">x</div>\n<div class=\"social-share-demo\">keep</div>\n";
    let (findings, _) = findings_and_fixed("MK002", widgets);
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let footers = "Article.\n\nCopyright © 2024 Example Media. All rights reserved.\n\nLike this:\n\n> Copyright (C) 2002-2009 A Tool Author.\n\nAll rights reserved is a phrase in this sentence about licences, which goes on.\n";
    let (findings, _) = findings_and_fixed("MK008", footers);
    let flagged: Vec<&str> = findings
        .iter()
        .map(|(flagged, _)| flagged.as_str())
        .collect();
    assert_eq!(
        flagged,
        [
            "Copyright © 2024 Example Media. All rights reserved.",
            "Like this:"
        ]
    );
}

#[test]
fn mk005_a_url_shown_as_text_is_fixed_only_unsafely() {
    let text = "See <https://flutter.io/?utm_source=google&lang=en> and http://a.org/p.pdf?utm_source=weekly&utm_medium=email。\n\n[kept](https://b.org/?utm_source=x)\n\n    http://code.example/?utm_source=x\n";
    let (findings, fixed) = findings_and_fixed("MK005", text);
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    let fixes: Vec<_> = findings.iter().map(|(_, fix)| *fix).collect();
    assert_eq!(
        fixes,
        [Some(Unsafe), Some(Unsafe), Some(Safe)],
        "{findings:#?}"
    );
    assert_eq!(
        fixed,
        "See <https://flutter.io/?lang=en> and http://a.org/p.pdf。\n\n[kept](https://b.org/)\n\n    http://code.example/?utm_source=x\n"
    );
}

#[test]
fn mk008_boilerplate() {
    insta::assert_snapshot!(check(
        "MK008",
        "<p class=\"article-editor\">责任编辑：李昂 </p>\n<div><div class=\"t\">海量资讯、精准解读，尽在新浪财经APP</div></div>\n<p>他说“责任编辑：不在”，又说了很多很多别的。</p>\n**责任编辑：张三**\n\nShare this:\n\n> Read more at example.com\n\nThe article says: share this with friends.\n```\n责任编辑：code\n```\n"
    ));
}

#[test]
fn mk008_only_the_footer_after_the_article() {
    let steps = "步骤。\n".repeat(12);
    // Mid-post, with a section after it: the article's own instruction.
    let mid = format!("{steps}\n点击下方按钮，开始部署\n\n## 第二步\n\n{steps}");
    assert!(lint("MK008", &mid).is_empty());
    // A licence notice quoted in the middle, many lines before the end.
    let licence =
        format!("{steps}\nCopyright (c) 2001 Example Inc. All rights reserved.\n\n{steps}");
    assert!(lint("MK008", &licence).is_empty());
    // At the start it is the article's too (a book's or a licence's notice).
    assert!(lint("MK008", &format!("版权所有：某出版社，2012\n\n{steps}")).is_empty());
    // The same lines after the end of the article are the feed's footer.
    assert_eq!(
        lint("MK008", &format!("{steps}\n扫描二维码关注我们\n")).len(),
        1
    );
}

#[test]
fn mk009_cms_attribute() {
    insta::assert_snapshot!(check(
        "MK009",
        "<p cms-style=\"font-L\">　　正文<font cms-style=\"font-L strong-Bold\">【报告】</font></p>\n<img data-img-size-val=\"1,1\" classname=\"x\" src=\"a.png\">\n<p label=\"图片\">x</p><div label=\"keep\">y</div>\n"
    ));
}

#[test]
fn mk009_an_xml_element_s_attributes_are_its_own() {
    let text = "配置：\n\n<Listener className=\"org.example.Listener\" />\n\n<IMG classname=\"x\" src=\"a.png\">\n";
    let found: Vec<_> = lint("MK009", text)
        .into_iter()
        .map(|d| d.range.start)
        .collect();
    // Only the upper-case HTML `<IMG>` carries a CMS's attribute.
    assert_eq!(found, [text.find("classname").unwrap_or(0)]);
}

#[test]
fn mk010_empty_element() {
    insta::assert_snapshot!(check(
        "MK010",
        "<p>　　</p>\n<div><span class=\"x\"></span> </div>\n<p><img src=\"a.png\"></p>\n<a name=\"anchor\"></a>\n<p>`code`</p>\n<span>字</span><b></b>\n"
    ));
}

#[test]
fn mk010_a_demo_s_styled_boxes_and_templates_are_not_empty() {
    for demo in [
        "<p>\n<div style=\"width: 1in; background: red\"></div>\n</p>\n",
        "<div><i class=\"fa fa-star\"></i></div>\n",
        "<div>\n  <template v-if=\"ok\">\n    <label>名字</label>\n  </template>\n</div>\n",
    ] {
        assert!(lint("MK010", demo).is_empty(), "{demo}");
    }
    assert_eq!(lint("MK010", "<div><span></span></div>\n").len(), 1);
    // An HTML example indented as code.
    assert!(lint("MK010", "例如：\n\n\t<div>\n\n\t</div>\n").is_empty());
    assert!(lint("MK010", "正文\n\n    /<(\\w+)><\\/\\1>/ 匹配 `<b></b>`\n").is_empty());
    // An imported page's HTML that happens to be indented is still reported.
    assert_eq!(
        lint(
            "MK010",
            "正文\n\n    <div>\n      <p>\n      </p>\n    </div>\n"
        )
        .len(),
        1
    );
    // A colour alone draws nothing in an empty element.
    assert_eq!(
        lint("MK010", "<p>\n<span style=\"color: #f00\"></span>\n</p>\n").len(),
        1
    );
}

#[test]
fn mk011_excess_blank_lines() {
    insta::assert_snapshot!(check(
        "MK011",
        "a\n\n\n\nb\n\n\nc\n \t\n\nd\n\n```\n\n\n\n```\n\ne\n\n\n\n"
    ));
}

#[test]
fn mk011_keeps_crlf_and_the_final_newline() {
    let text = "a\r\n\r\n\r\n\r\n\r\n";
    let fixed = fix_to_fixed_point(text, false, |t| lint("MK011", t));
    assert_eq!(fixed.text, "a\r\n\r\n");
}

#[test]
fn mk012_lazy_image() {
    insta::assert_snapshot!(check(
        "MK012",
        "<img src=\"data:image/gif;base64,R0lGOD\" data-src=\"https://mmbiz.qpic.cn/a.png?wx_fmt=png\" data-type=\"png\">\n<img data-original=\"https://a.cn/b.jpg\" class=\"lazyload\">\n<img src=\"https://a.cn/real.jpg\" data-src=\"https://a.cn/real@2x.jpg\">\n<img src=\"\" data-actualsrc='https://pic1.zhimg.com/c.jpg'>\n"
    ));
}

#[test]
fn mk013_redirect_link() {
    insta::assert_snapshot!(check(
        "MK013",
        "<a href=\"https://www.oschina.net/action/GoToLink?url=https%3A%2F%2F7-zip.org%2Fa%2F7z.exe\">7-Zip</a>\n<a href=\"https://c.duomai.com/track.php?site_id=1&amp;euid=&amp;t=https%3A%2F%2Fitem.jd.com%2F1.html%3Fa%3D1%26b%3D2\">jd</a>\n[知乎](https://link.zhihu.com/?target=https%3A//example.com/a%20(b))\n[g](https://www.google.com/url?q=https://example.org/&sa=D)\n<a href=\"https://u.jd.com/GownLGG\">买</a>\n<a href=\"https://link.zhihu.com/?target=javascript%3Aalert(1)\">x</a>\n"
    ));
}

#[test]
fn broken_html_and_emoji_do_not_panic() {
    let texts = [
        "<div class=\"ad_x\"><p>🎉<span data-sudaclick=",
        "<a href=\"https://link.zhihu.com/?target=",
        "<!-- 文末二维码",
        "<img data-src='https://a.cn/🎉.png' src=>",
        "</div></span><<<>>> <p\n<",
        "\r\n\r\n\r\n\r\n<p>\u{3000}</p>\r",
    ];
    let linter = Linter::new(Config::default());
    for text in texts {
        let fixed =
            fix_to_fixed_point(text, true, |t| linter.check(t, None, &SiteIndex::default()));
        let again = fix_to_fixed_point(&fixed.text, true, |t| {
            linter.check(t, None, &SiteIndex::default())
        });
        assert_eq!(fixed.text, again.text, "not idempotent on {text:?}");
    }
}

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/examples/seed-article.md"
);

#[test]
fn seed_article() {
    let Ok(text) = std::fs::read_to_string(SEED) else {
        eprintln!("note: {SEED} is absent; skipping");
        return;
    };
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    let diagnostics: Vec<_> = linter
        .check(&text, Some(&"seed.md".into()), &site)
        .into_iter()
        .filter(|d| d.code.starts_with("MK"))
        .collect();
    let index = crate::line_index::LineIndex::new(&text);
    let at = |code: &str| -> Vec<(u32, u32)> {
        diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| {
                let p = index.position(&text, d.range.start, crate::line_index::Encoding::Utf32);
                (p.line + 1, p.col + 1)
            })
            .collect()
    };
    assert_eq!(at("MK002"), [(82, 13)], "QR promo block");
    assert_eq!(at("MK003"), [(76, 13)], "<style>");
    assert_eq!(at("MK004"), [(44, 199)], "data-sudaclick");
    assert_eq!(
        at("MK007"),
        [(44, 67), (44, 256)],
        "stock link and quote span"
    );
    assert_eq!(at("MK008"), [(82, 13), (92, 1)], "app promo, editor credit");
    assert_eq!(at("MK011"), [(47, 1), (60, 1)], "blank runs");
    assert_eq!(at("MK009").len(), 35, "cms-style on every paragraph");
    assert_eq!(at("MK009")[0], (16, 4));
    let comments = at("MK001");
    assert_eq!(comments.len(), 12);
    assert_eq!(comments[..3], [(45, 1), (45, 134), (53, 1)]);
    assert!(at("MK005").is_empty() && at("MK013").is_empty());
    insta::assert_snapshot!(render(&text, &diagnostics));
}

#[test]
fn seed_article_fix_unsafe_keeps_the_article_and_nothing_else() {
    let Ok(text) = std::fs::read_to_string(SEED) else {
        eprintln!("note: {SEED} is absent; skipping");
        return;
    };
    let linter = Linter::new(Config::default());
    let site = SiteIndex::default();
    // Only the MK fixes: front-matter fixes are another family's business.
    let lint_markup = |t: &str| {
        let mut diagnostics = linter.check(t, None, &site);
        diagnostics.retain(|d| d.code.starts_with("MK"));
        diagnostics
    };
    let fixed = fix_to_fixed_point(&text, true, lint_markup);
    let out = &fixed.text;
    for junk in [
        "<!--",
        "cms-style",
        "appendQr",
        "<style",
        "尽在新浪财经APP",
        "责任编辑",
        "data-sudaclick",
        "stock_",
        "quote_",
        "\n\n\n",
    ] {
        assert!(!out.contains(junk), "{junk:?} left in the fixed seed");
    }
    for kept in [
        "　　2021年，全国法院在线立案1143.9万件",
        "带来了海量数据资源",
        "引领个人信息保护的历史潮流。</p>",
    ] {
        assert!(out.contains(kept), "{kept:?} lost from the fixed seed");
    }
    assert!(out.trim_end().ends_with("</div>"));
    let again = fix_to_fixed_point(out, true, lint_markup);
    assert_eq!(&again.text, out);
    insta::assert_snapshot!(out.as_str());
}

#[test]
fn link_fixes_inside_a_kramdown_raw_html_block_are_unsafe_on_jekyll_only() {
    use crate::config::Generator;
    use crate::diagnostic::Applicability::{Safe, Unsafe};
    use crate::rules::test_support::lint_for;
    // kramdown keeps the `<div>` raw up to `</div>`: the links after the blank line
    // are shown as written; CommonMark makes them links. After `</div>`, Markdown.
    let text = "<div class=\"note\">\n\n[a](https://x.cn/?utm_source=feed)\n龙头[平安银行](https://quote.eastmoney.com/sz000001.html)涨停\n![](https://www.google-analytics.com/collect?v=1)\n[b](https://link.zhihu.com/?target=https%3A%2F%2Fy.cn%2F)\n</div>\n\n[c](https://x.cn/?utm_source=feed)\n";
    for code in ["MK005", "MK006", "MK007", "MK013"] {
        let fixes = |generator| -> Vec<_> {
            (lint_for(text, generator, code).iter())
                .map(|found| found.fix.as_ref().map(|fix| fix.applicability))
                .collect()
        };
        let outside_too = code == "MK005";
        let expected = |inside| {
            let mut fixes = vec![Some(inside)];
            if outside_too {
                fixes.push(Some(Safe));
            }
            fixes
        };
        assert_eq!(fixes(Generator::Jekyll), expected(Unsafe), "{code}");
        assert_eq!(fixes(Generator::Hexo), expected(Safe), "{code}");
        assert_eq!(fixes(Generator::Hugo), expected(Safe), "{code}");
    }
}
