//! MkDocs admonitions (`!!! note "Title"` with an indented body) and collapsible ones
//! (`??? tip`, `???+ tip` open) rewritten as the callout blockquotes the callout pass renders
//! (`> [!NOTE] Title`, `> [!TIP]- Title` folded, `> [!TIP]+ Title` unfolded), so a tree written
//! for MkDocs shows the same callouts as GitHub alerts. Content tabs (`=== "Linux"`, pymdownx's
//! tabbed) become their label in bold above their content, one after the other: readable
//! without a script, where their indented content would otherwise show as a code block. Line for line: every line stays on its
//! line, so reported line numbers are unchanged. Fenced code is left alone.

use std::borrow::Cow;

/// The text with admonitions rewritten, or the text itself when it has none.
pub fn to_callouts(text: &str) -> Cow<'_, str> {
    if !text.contains("!!!") && !text.contains("???") && !text.contains("===") {
        return Cow::Borrowed(text);
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let out = convert(&lines);
    let joined = out.join("\n");
    if joined == text {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(joined)
    }
}

struct Header {
    kind: String,
    /// `-` folded, `+` open, empty for a plain admonition.
    fold: &'static str,
    title: String,
}

/// `!!! note "Title"`, `!!!warning`, `??? tip`, `???+ danger "X"`.
fn header(line: &str) -> Option<Header> {
    let (fold, rest) = if let Some(r) = line.strip_prefix("???+") {
        ("+", r)
    } else if let Some(r) = line.strip_prefix("???") {
        ("-", r)
    } else if let Some(r) = line.strip_prefix("!!!") {
        ("", r)
    } else {
        return None;
    };
    let rest = rest.trim();
    let (words, title) = match rest.find('"') {
        Some(q) => {
            let quoted = rest[q + 1..].strip_suffix('"')?;
            (&rest[..q], quoted.to_string())
        }
        None => (rest, String::new()),
    };
    let mut words = words.split_whitespace();
    let kind = words.next()?;
    let valid = |w: &str| {
        !w.is_empty()
            && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && w.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if !valid(kind) || !words.all(valid) {
        return None;
    }
    Some(Header {
        kind: kind.to_ascii_uppercase(),
        fold,
        title,
    })
}

/// `=== "Linux"` (also `===! "…"`, `===+ "…"`): a content tab's label.
fn tab_label(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("===")?;
    let rest = rest.strip_prefix(['!', '+']).unwrap_or(rest);
    let quoted = rest.strip_prefix(char::is_whitespace)?.trim();
    quoted
        .strip_prefix('"')?
        .strip_suffix('"')
        .filter(|t| !t.trim().is_empty())
}

/// The body line without its four-space (or tab) indent, if it is indented that far.
fn dedent(line: &str) -> Option<&str> {
    line.strip_prefix("    ")
        .or_else(|| line.strip_prefix('\t'))
}

fn fence_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    ["```", "~~~"].into_iter().find(|m| t.starts_with(m))
}

/// The last line of the block opened at line `i`: its indented lines, and blank lines followed
/// by more indented ones.
fn body_end(lines: &[&str], i: usize) -> usize {
    let mut end = i + 1;
    let mut last_content = i;
    while end < lines.len() {
        let l = lines[end];
        if l.trim().is_empty() {
            end += 1;
            continue;
        }
        if dedent(l).is_none() {
            break;
        }
        last_content = end;
        end += 1;
    }
    last_content
}

fn convert(lines: &[&str]) -> Vec<String> {
    let mut out = Vec::with_capacity(lines.len());
    let mut fence: Option<&str> = None;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if let Some(open) = fence {
            if fence_marker(line) == Some(open) {
                fence = None;
            }
            out.push(line.to_string());
            i += 1;
            continue;
        }
        if let Some(m) = fence_marker(line) {
            fence = Some(m);
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let label = tab_label(line);
        let h = header(line);
        if label.is_none() && h.is_none() {
            out.push(line.to_string());
            i += 1;
            continue;
        }
        let last_content = body_end(lines, i);
        let body: Vec<&str> = lines[i + 1..=last_content]
            .iter()
            .map(|l| dedent(l).unwrap_or(""))
            .collect();
        let Some(h) = h else {
            out.push(format!("**{}**", label.unwrap_or_default().trim()));
            out.extend(convert(&body));
            i = last_content + 1;
            continue;
        };
        let title = if h.title.is_empty() {
            String::new()
        } else {
            format!(" {}", h.title)
        };
        out.push(format!("> [!{}]{}{}", h.kind, h.fold, title));
        for inner in convert(&body) {
            out.push(if inner.is_empty() {
                ">".to_string()
            } else {
                format!("> {inner}")
            });
        }
        i = last_content + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonitions_become_callout_quotes_line_for_line() {
        let src = "前\n\n!!! note \"確認事項\"\n    一行目\n\n    二行目\n\n後\n";
        let out = to_callouts(src);
        assert_eq!(
            out,
            "前\n\n> [!NOTE] 確認事項\n> 一行目\n>\n> 二行目\n\n後\n"
        );
        assert_eq!(out.lines().count(), src.lines().count());
    }

    #[test]
    fn content_tabs_are_labelled_blocks_line_for_line() {
        let src = "=== \"Linux\"\n\n    ```bash\n    df -h\n    ```\n\n===+ \"Windows\"\n    !!! note\n        管理者で実行\n\n後\n";
        let out = to_callouts(src);
        assert_eq!(
            out,
            "**Linux**\n\n```bash\ndf -h\n```\n\n**Windows**\n> [!NOTE]\n> 管理者で実行\n\n後\n"
        );
        assert_eq!(out.lines().count(), src.lines().count());
        // Not a tab: a setext underline, a label without quotes.
        for plain in ["見出し\n===\n", "=== Linux\n    x\n"] {
            assert_eq!(to_callouts(plain), plain);
        }
    }

    #[test]
    fn collapsible_open_and_unspaced_forms() {
        assert_eq!(to_callouts("??? tip\n    x\n"), "> [!TIP]-\n> x\n");
        assert_eq!(
            to_callouts("???+ danger \"本番\"\n    x\n"),
            "> [!DANGER]+ 本番\n> x\n"
        );
        assert_eq!(to_callouts("!!!warning\n    x\n"), "> [!WARNING]\n> x\n");
    }

    #[test]
    fn code_fences_nesting_and_plain_text_are_respected() {
        let src = "```\n!!! note\n    not an admonition\n```\n";
        assert_eq!(to_callouts(src), src);
        let nested = "!!! note\n    外\n\n    !!! warning\n        内\n";
        assert_eq!(
            to_callouts(nested),
            "> [!NOTE]\n> 外\n>\n> > [!WARNING]\n> > 内\n"
        );
        assert_eq!(to_callouts("!!! 重要 !!!\n"), "!!! 重要 !!!\n");
        let fenced_body = "!!! example\n    ```bash\n    echo hi\n    ```\n";
        assert_eq!(
            to_callouts(fenced_body),
            "> [!EXAMPLE]\n> ```bash\n> echo hi\n> ```\n"
        );
    }
}
