//! Byte offsets of the text the Markdown parser reads back to the lines of the file it came from:
//! the page's own lines, and with included files written in, each included line at its mark's.

/// Byte offset → file line.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
    /// With included files written in: each line's line in the page's own text.
    pub(super) origin: Option<Vec<usize>>,
}

impl LineIndex {
    pub(super) fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex {
            starts,
            first_line,
            origin: None,
        }
    }
    pub(super) fn line_of(&self, offset: usize) -> usize {
        let idx = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let idx = match &self.origin {
            Some(origin) => origin.get(idx).or(origin.last()).copied().unwrap_or(idx),
            None => idx,
        };
        self.first_line + idx
    }
}
