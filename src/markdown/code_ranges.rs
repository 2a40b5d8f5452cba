//! Where a page's source holds code (fenced or indented blocks, inline spans), found before
//! shortcodes are expanded: a shortcode without a template called inside code
//! (`pip install tool==v{{< current-version >}}`) leaves a command that looks whole but is
//! not, which deserves more than the warning an unknown shortcode in prose gets.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// The byte ranges of `source` that are code, in order.
pub fn of(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut block_start = None;
    for (event, range) in Parser::new(source).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block_start = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block_start.take() {
                    out.push(start..range.end);
                }
            }
            Event::Code(_) if block_start.is_none() => out.push(range),
            _ => {}
        }
    }
    out
}

/// Whether `offset` lies in one of `ranges` (as `of` returns them).
pub fn contains(ranges: &[Range<usize>], offset: usize) -> bool {
    let i = ranges.partition_point(|r| r.end <= offset);
    ranges.get(i).is_some_and(|r| r.start <= offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_blocks_and_inline_spans_are_code_and_prose_is_not() {
        let src = "Run `v{{< a >}}` now.\n\n```sh\npip install x=={{< b >}}\n```\n\nProse {{< c >}}.\n\n    indented {{< d >}}\n";
        let ranges = of(src);
        let at = |s: &str| src.find(s).unwrap();
        assert!(contains(&ranges, at("{{< a")));
        assert!(contains(&ranges, at("{{< b")));
        assert!(!contains(&ranges, at("{{< c")));
        assert!(contains(&ranges, at("{{< d")));
    }
}
