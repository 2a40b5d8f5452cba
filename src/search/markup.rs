//! A page's markup as the search index needs it. Pagefind parses every element of every document
//! it is given and reads a few attributes of each; it keeps none of what is inside `svg`,
//! `script` and `style`. A report's charts are half its bytes and a third of its elements, and
//! its table cells carry classes and labels for the page's layout: most of a cold build's time
//! at 100 customers went to Pagefind parsing them. This pass hands Pagefind the same text,
//! elements, ids and `data-pagefind-*` marks without the rest, folding the text on the way
//! (`fold`): the index comes out the same bytes (a test indexes both).
//!
//! It reads the markup with a small tokenizer (tags, quoted attribute values, comments); where
//! the markup is not what it expects (a tag or comment left open), the rest passes as it is.

use super::flatten::{Open, Start};
use super::fold::fold;
use super::tokens::{
    contains_ignore_case, content_end, ends_its_sibling, find_end_tag, is_raw_text, is_void, token,
    Tag, Token, RAW_TEXT,
};

/// Elements whose content Pagefind never reads: their start and end tags stay (an `id` on one
/// still makes an anchor), what is between them goes.
const CONTENT_SKIPPED: [&str; 4] = ["svg", "script", "style", "iframe"];
/// How deep elements nest in what Pagefind is given; deeper ones give their text only.
const MAX_DEPTH: usize = 200;

/// The markup Pagefind reads of `html`, its text folded.
pub fn for_index(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    // Whether each open `<span>` was kept (it had a `data-pagefind-*` mark or an id), so that
    // its end tag is kept with it and the others' are left out.
    let mut spans: Vec<bool> = Vec::new();
    // The elements open, each with whether its tags were kept: past `MAX_DEPTH` only their
    // text is (Pagefind copies each element's text into its parent's: a page of 100,000
    // nested quotes took minutes).
    let mut nest: Vec<Open> = Vec::new();
    let mut skips = Skips::default();
    while let Some(open) = rest.find('<') {
        out.push_str(&fold(&rest[..open]));
        rest = &rest[open..];
        let Some(token) = token(rest) else {
            // A `<` that starts no tag is text.
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let Token::Tag(tag) = token else {
            // A comment or a tag left open: the rest as it is.
            match token {
                Token::Comment(len) => rest = &rest[len..],
                _ => {
                    out.push_str(&fold(rest));
                    return out;
                }
            }
            continue;
        };
        rest = &rest[tag.len..];
        if tag.name.eq_ignore_ascii_case("span") {
            if tag.closing {
                if spans.pop() == Some(true) {
                    out.push_str(tag.raw);
                }
            } else {
                // A span with an id is an anchor.
                let kept = tag.marked || tag.id;
                spans.push(kept);
                if kept {
                    out.push_str(tag.raw);
                }
            }
            continue;
        }
        let open_element = !tag.closing && !tag.self_closing && !is_void(tag.name);
        // Inside `svg` or `math`, where tags are written whole.
        let foreign = nest.last().is_some_and(|o| o.foreign);
        if tag.closing {
            // Its element and those left open inside it (`<li>` without `</li>`) close; an
            // end tag whose element is not among the last few open is written as it is.
            let near = nest.len().saturating_sub(MAX_DEPTH);
            let at = (nest[near..].iter())
                .rposition(|open| open.name.eq_ignore_ascii_case(tag.name))
                .map(|i| near + i);
            match at {
                // Closed by its own end tag, it may go to Pagefind as its text.
                Some(at) if at + 1 == nest.len() && nest[at].hand_over(&mut out) => {
                    nest.truncate(at);
                }
                Some(at) => {
                    if nest[at].kept {
                        tag.write(&mut out, foreign);
                    }
                    nest.truncate(at);
                }
                None => tag.write(&mut out, foreign),
            }
        } else if open_element {
            start_element(&tag, &mut out, &mut nest, foreign, spans.contains(&true));
        } else {
            tag.write(&mut out, foreign);
        }
        if !open_element {
            continue;
        }
        if tag.name.eq_ignore_ascii_case("plaintext") {
            // Everything after it is text to an HTML parser.
            out.push_str(&fold(rest));
            return out;
        }
        if let Some(skip) = skips.content(&tag, rest, html.len() - rest.len(), &nest) {
            rest = &rest[skip..];
        } else if let Some(raw) = RAW_TEXT.iter().find(|n| tag.name.eq_ignore_ascii_case(n)) {
            let Some(end) = find_end_tag(rest, raw) else {
                out.push_str(rest);
                return out;
            };
            out.push_str(&fold(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out.push_str(&fold(rest));
    out
}

/// A start tag of an element with content: written while fewer than `MAX_DEPTH` are open, and
/// pushed on the stack of open elements with what its end tag will do.
fn start_element<'a>(
    tag: &Tag<'a>,
    out: &mut String,
    nest: &mut Vec<Open<'a>>,
    foreign: bool,
    in_kept_span: bool,
) {
    // `<li>` after an `<li>` left open is its sibling (HTML ends the first).
    if (nest.last())
        .is_some_and(|open| open.name.eq_ignore_ascii_case(tag.name) && ends_its_sibling(tag.name))
    {
        nest.pop();
    }
    // The kept ones are the first `MAX_DEPTH` open.
    let kept = nest.len() < MAX_DEPTH;
    let tag_at = out.len();
    if kept {
        tag.write(out, foreign);
    }
    let start = Start {
        name: tag.name,
        kept,
        plain: !tag.marked && !tag.body && !tag.ignored && tag.kept.is_empty(),
        has_id: tag.id,
        ignored: tag.ignored,
        in_kept_span,
        tag_at,
        text_at: out.len(),
    };
    let open = Open::new(start, nest.last());
    nest.push(open);
}

/// What `for_index` knows of where content may be skipped.
#[derive(Default)]
struct Skips {
    /// Elements whose end tag is nowhere in the rest: not looked for again (100,000 unclosed
    /// `<svg>` would each search the rest of the page).
    never_ended: Vec<String>,
    /// Where the content of the last element found to hold a mark ends: no element inside it
    /// is looked at for skipping (30,000 nested ignored elements around one mark would each
    /// search to their end tag and through their content).
    marked_until: usize,
}

impl Skips {
    /// How many bytes of `rest` (the markup after `tag`, at byte `at` of the page) Pagefind would
    /// read nothing of, up to the element's end tag: the content of a `svg`, `script`, `style` or
    /// `iframe`, and of an element marked `data-pagefind-ignore` (a report's list of source
    /// files, whose hashes change with every export and would have each report indexed again),
    /// unless a `data-pagefind-*` mark is inside it (marks are read there too). A `svg` with an
    /// id keeps its content: an inline element inside counts towards that anchor's text.
    /// `nest` is the elements open, this one last: an end tag of one of the others ends it too.
    fn content(&mut self, tag: &Tag, rest: &str, at: usize, nest: &[Open]) -> Option<usize> {
        let name = match CONTENT_SKIPPED
            .iter()
            .find(|n| tag.name.eq_ignore_ascii_case(n))
        {
            Some(name) if !(tag.id && name == &"svg") => *name,
            Some(_) => return None,
            None if tag.ignored && !is_void(tag.name) && !is_raw_text(tag.name) => tag.name,
            None => return None,
        };
        if at < self.marked_until
            || self
                .never_ended
                .iter()
                .any(|n| n.eq_ignore_ascii_case(name))
        {
            return None;
        }
        let end = if is_raw_text(name) {
            find_end_tag(rest, name)
        } else {
            let around = &nest[..nest.len().saturating_sub(1)];
            let ancestors: Vec<&str> = around.iter().map(|o| o.name).collect();
            content_end(rest, name, &ancestors)
        };
        let Some(end) = end else {
            self.never_ended.push(name.to_string());
            return None;
        };
        if contains_ignore_case(&rest[..end], "data-pagefind") {
            self.marked_until = at + end;
            return None;
        }
        Some(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_and_layout_attributes_go_and_what_pagefind_reads_stays() {
        assert_eq!(
            for_index("<h2 id=\"sla\" class=\"x\">ＳＬＡ</h2><figure class=\"chart\"><div class=\"chart-box\"><svg viewBox=\"0 0 1 1\"><text x=\"1\">50</text></svg></div></figure>"),
            "<h2 id=\"sla\">SLA</h2><figure><div><svg></svg></div></figure>"
        );
        // A cell of text alone goes as its text, spaced and ended as Pagefind ends a block.
        assert_eq!(
            for_index("<td data-label=\"値>\" class='a>b'>1 &amp; 2</td><img src=\"a.png\" alt=\"図\" width=\"3\"/>"),
            " 1 &amp; 2. <img src=\"a.png\" alt=\"図\"/>"
        );
        // Marked elements whole; a marked span and its end tag kept, other spans left out.
        assert_eq!(
            for_index("<div data-pagefind-ignore class=\"d\"><span class=\"k\">a</span><span data-pagefind-weight=\"2\">b</span></div>"),
            "<div data-pagefind-ignore class=\"d\">a<span data-pagefind-weight=\"2\">b</span></div>"
        );
        // An ignored element's content goes when no mark is inside it, nested or not.
        assert_eq!(
            for_index("<section data-pagefind-ignore><h2 id=\"s\">元</h2><div><div>9971e4</div></div></section>後<br data-pagefind-ignore>x"),
            "<section data-pagefind-ignore></section>後<br data-pagefind-ignore>x"
        );
        // `data-pagefind-body` goes, with or without other marks.
        assert_eq!(
            for_index("<div data-pagefind-body class=\"b\">B</div><p data-pagefind-body=\"\" data-pagefind-weight=\"2\">W</p>"),
            "<div>B</div><p data-pagefind-weight=\"2\">W</p>"
        );
        // A mark inside a svg keeps its content; an id on it stays (an anchor).
        let marked = "<svg><data data-pagefind-filter=\"a[value]\" value=\"b\"></data></svg>";
        assert_eq!(for_index(marked), marked);
        // A svg with an id keeps its content (an inline element inside is that anchor's text),
        // and inside svg or math every tag is written whole.
        let anchored = "<svg id=\"c\"><g class=\"x\"><a href=\"#x\">link</a></g></svg>";
        assert_eq!(for_index(anchored), anchored);
    }

    /// `for_index` of a page built to be slow, failing the test past 5 s.
    fn slim_within_5_s(html: &str) -> String {
        let started = std::time::Instant::now();
        let slim = for_index(html);
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(5), "{took:?}");
        slim
    }

    #[test]
    fn elements_nested_past_the_limit_give_their_text_only() {
        let n = 100_000;
        // (A line break inside keeps each quote's tags: text alone would go as text.)
        let html = format!(
            "{}x<br>{}",
            "<blockquote>".repeat(n),
            "</blockquote>".repeat(n)
        );
        let slim = for_index(&html);
        assert_eq!(slim.matches("<blockquote>").count(), MAX_DEPTH);
        assert_eq!(slim.matches("</blockquote>").count(), MAX_DEPTH);
        assert!(slim.contains(">x<br>"), "the text stays");
        // Elements never closed are not looked for again and again.
        let open = "<svg><g>".repeat(50_000);
        assert!(slim_within_5_s(&open).starts_with("<svg>"));
        // Ignored elements nested around a mark are not each searched to their end.
        let n = 30_000;
        let marked = format!(
            "{}<span data-pagefind-meta=\"k\">v</span>{}",
            "<div data-pagefind-ignore>".repeat(n),
            "</div>".repeat(n)
        );
        assert!(slim_within_5_s(&marked).contains("data-pagefind-meta"));
        // Elements left open (`<li>` without `</li>`) close with their parent, so a long list
        // of them never reaches the limit.
        let list = format!("<ul>{}</ul><h2 id=\"end\">end</h2>", "<li>a".repeat(500));
        assert!(for_index(&list).ends_with("</ul><h2 id=\"end\">end</h2>"));
    }

    #[test]
    fn text_that_looks_like_markup_and_markup_left_open_pass_as_they_are() {
        assert_eq!(for_index("a < b <3 <"), "a < b <3 <");
        // Attribute names of any script, cut nowhere inside a character.
        assert_eq!(
            for_index("<p データ属性名です=\"1\" id=a>t</p>"),
            "<p id=a>t</p>"
        );
        assert_eq!(for_index("x<!-- c -->y"), "xy");
        // After `<plaintext>` everything is text to an HTML parser.
        assert_eq!(
            for_index("<p>a</p><plaintext><p>lit</p>"),
            " a. <plaintext><p>lit</p>"
        );
        assert_eq!(for_index("x<!-- open"), "x<!-- open");
        assert_eq!(for_index("<p title=\"open>"), "<p title=\"open>");
        assert_eq!(for_index("<svg><g>"), "<svg><g>");
        assert_eq!(
            for_index("<script>if (a<b) x='</p>';</script>t"),
            "<script></script>t"
        );
    }

    /// The page's markup with only its text folded: what the index read before this pass.
    fn folded_only(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(open) = rest.find('<') {
            out.push_str(&fold(&rest[..open]));
            // `<` before anything but a letter, `/` or `!` is text.
            let next = rest[open + 1..].chars().next();
            if !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!') {
                out.push('<');
                rest = &rest[open + 1..];
                continue;
            }
            let end = rest[open..].find('>').map_or(rest.len(), |e| open + e + 1);
            out.push_str(&rest[open..end]);
            rest = &rest[end..];
        }
        out.push_str(&fold(rest));
        out
    }

    /// Pagefind's index of one page, every file's path and bytes.
    fn index_of(body: &str) -> Vec<(String, Vec<u8>)> {
        let doc = crate::search::docs::Document {
            url: "/p/".into(),
            html: format!("<html lang=\"ja\"><body>{body}</body></html>"),
        };
        let bundles =
            crate::search::bundle::pagefind_documents(vec![doc], 100, &Default::default())
                .expect("indexed");
        (bundles.files.into_iter())
            .map(|f| match f.content {
                crate::output_file::OutputContent::Bytes(b) => (f.path, b.to_vec()),
                _ => unreachable!("an index file is bytes"),
            })
            .collect()
    }

    /// The index's fragments (each page's text, anchors and facts) as JSON, to show a difference.
    fn fragments(files: &[(String, Vec<u8>)]) -> Vec<String> {
        use std::io::Read;
        (files.iter())
            .filter(|(path, _)| path.contains("/fragment/"))
            .map(|(_, bytes)| {
                let mut text = String::new();
                let mut gz = flate2::read::GzDecoder::new(&bytes[..]);
                gz.read_to_string(&mut text).expect("gzip");
                text
            })
            .collect()
    }

    /// Pages made of the markup reports and Markdown write (charts, tables, headings, code,
    /// marks, comments, scripts, text that looks like markup), 120 of them from a fixed seed:
    /// Pagefind's index of each is the same bytes from the slim markup as from the page's.
    #[test]
    fn pagefind_indexes_the_slim_markup_as_it_indexes_the_page() {
        const PIECES: &[&str] = &[
            "<h2 id=\"sla\">SLA <a class=\"anchor\" href=\"#sla\">link</a></h2>",
            "<h3 id=\"t2\" class=\"x\">", "</h3>", "<p>", "</p>", "<div class=\"chart-box\">", "</div>",
            "<figure class=\"chart chart-bar\"><figcaption class=\"chart-title\">件数</figcaption><div class=\"chart-box\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 200\"><g id=\"g1\"><rect x=\"1\" y=\"2\" fill=\"#333\"/><text x=\"3\" font-size=\"11\">障害 42</text></g></svg></div><div class=\"chart-narrow\" data-pagefind-ignore><svg><text>narrow</text></svg></div></figure>",
            "<table class=\"report-table stack\"><thead><tr><th scope=\"col\">項目</th></tr></thead><tbody>",
            "<tr><th scope=\"row\">初回応答</th><td data-label=\"値\" class=\"num\">63.9 %</td><td data-label='前月>' class=num>50</td></tr>",
            "</tbody></table>",
            "<pre><code class=\"language-sh\"><span class=\"hl-k\">systemctl</span> restart <span>nginx</span></code></pre>",
            "<span id=\"here\">anchored</span>", "<span data-pagefind-weight=\"3\">weighted</span>",
            "<div data-pagefind-ignore class=\"d\">hidden <em>words</em></div>",
            "<section class=\"report-sources\" data-pagefind-ignore><h2 id=\"sources\">元データ</h2><table><tr><td><code>9971e4981d4e</code></td></tr></table></section>",
            "<div data-pagefind-ignore=\"all\"><div>nested</div>after</div>",
            "<div data-pagefind-ignore><div id=\"in\">", "<p data-pagefind-ignore>x<span data-pagefind-meta=\"k:v\">m</span></p>",
            "<data data-pagefind-filter=\"tags[value]\" value=\"DB, 障害\"></data>",
            "<data data-pagefind-meta=\"title[value]\" value=\"題\"></data>",
            "<svg id=\"chart7\"><a href=\"#x\"><text>in svg</text></a></svg>",
            "<svg><data data-pagefind-filter=\"s[value]\" value=\"v\"></data></svg>",
            "<img src=\"/img/a.png\" alt=\"構成図\" width=\"300\" loading=\"lazy\">",
            "<br/>", "<br>", "<hr class=\"rule\">", "<!-- note -->", "<!-- <p>x</p> -->",
            "<script>if (a<b) document.write('</p><h2 id=x>');</script>",
            "<style>p > a { color: red }</style>",
            "<a href=\"/x?a=1&amp;b=2\" title='t>t'>リンク</a>",
            "<ul class=\"list\"><li>一</li><li class=\"b\">二</li></ul>",
            "<details class=\"chart-data\"><summary>数値</summary><p>1</p></details>",
            "<title>a<b class=\"x\">c</title>", "<textarea class=\"t\"><p class=\"in\">raw</p></textarea>",
            "ｻｰﾊﾞｰ再起動 ", "ＳＬＡ 99.9% ", "a < b ", "x <3 y ", "&amp; &lt;tag&gt; ", "Weekly report. ",
            "障害対応手順", " ", "\n",
            // Elements that go as their text, and ones beside which they may not.
            "<td>(注)</td>", "<td>*</td>", "<td>9$</td>", "<td>a'</td>", "<td>「引用」</td>", "<td></td>",
            "<TD>Ｘ</TD>", "<li>", "</li>", "<tr>", "</tr>", "<td>", "</td>", "<strong>", "</strong>",
            "<h2 id=\"h\"><em>強調</em><p>段落</p></h2>", "<div id=\"d\"><p>中</p><b>太</b></div>",
            "<span id=\"s\"><p>span の中</p></span>", "<p>a<b>b</b></p>", "</b>", "<ul><li>a<li>b</li></ul>",
            "<math><mi>x</mi></math>", "<section><article><div>深い</div></article></section>",
            "<h1>題</h1>", "<th>見出し</th>", "<blockquote><p>q</p></blockquote>",
            "<div>before <!-->secret one<p>x</p>--> after</div>", "<div>a <!--->two--> b</div>",
            "<div>c <!-- q --!> visible three <!-- r --> d</div>", "<div><svg id=\"c1\"><a href=\"#x\">link</a></svg></div>",
            "<div>a <math><font color=\"red\">f</font><textarea><i>t</i></textarea></math> z</div>",
            "<div>a <math><annotation-xml encoding=\"text/html\"><textarea><i>t</i></textarea></annotation-xml></math> z</div>",
            "<div data-pagefind-ignore><!-- </div> -->secret four</div>", "<div data-pagefind-ignore><script>var s=\"</div>\";</script>secret</div>",
            "<div data-pagefind-ignore><!-- <div> -->x</div><p>visible five</p>", "<div data-pagefind-ignore><p title=\"<div>\">x</p></div><p>visible six</p>",
            "<p>s <svg><!-- </svg> -->secret eight</svg> e</p>",
            "<table><tr><td>k</td><td><div data-pagefind-ignore>note</td><td>Important cell</td></tr></table>",
            "<div><p><div data-pagefind-ignore></p>seen five</div>", "<li><section data-pagefind-ignore>n</li>",
            "<div data-pagefind-ignore><p>in</p><div>deeper</div>out</div>", "<p><code><p data-pagefind-ignore></code><div id=\"d\"></p>",
            "<nav id=\"n1\">a <b>bold</b></nav>", "<div><footer id=\"f1\">x <em>emph</em></footer></div>",
            "<p>l <label id=\"l1\">lab <strong>el</strong></label> z</p>",
            "<h2 id=\"h2\">a <span data-pagefind-ignore><b>bold</b><i data-pagefind-weight=\"2\">w</i></span></h2>",
        ];
        let mut seed: u64 = 0x5EED_0071;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        for _ in 0..120 {
            let len = next(40);
            let body: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let (slim, page) = (index_of(&for_index(&body)), index_of(&folded_only(&body)));
            if slim != page {
                panic!(
                    "{body}\nslim markup: {}\nslim: {:?}\npage: {:?}",
                    for_index(&body),
                    fragments(&slim),
                    fragments(&page)
                );
            }
        }
    }
}
