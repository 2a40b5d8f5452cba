//! A fast highlighter for the languages ops documents are mostly made of (shell, PowerShell, SQL,
//! YAML, JSON, TOML/INI, Python, JavaScript/TypeScript, Go, Rust, Java/C-family, Dockerfile).
//! One table-driven scanner, no regular expressions: measured at many times the throughput
//! of the regex-grammar highlighter (see BENCHMARKS.md), which remains the fallback for others.
//! Emits short classes (`hl-kw`, `hl-st` …: highlighted code is a large part of the output) that
//! the theme styles alongside the fallback's scope classes.

use crate::html::{escape_html, push_escaped};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Keys {
    /// No special keys.
    None,
    /// `key:` at the start of a line (YAML).
    Yaml,
    /// `"key":` (JSON).
    Json,
    /// `key =` and `[section]` (TOML, INI).
    Ini,
}

struct Lang {
    line_comments: &'static [&'static str],
    block_comment: Option<(&'static str, &'static str)>,
    quotes: &'static [char],
    keywords: &'static [&'static str],
    constants: &'static [&'static str],
    case_insensitive: bool,
    dollar_variables: bool,
    keys: Keys,
}

const SHELL_KW: &[&str] = &[
    "case", "do", "done", "elif", "else", "esac", "exit", "export", "fi", "for", "function", "if",
    "in", "local", "return", "set", "then", "until", "while", "echo", "cd", "sudo", "source",
    "readonly", "shift", "trap",
];
const PS_KW: &[&str] = &[
    "begin", "break", "catch", "continue", "do", "else", "elseif", "end", "exit", "filter",
    "finally", "for", "foreach", "function", "if", "in", "param", "process", "return", "switch",
    "throw", "try", "until", "while",
];
const SQL_KW: &[&str] = &[
    "add",
    "all",
    "alter",
    "and",
    "as",
    "asc",
    "begin",
    "between",
    "by",
    "case",
    "commit",
    "count",
    "create",
    "delete",
    "desc",
    "distinct",
    "drop",
    "else",
    "end",
    "exists",
    "from",
    "grant",
    "group",
    "having",
    "in",
    "index",
    "inner",
    "insert",
    "interval",
    "into",
    "is",
    "join",
    "left",
    "like",
    "limit",
    "not",
    "null",
    "offset",
    "on",
    "or",
    "order",
    "outer",
    "primary",
    "references",
    "right",
    "rollback",
    "select",
    "set",
    "table",
    "then",
    "union",
    "update",
    "values",
    "view",
    "when",
    "where",
    "with",
];
const PY_KW: &[&str] = &[
    "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif",
    "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda",
    "nonlocal", "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
];
const C_KW: &[&str] = &[
    "async",
    "await",
    "break",
    "case",
    "catch",
    "class",
    "const",
    "continue",
    "default",
    "defer",
    "do",
    "else",
    "enum",
    "export",
    "extends",
    "fn",
    "for",
    "func",
    "function",
    "go",
    "if",
    "impl",
    "import",
    "in",
    "interface",
    "let",
    "loop",
    "match",
    "mod",
    "mut",
    "new",
    "package",
    "private",
    "protected",
    "pub",
    "public",
    "return",
    "static",
    "struct",
    "switch",
    "throw",
    "trait",
    "try",
    "type",
    "use",
    "var",
    "void",
    "while",
    "yield",
];
const DOCKER_KW: &[&str] = &[
    "add",
    "arg",
    "cmd",
    "copy",
    "entrypoint",
    "env",
    "expose",
    "from",
    "healthcheck",
    "label",
    "run",
    "user",
    "volume",
    "workdir",
];
const COMMON_CONST: &[&str] = &[
    "true",
    "false",
    "null",
    "none",
    "nil",
    "True",
    "False",
    "None",
    "yes",
    "no",
    "undefined",
];

fn lang(name: &str) -> Option<Lang> {
    let base = Lang {
        line_comments: &[],
        block_comment: None,
        quotes: &['"', '\''],
        keywords: &[],
        constants: COMMON_CONST,
        case_insensitive: false,
        dollar_variables: false,
        keys: Keys::None,
    };
    Some(match name {
        "bash" | "sh" | "shell" | "console" | "zsh" | "shell-session" | "terminal" => Lang {
            line_comments: &["#"],
            keywords: SHELL_KW,
            dollar_variables: true,
            ..base
        },
        "powershell" | "ps1" | "pwsh" | "ps" => Lang {
            line_comments: &["#"],
            block_comment: Some(("<#", "#>")),
            keywords: PS_KW,
            case_insensitive: true,
            dollar_variables: true,
            ..base
        },
        "sql" | "postgres" | "postgresql" | "mysql" | "plsql" | "psql" => Lang {
            line_comments: &["--"],
            block_comment: Some(("/*", "*/")),
            keywords: SQL_KW,
            case_insensitive: true,
            quotes: &['\''],
            ..base
        },
        "yaml" | "yml" => Lang {
            line_comments: &["#"],
            keys: Keys::Yaml,
            ..base
        },
        "json" | "jsonc" | "json5" => Lang {
            line_comments: &["//"],
            quotes: &['"'],
            keys: Keys::Json,
            ..base
        },
        "toml" | "ini" | "conf" | "cfg" | "properties" | "env" | "dotenv" => Lang {
            line_comments: &["#", ";"],
            keys: Keys::Ini,
            ..base
        },
        "python" | "py" | "python3" => Lang {
            line_comments: &["#"],
            keywords: PY_KW,
            ..base
        },
        "javascript" | "js" | "typescript" | "ts" | "go" | "golang" | "rust" | "rs" | "java"
        | "c" | "cpp" | "c++" | "csharp" | "cs" | "kotlin" | "swift" | "php" => Lang {
            line_comments: &["//"],
            block_comment: Some(("/*", "*/")),
            quotes: &['"', '\'', '`'],
            keywords: C_KW,
            ..base
        },
        "dockerfile" | "docker" => Lang {
            line_comments: &["#"],
            keywords: DOCKER_KW,
            case_insensitive: true,
            dollar_variables: true,
            ..base
        },
        _ => return None,
    })
}

fn span(out: &mut String, class: &str, text: &str) {
    out.push_str("<span class=\"");
    out.push_str(class);
    out.push_str("\">");
    out.push_str(&escape_html(text));
    out.push_str("</span>");
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Highlight `code` written in `name`; `None` if the language is not one of ours.
pub fn highlight(name: &str, code: &str) -> Option<String> {
    let lang = lang(name)?;
    let mut out = String::with_capacity(code.len() * 2);
    let bytes = code.as_bytes();
    let mut i = 0;
    let mut line_start = true;
    while i < code.len() {
        let rest = &code[i..];
        let c = rest.chars().next().expect("non-empty");
        // Comments: `#` only at a word boundary so `$#` and URLs with fragments survive.
        if let Some(lc) = lang.line_comments.iter().find(|lc| rest.starts_with(**lc)) {
            let boundary = i == 0 || bytes[i - 1].is_ascii_whitespace() || *lc != "#";
            if boundary {
                let end = rest.find('\n').unwrap_or(rest.len());
                span(&mut out, "hl-cm", &rest[..end]);
                i += end;
                continue;
            }
        }
        if let Some((open, close)) = lang.block_comment {
            if rest.starts_with(open) {
                let end = rest[open.len()..]
                    .find(close)
                    .map(|e| e + open.len() + close.len())
                    .unwrap_or(rest.len());
                span(&mut out, "hl-cm", &rest[..end]);
                i += end;
                continue;
            }
        }
        if lang.quotes.contains(&c) {
            // To the closing quote, past backslash escapes; an unclosed string stops at the line end.
            let mut end = c.len_utf8();
            let mut escaped = false;
            for ch in rest[c.len_utf8()..].chars() {
                if ch == '\n' && c != '`' && !escaped {
                    break;
                }
                end += ch.len_utf8();
                if escaped {
                    escaped = false;
                } else if ch == '\\' && c != '\'' {
                    escaped = true;
                } else if ch == c {
                    break;
                }
            }
            let literal = &rest[..end];
            let after = rest[end..].trim_start_matches([' ', '\t']);
            let class = if lang.keys == Keys::Json && after.starts_with(':') {
                "hl-ke"
            } else {
                "hl-st"
            };
            span(&mut out, class, literal);
            i += end;
            line_start = false;
            continue;
        }
        if lang.dollar_variables && c == '$' {
            let after = &rest[1..];
            let len = if after.starts_with('{') {
                after.find('}').map(|e| e + 2).unwrap_or(1)
            } else {
                1 + after
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == ':'))
                    .unwrap_or(after.len())
            };
            if len > 1 {
                span(&mut out, "hl-va", &rest[..len]);
                i += len;
                line_start = false;
                continue;
            }
        }
        if c.is_ascii_digit() && (i == 0 || !is_ident(code[..i].chars().next_back().unwrap_or(' ')))
        {
            let len = rest
                .find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '.' || ch == '_'))
                .unwrap_or(rest.len());
            span(&mut out, "hl-nu", &rest[..len]);
            i += len;
            line_start = false;
            continue;
        }
        if is_ident_start(c) {
            let len = rest
                .find(|ch: char| !is_ident(ch) && ch != '.')
                .unwrap_or(rest.len());
            let word = &rest[..len];
            let after = rest[len..].trim_start_matches([' ', '\t']);
            let is_key = match lang.keys {
                Keys::Yaml => {
                    line_start
                        && (after.starts_with(": ") || after.starts_with(":\n") || after == ":")
                }
                Keys::Ini => line_start && (after.starts_with('=') || after.starts_with(':')),
                _ => false,
            };
            let is_kw = if lang.case_insensitive {
                lang.keywords.iter().any(|k| k.eq_ignore_ascii_case(word))
            } else {
                lang.keywords.contains(&word)
            };
            if is_key {
                span(&mut out, "hl-ke", word);
            } else if is_kw {
                span(&mut out, "hl-kw", word);
            } else if lang.constants.contains(&word) {
                span(&mut out, "hl-co", word);
            } else if after.starts_with('(') && lang.keys == Keys::None {
                span(&mut out, "hl-fn", word);
            } else {
                out.push_str(&escape_html(word));
            }
            i += len;
            line_start = false;
            continue;
        }
        if lang.keys == Keys::Ini && line_start && c == '[' {
            let end = rest.find('\n').unwrap_or(rest.len());
            span(&mut out, "hl-se", &rest[..end]);
            i += end;
            continue;
        }
        match c {
            '\n' => line_start = true,
            ' ' | '\t' => {}
            '-' if lang.keys == Keys::Yaml && line_start => {}
            _ => line_start = false,
        }
        push_escaped(&mut out, c);
        i += c.len_utf8();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell() {
        let h = highlight("bash", "echo \"$HOME\" # コメント\nrm -rf ${DIR}/x 2>&1\n").unwrap();
        assert!(h.contains(r#"<span class="hl-kw">echo</span>"#), "{h}");
        assert!(h.contains(r#"<span class="hl-st">&quot;$HOME&quot;</span>"#));
        assert!(h.contains(r#"<span class="hl-cm"># コメント</span>"#));
        assert!(h.contains(r#"<span class="hl-va">${DIR}</span>"#));
        assert!(h.contains("</span>&gt;&amp;<span"), "{h}");
    }

    #[test]
    fn yaml_keys_and_values() {
        let h = highlight(
            "yaml",
            "alert:\n  - name: disk # x\n    for: 10m\n    ok: true\n",
        )
        .unwrap();
        assert!(h.contains(r#"<span class="hl-ke">alert</span>:"#), "{h}");
        assert!(h.contains(r#"<span class="hl-ke">name</span>"#));
        assert!(h.contains(r#"<span class="hl-co">true</span>"#));
    }

    #[test]
    fn sql_is_case_insensitive_and_json_keys_differ_from_values() {
        let h = highlight("sql", "select id FROM t -- note\n").unwrap();
        assert!(
            h.contains(r#"<span class="hl-kw">select</span>"#)
                && h.contains(r#"<span class="hl-kw">FROM</span>"#)
        );
        let j = highlight("json", "{\"a\": \"b\", \"n\": 1}").unwrap();
        assert!(j.contains(r#"<span class="hl-ke">&quot;a&quot;</span>"#));
        assert!(j.contains(r#"<span class="hl-st">&quot;b&quot;</span>"#));
        assert!(j.contains(r#"<span class="hl-nu">1</span>"#));
    }

    #[test]
    fn text_survives_unchanged_apart_from_escaping() {
        let code = "x = \"unterminated\nif a < b && c { return 0x1F; } // done\n日本語\n";
        let h = highlight("rust", code).unwrap();
        let stripped = regex_free_strip(&h);
        assert_eq!(stripped, escape_html(code));
    }

    fn regex_free_strip(html: &str) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        let mut i = 0;
        while i < html.len() {
            let rest = &html[i..];
            if rest.starts_with("<span") || rest.starts_with("</span>") {
                in_tag = true;
            }
            let c = rest.chars().next().unwrap();
            if !in_tag {
                out.push(c);
            }
            if in_tag && c == '>' {
                in_tag = false;
            }
            i += c.len_utf8();
        }
        out
    }

    #[test]
    fn unknown_languages_are_left_to_the_fallback() {
        assert!(highlight("haskell", "main = pure ()").is_none());
    }
}
