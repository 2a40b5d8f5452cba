//! GitHub-style alert markers (`> [!NOTE]`, `> [!WARNING]- folded`): recognising the marker at
//! the start of a blockquote so the Markdown pass can turn the quote into a callout.

use pulldown_cmark::{Event, Tag, TagEnd};

pub(super) struct CalloutMarker {
    pub(super) kind: String,
    pub(super) title: String,
    /// `[!TIP]-` (folded) or `[!TIP]+` (unfolded): a `<details>`, open or not.
    pub(super) fold: Option<bool>,
    /// Index of the first event after the marker text.
    pub(super) resume_at: usize,
    /// Nothing but the marker in the first paragraph.
    pub(super) drop_paragraph: bool,
}

/// `> [!NOTE]`, `> [!DANGER] Danger!`: a blockquote whose first paragraph opens with `[!WORD]`.
pub(super) fn callout_marker(
    parsed: &[(Event, std::ops::Range<usize>)],
    quote: usize,
) -> Option<CalloutMarker> {
    if !matches!(
        parsed.get(quote + 1),
        Some((Event::Start(Tag::Paragraph), _))
    ) {
        return None;
    }
    let mut text = String::new();
    let mut j = quote + 2;
    while let Some((Event::Text(t), _)) = parsed.get(j) {
        text.push_str(t);
        j += 1;
    }
    let rest = text.strip_prefix("[!")?;
    let close = rest.find(']')?;
    let kind = &rest[..close];
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let after = &rest[close + 1..];
    let (fold, after) = match after.chars().next() {
        Some('-') => (Some(false), &after[1..]),
        Some('+') => (Some(true), &after[1..]),
        _ => (None, after),
    };
    let title = after.trim().to_string();
    let mut resume_at = j;
    let mut drop_paragraph = false;
    match parsed.get(j) {
        Some((Event::SoftBreak | Event::HardBreak, _)) => resume_at = j + 1,
        Some((Event::End(TagEnd::Paragraph), _)) => drop_paragraph = true,
        _ => {}
    }
    Some(CalloutMarker {
        kind: kind.to_string(),
        title,
        fold,
        resume_at,
        drop_paragraph,
    })
}

pub(super) fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
