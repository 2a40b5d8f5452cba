//! Hugo-style shortcodes, expanded before Markdown is parsed: `{{< name arg key="v" >}}` (output
//! is HTML, kept away from the Markdown parser behind a placeholder), `{{% name %}}…{{% /name %}}`
//! (output is Markdown), calls over several lines, and the escaped `{{</* name */>}}` that prints
//! itself. A map from expanded offsets back to source offsets keeps error lines right.

use std::collections::BTreeMap;

/// How deep paired shortcodes may nest (a call inside a call … counts its own level too). Each
/// level is a recursion in the expander, so without a bound 10,000 nested `details` overflowed
/// the stack and killed the process; real pages nest a handful.
pub const MAX_NESTING: usize = 100;

/// One call as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeCall {
    pub name: String,
    /// Positional arguments.
    pub args: Vec<String>,
    /// Named arguments.
    pub params: BTreeMap<String, String>,
    /// `{{% %}}`: the output is Markdown.
    pub markdown: bool,
    /// Byte offset of the call in the source text.
    pub offset: usize,
    /// The paired call this one sits inside (a `tab` in its `tabpane`): name and named arguments.
    pub parent: Option<(String, BTreeMap<String, String>)>,
}

/// What a shortcode produces, or why it cannot.
pub enum Expansion {
    /// Template output: HTML for `{{< >}}` (kept behind a placeholder), Markdown for `{{% %}}`.
    Output(String),
    /// Text that goes into the Markdown as it is whatever the delimiter, e.g. a URL from `ref`,
    /// so `[text]({{< ref "x.md" >}})` stays a link.
    Text(String),
    /// Not known but listed under `shortcodes.ignore`: dropped, inner content kept.
    Ignored,
    /// No template and not ignored: an error (the message), or a warning in a tree built from
    /// its Hugo configuration, whose theme's shortcodes cannot be had; the name is collected so
    /// the run can say what to list under `shortcodes.ignore`.
    Unknown {
        message: String,
        warning: bool,
    },
    Error(String),
    /// Not drawn because of a problem reported elsewhere (a figure when the data did not load):
    /// the run says it once for every such use, after its cause.
    Blocked,
}

/// Renders one call; `inner` is the expanded content of a paired call. `markdown` renders a piece
/// of Markdown as the page's own body is rendered (its raw-HTML mode, highlighting, link
/// rewriting; its links are checked and reported at the call's line): templates'
/// `markdownify` goes through it.
pub trait ShortcodeHandler {
    /// Whether the site drops this shortcode (`shortcodes.ignore`).
    fn is_ignored(&self, _name: &str) -> bool {
        false
    }

    /// Whether this shortcode shows content written between its opening and closing calls.
    fn takes_content(&self, _name: &str) -> bool {
        false
    }

    fn expand(
        &self,
        call: &ShortcodeCall,
        inner: Option<&str>,
        markdown: &dyn Fn(&str) -> String,
    ) -> Expansion;
}

/// Renders Markdown found inside a shortcode call at the given source offset.
pub type FragmentRenderer<'a> = &'a dyn Fn(&str, usize) -> String;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortcodeProblem {
    pub offset: usize,
    pub message: String,
    pub warning: bool,
}

/// The text handed to the Markdown parser, the HTML waiting behind placeholders, and the offset map.
#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    pub placeholders: Vec<String>,
    /// (offset in `text`, offset in the source), ascending.
    segments: Vec<(usize, usize)>,
    pub problems: Vec<ShortcodeProblem>,
    /// Names of shortcodes with no template that the site does not ignore.
    pub unknown: Vec<String>,
    /// Uses of shortcodes the site ignores: name and offset (reported once per name by the run).
    pub ignored: Vec<(String, usize)>,
    /// Uses not drawn because of a problem reported elsewhere: name and offset.
    pub blocked: Vec<(String, usize)>,
    /// Uses of shortcodes with no template (unknown or ignored) inside code: name, offset, and
    /// whether the finding is only a warning outside `check` (`Expansion::Unknown`). The code
    /// is published without what the call stood for: findings of their own, not `problems`.
    pub unknown_in_code: Vec<(String, usize, bool)>,
}

pub fn placeholder(i: usize) -> String {
    format!("XOPSITESC{i}X")
}

impl Expanded {
    /// Text taken as it is, shortcode-like calls included.
    pub fn plain(source: &str) -> Expanded {
        Expanded {
            text: source.to_string(),
            segments: vec![(0, 0)],
            ..Expanded::default()
        }
    }

    /// Source offset of an offset in the expanded text.
    pub fn source_offset(&self, expanded: usize) -> usize {
        match self.segments.binary_search_by(|(e, _)| e.cmp(&expanded)) {
            Ok(i) => self.segments[i].1,
            Err(0) => expanded,
            Err(i) => {
                let (e, s) = self.segments[i - 1];
                s + (expanded - e)
            }
        }
    }
}

#[derive(Debug)]
enum Item {
    Text {
        start: usize,
        end: usize,
    },
    Literal {
        text: String,
        offset: usize,
    },
    Open {
        call: ShortcodeCall,
        self_closing: bool,
    },
    Close {
        name: String,
        offset: usize,
    },
}

/// Expand every shortcode in `source`. Text without `{{<` or `{{%` comes back unchanged.
pub fn expand(
    source: &str,
    handler: &dyn ShortcodeHandler,
    fragments: FragmentRenderer,
) -> Expanded {
    let mut out = Expanded::default();
    if !source.contains("{{<") && !source.contains("{{%") {
        out.text = source.to_string();
        out.segments.push((0, 0));
        return out;
    }
    let items = match tokenize(source) {
        Ok(items) => items,
        Err((offset, message)) => {
            out.problems.push(ShortcodeProblem {
                offset,
                message,
                warning: false,
            });
            out.text = source.to_string();
            out.segments.push((0, 0));
            return out;
        }
    };
    // Pair each opening call with its closing one; unmatched openings are single calls.
    let mut closes_at: Vec<Option<usize>> = vec![None; items.len()];
    let mut stack: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Open {
                self_closing: false,
                ..
            } => stack.push(i),
            Item::Close { name, offset } => {
                match stack.iter().rposition(
                    |&j| matches!(&items[j], Item::Open { call, .. } if &call.name == name),
                ) {
                    Some(pos) => {
                        closes_at[stack[pos]] = Some(i);
                        stack.truncate(pos);
                    }
                    None => out.problems.push(ShortcodeProblem {
                        offset: *offset,
                        message: format!("closing shortcode `/{name}` has no opening `{name}`"),
                        // A stray close of a shortcode the site ignores cannot change the page.
                        warning: handler.is_ignored(name),
                    }),
                }
            }
            _ => {}
        }
    }
    out.problems.extend(unclosed(&items, &closes_at, handler));
    if let Some((offset, name)) = first_too_deep(&items, &closes_at) {
        out.problems.push(ShortcodeProblem {
            offset,
            message: format!(
                "shortcodes nested deeper than {MAX_NESTING} levels (the limit): this `{name}` is level {}; none of the page's shortcodes were expanded",
                MAX_NESTING + 1
            ),
            warning: false,
        });
        out.text = source.to_string();
        out.segments.push((0, 0));
        return out;
    }
    let mut ex = Expander {
        open: Vec::new(),
        source,
        items: &items,
        closes_at: &closes_at,
        handler,
        fragments,
        code: None,
        out,
    };
    let mut text = String::with_capacity(source.len());
    let mut segs = Vec::new();
    ex.emit(0, items.len(), &mut text, Some(&mut segs));
    let mut out = ex.out;
    out.text = text;
    out.segments = segs;
    out
}

/// The first paired call that sits inside `MAX_NESTING` others: its offset and name.
/// Calls of shortcodes that show their content, opened and never closed: the text meant to be
/// inside (a runbook's "do not touch" callout) would stand after an empty box.
fn unclosed<'a>(
    items: &'a [Item],
    closes_at: &'a [Option<usize>],
    handler: &'a dyn ShortcodeHandler,
) -> impl Iterator<Item = ShortcodeProblem> + 'a {
    items.iter().zip(closes_at).filter_map(move |(item, close)| match item {
        Item::Open { call, self_closing: false } if close.is_none() && handler.takes_content(&call.name) => {
            let (name, open, shut) = (&call.name, if call.markdown { "{{%" } else { "{{<" }, if call.markdown { "%}}" } else { ">}}" });
            Some(ShortcodeProblem {
                offset: call.offset,
                message: format!("shortcode `{name}` is never closed, so the text meant to be inside it stands after it: close it with `{open} /{name} {shut}` after its content, or write `{open} {name} /{shut}` when it has none"),
                warning: true,
            })
        }
        _ => None,
    })
}

fn first_too_deep(items: &[Item], closes_at: &[Option<usize>]) -> Option<(usize, String)> {
    // Item indices of the closing calls of the paired calls open at this point, innermost last.
    let mut open_until: Vec<usize> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        while open_until.last().is_some_and(|&close| close <= i) {
            open_until.pop();
        }
        if let (Item::Open { call, .. }, Some(close)) = (item, closes_at[i]) {
            open_until.push(close);
            if open_until.len() > MAX_NESTING {
                return Some((call.offset, call.name.clone()));
            }
        }
    }
    None
}

struct Expander<'a> {
    /// The paired calls being expanded, outermost first (their item indices).
    open: Vec<usize>,
    source: &'a str,
    items: &'a [Item],
    closes_at: &'a [Option<usize>],
    handler: &'a dyn ShortcodeHandler,
    fragments: FragmentRenderer<'a>,
    /// Where the source holds code, found the first time a call without a template is met.
    code: Option<Vec<std::ops::Range<usize>>>,
    out: Expanded,
}

impl Expander<'_> {
    fn in_code(&mut self, offset: usize) -> bool {
        let source = self.source;
        let ranges = self
            .code
            .get_or_insert_with(|| super::code_ranges::of(source));
        super::code_ranges::contains(ranges, offset)
    }
}

impl Expander<'_> {
    fn emit(
        &mut self,
        from: usize,
        to: usize,
        buf: &mut String,
        mut segs: Option<&mut Vec<(usize, usize)>>,
    ) {
        let mut i = from;
        while i < to {
            match &self.items[i] {
                Item::Text { start, end } => {
                    if let Some(s) = segs.as_deref_mut() {
                        s.push((buf.len(), *start));
                    }
                    buf.push_str(&self.source[*start..*end]);
                    i += 1;
                }
                Item::Literal { text, offset } => {
                    if let Some(s) = segs.as_deref_mut() {
                        s.push((buf.len(), *offset));
                    }
                    buf.push_str(text);
                    i += 1;
                }
                Item::Close { .. } => i += 1,
                Item::Open { call, .. } => {
                    let close = self.closes_at[i];
                    let inner_range = close.map(|c| (i + 1, c));
                    // The inner content is expanded once, with its source positions, and reused
                    // as it is when the call is dropped (expanding it again would report its own
                    // problems twice).
                    let mut inner_text = None;
                    let mut inner_segs = Vec::new();
                    if let Some((a, b)) = inner_range {
                        let mut inner = String::new();
                        self.open.push(i);
                        self.emit(a, b, &mut inner, Some(&mut inner_segs));
                        self.open.pop();
                        inner_text = Some(inner);
                    }
                    let keep_inner = |buf: &mut String, segs: Option<&mut Vec<(usize, usize)>>| {
                        if let Some(inner) = &inner_text {
                            if let Some(s) = segs {
                                s.extend(inner_segs.iter().map(|&(o, src)| (buf.len() + o, src)));
                            }
                            buf.push_str(inner);
                        }
                    };
                    let offset = call.offset;
                    let fragments = self.fragments;
                    let markdown = move |text: &str| fragments(text, offset);
                    let parent = self.open.last().and_then(|&p| match &self.items[p] {
                        Item::Open { call, .. } => Some((call.name.clone(), call.params.clone())),
                        _ => None,
                    });
                    let expansion = if parent.is_some() {
                        let mut with_parent = call.clone();
                        with_parent.parent = parent;
                        self.handler
                            .expand(&with_parent, inner_text.as_deref(), &markdown)
                    } else {
                        self.handler.expand(call, inner_text.as_deref(), &markdown)
                    };
                    if matches!(expansion, Expansion::Unknown { .. }) {
                        self.out.unknown.push(call.name.clone());
                    }
                    match expansion {
                        Expansion::Output(html) => {
                            if let Some(s) = segs.as_deref_mut() {
                                s.push((buf.len(), call.offset));
                            }
                            if call.markdown {
                                buf.push_str(&html);
                            } else {
                                let n = self.out.placeholders.len();
                                self.out.placeholders.push(html);
                                buf.push_str(&placeholder(n));
                            }
                        }
                        Expansion::Text(text) => {
                            if let Some(s) = segs.as_deref_mut() {
                                s.push((buf.len(), call.offset));
                            }
                            buf.push_str(&text);
                        }
                        // Ignoring a call inside code does not mend the code: still a finding.
                        Expansion::Ignored if self.in_code(call.offset) => {
                            let found = (call.name.clone(), call.offset, true);
                            self.out.unknown_in_code.push(found);
                            keep_inner(buf, segs.as_deref_mut());
                        }
                        Expansion::Ignored => {
                            self.out.ignored.push((call.name.clone(), call.offset));
                            // Keep and render the inner content, with its own source positions.
                            keep_inner(buf, segs.as_deref_mut());
                        }
                        Expansion::Blocked => {
                            self.out.blocked.push((call.name.clone(), call.offset));
                            keep_inner(buf, segs.as_deref_mut());
                        }
                        Expansion::Unknown { warning, .. } if self.in_code(call.offset) => {
                            let found = (call.name.clone(), call.offset, warning);
                            self.out.unknown_in_code.push(found);
                            keep_inner(buf, segs.as_deref_mut());
                        }
                        Expansion::Unknown { message, warning } => {
                            self.out.problems.push(ShortcodeProblem {
                                offset: call.offset,
                                message,
                                warning,
                            });
                            keep_inner(buf, segs.as_deref_mut());
                        }
                        Expansion::Error(message) => {
                            self.out.problems.push(ShortcodeProblem {
                                offset: call.offset,
                                message,
                                warning: false,
                            });
                            keep_inner(buf, segs.as_deref_mut());
                        }
                    }
                    i = close.map(|c| c + 1).unwrap_or(i + 1);
                }
            }
        }
    }
}

fn tokenize(src: &str) -> Result<Vec<Item>, (usize, String)> {
    let mut items = Vec::new();
    let mut pos = 0;
    let bytes = src.as_bytes();
    while pos < src.len() {
        let next = find_open(src, pos);
        let Some(start) = next else {
            items.push(Item::Text {
                start: pos,
                end: src.len(),
            });
            break;
        };
        if start > pos {
            items.push(Item::Text {
                start: pos,
                end: start,
            });
        }
        let markdown = bytes[start + 2] == b'%';
        let close_delim = if markdown { "%}}" } else { ">}}" };
        let mut p = start + 3;
        // Escaped form: {{</* … */>}} prints as {{< … >}}.
        let rest = &src[p..];
        let trimmed = rest.trim_start();
        if trimmed.starts_with("/*") {
            let inner_start = p + (rest.len() - trimmed.len()) + 2;
            let end_marker = format!("*/{close_delim}");
            let Some(rel) = src[inner_start..].find(&end_marker) else {
                return Err((
                    start,
                    format!("escaped shortcode has no closing `{end_marker}`"),
                ));
            };
            let inner = &src[inner_start..inner_start + rel];
            let open = if markdown { "{{%" } else { "{{<" };
            items.push(Item::Literal {
                text: format!("{open}{inner}{close_delim}"),
                offset: start,
            });
            pos = inner_start + rel + end_marker.len();
            continue;
        }
        let Some(rel_end) = src[p..].find(close_delim) else {
            return Err((
                start,
                format!("shortcode call has no closing `{close_delim}`"),
            ));
        };
        let mut body = src[p..p + rel_end].trim();
        let end = p + rel_end + close_delim.len();
        p = end;
        let self_closing = body.ends_with('/');
        if self_closing {
            body = body[..body.len() - 1].trim_end();
        }
        if let Some(name) = body.strip_prefix('/') {
            items.push(Item::Close {
                name: name.trim().to_string(),
                offset: start,
            });
        } else {
            let mut tokens = split_args(body).map_err(|m| (start, m))?.into_iter();
            let name = tokens.next().map(|(_, v)| v).unwrap_or_default();
            if name.is_empty() {
                return Err((start, "shortcode call without a name".into()));
            }
            let mut call = ShortcodeCall {
                name,
                args: Vec::new(),
                params: BTreeMap::new(),
                markdown,
                offset: start,
                parent: None,
            };
            for (key, value) in tokens {
                match key {
                    Some(k) => {
                        call.params.insert(k, value);
                    }
                    None => call.args.push(value),
                }
            }
            items.push(Item::Open { call, self_closing });
        }
        pos = p;
    }
    Ok(items)
}

fn find_open(src: &str, from: usize) -> Option<usize> {
    let a = src[from..].find("{{<").map(|i| i + from);
    let b = src[from..].find("{{%").map(|i| i + from);
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Split `name a "b c" key="v" k2=v2` into (key, value) tokens.
fn split_args(s: &str) -> Result<Vec<(Option<String>, String)>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let (word, next) = read_value(&chars, i)?;
        i = next;
        if i < chars.len() && chars[i] == '=' && !word.1 {
            let (value, next) = read_value(&chars, i + 1)?;
            i = next;
            out.push((Some(word.0), value.0));
        } else {
            out.push((None, word.0));
        }
    }
    Ok(out)
}

/// A bare word or a quoted string; the flag says whether it was quoted.
fn read_value(chars: &[char], mut i: usize) -> Result<((String, bool), usize), String> {
    if i < chars.len() && (chars[i] == '"' || chars[i] == '`') {
        let q = chars[i];
        let mut v = String::new();
        i += 1;
        while i < chars.len() && chars[i] != q {
            if q == '"' && chars[i] == '\\' && i + 1 < chars.len() {
                i += 1;
            }
            v.push(chars[i]);
            i += 1;
        }
        if i >= chars.len() {
            return Err(format!("unclosed {q} in shortcode arguments"));
        }
        return Ok(((v, true), i + 1));
    }
    let mut v = String::new();
    while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
        v.push(chars[i]);
        i += 1;
    }
    Ok(((v, false), i))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;
    fn no_md(text: &str, _: usize) -> String {
        text.to_string()
    }

    fn expand(source: &str, handler: &dyn ShortcodeHandler) -> Expanded {
        super::expand(source, handler, &no_md)
    }

    impl ShortcodeHandler for Echo {
        fn expand(
            &self,
            call: &ShortcodeCall,
            inner: Option<&str>,
            _: &dyn Fn(&str) -> String,
        ) -> Expansion {
            match call.name.as_str() {
                "skip" => Expansion::Ignored,
                "bad" => Expansion::Error("unknown shortcode `bad`".into()),
                _ => Expansion::Output(format!(
                    "[{}|{}|{:?}|{}]",
                    call.name,
                    call.args.join(","),
                    call.params,
                    inner.unwrap_or("-")
                )),
            }
        }
    }

    #[test]
    fn markdown_shortcodes_are_inlined_and_html_ones_placeheld() {
        let e = expand("a {{% x 1 k=\"v w\" %}}in{{% /x %}} b {{< y >}} c", &Echo);
        assert_eq!(e.text, "a [x|1|{\"k\": \"v w\"}|in] b XOPSITESC0X c");
        assert_eq!(e.placeholders, vec!["[y||{}|-]"]);
    }

    #[test]
    fn escaped_calls_print_themselves() {
        let e = expand("{{</* imgproc sunset Crop \"500x300\" */>}}", &Echo);
        assert_eq!(e.text, "{{< imgproc sunset Crop \"500x300\" >}}");
    }

    #[test]
    fn multi_line_calls_and_names_with_slashes() {
        let e = expand(
            "{{% blocks/cover\n  title=\"T\"\n  height=\"full\"\n%}}x{{% /blocks/cover %}}",
            &Echo,
        );
        assert!(
            e.text
                .starts_with("[blocks/cover||{\"height\": \"full\", \"title\": \"T\"}|x]"),
            "{}",
            e.text
        );
    }

    #[test]
    fn ignored_paired_calls_keep_their_inner_content() {
        let e = expand("A\n{{% skip %}}\ninner\n{{% /skip %}}\nB", &Echo);
        assert_eq!(e.text, "A\n\ninner\n\nB");
        assert_eq!(e.ignored, vec![("skip".to_string(), 2)]);
        assert!(
            e.problems.is_empty(),
            "reported once per name by the run, not here"
        );
    }

    #[test]
    fn nesting_past_the_limit_is_one_located_error_but_single_calls_are_no_nesting() {
        let nested = |n: usize| {
            let (open, close) = ("{{< box >}}\n".repeat(n), "{{< /box >}}".repeat(n));
            format!("intro\n{open}x{close}")
        };
        assert!(expand(&nested(MAX_NESTING), &Echo).problems.is_empty());
        let singles = "{{< y >}}\n".repeat(MAX_NESTING * 3);
        assert!(expand(&singles, &Echo).problems.is_empty());
        let e = expand(&nested(10_000), &Echo);
        let [p] = &e.problems[..] else {
            panic!("{:?}", e.problems)
        };
        // The 101st opening call: after "intro\n" and 100 lines of openings.
        let at = "intro\n".len() + MAX_NESTING * "{{< box >}}\n".len();
        assert_eq!((p.offset, p.warning), (at, false));
        assert!(p.message.contains("100 levels"), "{}", p.message);
        assert!(e.placeholders.is_empty());
    }

    #[test]
    fn offsets_map_back_to_the_source() {
        let src = "{{% skip %}}\nline2\n{{% bad %}}";
        let e = expand(src, &Echo);
        let err = e.problems.iter().find(|p| !p.warning).unwrap();
        assert_eq!(err.offset, src.find("{{% bad").unwrap());
        let at = e.text.find("line2").unwrap();
        assert_eq!(e.source_offset(at), src.find("line2").unwrap());
    }
}
