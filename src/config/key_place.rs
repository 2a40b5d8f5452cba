//! Where a key is written in site.yaml's text (block and flow maps, list items): the line and
//! column every message about a setting points at.

/// One step of a path into the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// `data.tickets.colums`, `menus.main[0].nmae`.
pub fn path_text(path: &[Step]) -> String {
    let mut s = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Where the key at `path` is written in site.yaml (`text`), else the file: the location of a
/// configuration mistake.
pub fn config_location(text: &str, path: &[Step]) -> crate::error::Location {
    use crate::error::Location;
    match locate(text, path) {
        Some((line, column)) => Location::at(super::CONFIG_FILE, line, Some(column)),
        None => Location::file(super::CONFIG_FILE),
    }
}

/// The 1-based line and column where the key at `path` is written in block-style YAML text, or
/// the nearest written ancestor's line (keys inside `{ … }` flow maps are found on that line).
pub fn locate(text: &str, path: &[Step]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, (usize, usize))> = None;
    let mut stack: Vec<(usize, Step)> = Vec::new();
    let mut block_scalar_above: Option<usize> = None;
    for (n, raw_line) in text.lines().enumerate() {
        let line_no = n + 1;
        let indent = raw_line.len() - raw_line.trim_start_matches(' ').len();
        let content = raw_line[indent..].trim_end();
        if let Some(col) = block_scalar_above {
            if content.is_empty() || indent > col {
                continue;
            }
            block_scalar_above = None;
        }
        if content.is_empty() || content.starts_with('#') || content == "---" {
            continue;
        }
        let mut col = indent;
        let mut rest = content;
        while let Some(after) = rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            stack.retain(|(c, _)| *c <= col);
            match stack.last_mut() {
                Some((c, Step::Index(i))) if *c == col => *i += 1,
                _ => stack.push((col, Step::Index(0))),
            }
            consider(&stack, path, line_no, col + 1, &mut best);
            let skipped = rest.len() - after.len();
            let trimmed = after.trim_start_matches(' ');
            col += skipped + (after.len() - trimmed.len());
            rest = trimmed;
        }
        if rest.starts_with('{') {
            flow_key(&stack, path, raw_line, line_no, &mut best);
            continue;
        }
        let Some((key, value)) = split_key(rest) else {
            continue;
        };
        stack.retain(|(c, _)| *c < col);
        stack.push((col, Step::Key(key.to_string())));
        let key_col = raw_line[..col].chars().count() + 1;
        consider(&stack, path, line_no, key_col, &mut best);
        if value.trim_start().starts_with('{') {
            flow_key(&stack, path, raw_line, line_no, &mut best);
        }
        let v = value.trim_start();
        if v.starts_with('|') || v.starts_with('>') {
            block_scalar_above = Some(col);
        }
    }
    best.map(|(_, at)| at)
}

/// A key written inside a flow map on this line (`- {name: a, nmae: b}`), when the map sits at
/// the place `path` leads through.
fn flow_key(
    stack: &[(usize, Step)],
    path: &[Step],
    raw_line: &str,
    line: usize,
    best: &mut Option<(usize, (usize, usize))>,
) {
    let Some(Step::Key(wanted)) = path.last() else {
        return;
    };
    if stack.len() >= path.len() || !stack.iter().map(|(_, s)| s).eq(path[..stack.len()].iter()) {
        return;
    }
    if let Some(pos) = find_flow_key(raw_line, wanted) {
        let column = raw_line[..pos].chars().count() + 1;
        *best = Some((usize::MAX, (line, column)));
    }
}

/// Record the position when the stack is (a prefix of) `path`, keeping the deepest one.
fn consider(
    stack: &[(usize, Step)],
    path: &[Step],
    line: usize,
    column: usize,
    best: &mut Option<(usize, (usize, usize))>,
) {
    if stack.len() > path.len() {
        return;
    }
    if !stack.iter().map(|(_, s)| s).eq(path[..stack.len()].iter()) {
        return;
    }
    let depth = stack.len();
    if best.is_none_or(|(d, _)| depth > d) {
        *best = Some((depth, (line, column)));
    }
}

/// `key: value` or `"key": value` → (key, value); `None` for anything else.
fn split_key(s: &str) -> Option<(&str, &str)> {
    if s.starts_with('{') || s.starts_with('[') {
        return None;
    }
    let (key, rest) = if let Some(q) = s.strip_prefix('"').or_else(|| s.strip_prefix('\'')) {
        let quote = s.as_bytes()[0] as char;
        let end = q.find(quote)?;
        (&q[..end], &q[end + 1..])
    } else {
        let mut at = None;
        for (i, c) in s.char_indices() {
            if c == ':'
                && s[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| n == ' ' || n == '\t')
            {
                at = Some(i);
                break;
            }
            if c == '#' && i > 0 && s[..i].ends_with(' ') {
                return None;
            }
        }
        let i = at?;
        (s[..i].trim_end(), &s[i..])
    };
    let value = rest.strip_prefix(':')?;
    if !value.is_empty() && !value.starts_with(' ') && !value.starts_with('\t') {
        return None;
    }
    Some((key, value))
}

fn find_flow_key(line: &str, key: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(rel) = line[from..].find(key) {
        let at = from + rel;
        let before = line[..at].trim_end().chars().last();
        let after = line[at + key.len()..].trim_start().chars().next();
        if matches!(before, Some('{' | ',' | '"' | '\'')) && matches!(after, Some(':' | '"' | '\''))
        {
            return Some(at);
        }
        from = at + key.len();
    }
    None
}
