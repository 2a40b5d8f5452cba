//! The table of contents of a page: its h2 and h3 headings, each h3 under the h2 before it.

/// One heading of the table of contents, with the headings nested under it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

/// The headings in order (level, id, text), nested.
pub(super) fn nest(flat: Vec<(u8, String, String)>) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::new();
    for (level, id, title) in flat {
        let entry = TocEntry {
            level,
            id,
            title,
            children: Vec::new(),
        };
        match out.last_mut() {
            Some(last) if level > last.level => last.children.push(entry),
            _ => out.push(entry),
        }
    }
    out
}
