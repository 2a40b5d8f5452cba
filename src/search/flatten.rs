//! Elements Pagefind is handed as their text. Pagefind makes a node for every element it parses
//! (reading ten attributes of each) and, at the element's end tag, appends the element's text to
//! its parent's: a block element's (`p`, `td`, `li`, …) between spaces and ended with a `.` after
//! a letter, an inline one's as it is. A report is mostly table cells, so most of a cold build's
//! search time went to parsing elements whose only effect was that. An element with no attribute
//! Pagefind reads, holding text only and closed by its own end tag, is handed over as that text,
//! already spaced and ended: the index is the same bytes (the equivalence test in `markup`), and
//! Pagefind parses a fraction of the elements.
//!
//! Pagefind's own rules decide which elements are blocks and inlines (`pagefind::markup_rules`,
//! exported by the vendored crate), so the two cannot drift apart.

use pagefind::markup_rules::{
    ends_a_sentence, INLINE_SELECTORS, REMOVE_SELECTORS, SENTENCE_SELECTORS,
};

/// Elements that may be handed over as text: none of them changes how an HTML tokenizer reads
/// what follows, and Pagefind gives none a weight, a title, an image or an exclusion.
#[rustfmt::skip]
const PLAIN: [&str; 45] = [
    "p", "td", "th", "tr", "tbody", "thead", "tfoot", "table", "caption", "div", "ul", "ol",
    "li", "dl", "dt", "dd", "article", "section", "main", "aside", "header", "hgroup", "figure",
    "figcaption", "blockquote", "details", "summary", "a", "strong", "em", "b", "i", "u", "s",
    "code", "pre", "small", "sub", "sup", "kbd", "mark", "del", "ins", "q", "cite",
];

/// Text of a single element handed over at most this long: removing its start tag moves its
/// text, and an element holding a whole page of text is not worth it.
const MAX_TEXT: usize = 16 * 1024;

/// What happens to an open element at its end tag.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Fate {
    /// Its tags stay.
    Kept,
    /// Handed over as its text.
    Text,
    /// Handed over as its text between spaces, ended as a sentence.
    Block,
}

/// An element open in the markup being written.
pub struct Open<'a> {
    pub name: &'a str,
    /// Its tags are written (the first `MAX_DEPTH` open are).
    pub kept: bool,
    /// Where its start tag and its content begin in the markup written.
    tag_at: usize,
    text_at: usize,
    fate: Fate,
    /// Text inside it counts towards an anchor's text (it or an inline parent has an id).
    anchored: bool,
    /// Inside `svg` or `math`, where HTML's own tree rules differ.
    pub foreign: bool,
    /// Inside an element whose own text Pagefind leaves out (`data-pagefind-ignore`, `nav`,
    /// `footer`, …): the text of an inline element inside still counts towards an anchor's,
    /// and handed over it would not.
    quiet: bool,
}

/// What the caller knows of a start tag.
pub struct Start<'a> {
    pub name: &'a str,
    pub kept: bool,
    /// It has no attribute Pagefind reads (no mark, no id, no `lang`, …).
    pub plain: bool,
    pub has_id: bool,
    /// It has `data-pagefind-ignore`.
    pub ignored: bool,
    /// A span with an id or a mark is open (spans are not in the stack).
    pub in_kept_span: bool,
    pub tag_at: usize,
    pub text_at: usize,
}

fn is_one_of(name: &str, list: &[&str]) -> bool {
    list.iter().any(|n| name.eq_ignore_ascii_case(n))
}

impl<'a> Open<'a> {
    pub fn new(start: Start<'a>, parent: Option<&Open>) -> Self {
        let parent_anchored = parent.is_some_and(|p| p.anchored) || start.in_kept_span;
        // Looked up only where it matters (this runs for every element of every page).
        let inline = parent_anchored && is_one_of(start.name, INLINE_SELECTORS);
        let foreign = parent.is_some_and(|p| p.foreign) || is_one_of(start.name, &["svg", "math"]);
        let quiet = parent.is_some_and(|p| p.quiet)
            || start.ignored
            || is_one_of(start.name, REMOVE_SELECTORS);
        // A block's text inside an element with an id is not that anchor's text; handed over,
        // it would be.
        let fate = if !start.kept
            || !start.plain
            || foreign
            || quiet
            || start.in_kept_span
            || (parent_anchored && !inline)
            || !is_one_of(start.name, &PLAIN)
        {
            Fate::Kept
        } else if is_one_of(start.name, SENTENCE_SELECTORS) {
            Fate::Block
        } else {
            Fate::Text
        };
        Open {
            name: start.name,
            kept: start.kept,
            tag_at: start.tag_at,
            text_at: start.text_at,
            fate,
            anchored: start.has_id || (inline && parent_anchored),
            foreign,
            quiet,
        }
    }

    /// At the element's own end tag: hands it over as its text when it holds text only, and
    /// says whether it did (then its end tag is not written either).
    pub fn hand_over(&self, out: &mut String) -> bool {
        let text = &out[self.text_at..];
        if self.fate == Fate::Kept || text.len() > MAX_TEXT || text.contains('<') {
            return false;
        }
        let last = text.chars().next_back();
        match self.fate {
            Fate::Block => {
                out.replace_range(self.tag_at..self.text_at, " ");
                if last.is_some_and(ends_a_sentence) {
                    out.push('.');
                }
                out.push(' ');
            }
            _ => out.replace_range(self.tag_at..self.text_at, ""),
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use crate::search::markup::for_index;

    #[test]
    fn text_alone_goes_as_text_and_anything_pagefind_reads_keeps_its_tags() {
        // A table of text: cells spaced and ended, the rows and the table gone.
        assert_eq!(
            for_index("<table><tr><td>初回応答</td><td>63.9 %</td><td>a.</td></tr></table>"),
            " 初回応答.  63.9 %  a. "
        );
        // Inline elements go as their text as it is.
        assert_eq!(
            for_index("<p>再起動は<strong>夜間</strong>に</p>"),
            " 再起動は夜間に. "
        );
        // An id, a mark, an element Pagefind weighs or a line break inside keeps the tags.
        for kept in [
            "<td id=\"c\">x</td>",
            "<td data-pagefind-weight=\"2\">x</td>",
            "<h3>x</h3>",
            "<td>a<br>b</td>",
        ] {
            assert_eq!(for_index(kept), kept);
        }
        // A block inside an element with an id keeps its tags: its text is not that anchor's.
        assert_eq!(
            for_index("<div id=\"d\"><p>中</p><em>強</em></div>"),
            "<div id=\"d\"><p>中</p>強</div>"
        );
        // An element closed by another's end tag, or inside `svg`, keeps its tags.
        assert_eq!(for_index("<ul><li>a<li>b</ul>"), "<ul><li>a<li>b</ul>");
        assert_eq!(
            for_index("<math><mi>x</mi></math>"),
            "<math><mi>x</mi></math>"
        );
        // Inside an element whose own text Pagefind leaves out, an inline element's text still
        // counts towards an anchor: its tags stay.
        for kept in [
            "<nav id=\"n\">a <b>bold</b></nav>",
            "<h2 id=\"h\">a <span data-pagefind-ignore><b>b</b></span></h2>",
        ] {
            assert_eq!(for_index(kept), kept);
        }
    }
}
