//! The small HTML tokenizer the slim search markup (`markup`) is read with: tags with their
//! quoted attribute values, comments as HTML ends them, and where an element's end tag is, as an
//! HTML parser finds it (past comments, attribute values and the text of a `script`).

/// Elements whose content is text to an HTML parser, whatever it looks like (`<title>a<b></title>`
/// holds the text `a<b>`): copied as written up to the end tag.
pub(super) const RAW_TEXT: [&str; 8] = [
    "script", "style", "iframe", "xmp", "noembed", "noframes", "textarea", "title",
];

/// Elements whose start tag ends an open one of the same name (`<li>a<li>b`).
pub(super) fn ends_its_sibling(name: &str) -> bool {
    const SIBLINGS: [&str; 8] = ["li", "p", "dt", "dd", "tr", "td", "th", "option"];
    SIBLINGS.iter().any(|v| name.eq_ignore_ascii_case(v))
}

/// Elements with no content and no end tag.
pub(super) fn is_void(name: &str) -> bool {
    const VOID: [&str; 14] = [
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    VOID.iter().any(|v| name.eq_ignore_ascii_case(v))
}

pub(super) fn is_raw_text(name: &str) -> bool {
    RAW_TEXT.iter().any(|r| name.eq_ignore_ascii_case(r))
}

/// Where the end tag of the raw-text element `name` (`script`, `style`, `title`, …) opened just
/// before `rest` starts: its text holds anything up to it.
pub(super) fn find_end_tag(rest: &str, name: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut at = 0;
    while let Some(i) = rest[at..].find("</") {
        let start = at + i;
        let name_at = &bytes[start + 2..];
        if name_at.len() > name.len()
            && name_at[..name.len()].eq_ignore_ascii_case(name.as_bytes())
            && ends_a_name(name_at[name.len()])
        {
            return Some(start);
        }
        at = start + 2;
    }
    None
}

/// Where the content of the element `name` opened just before `rest` ends, as an HTML parser
/// ends it: at its own end tag, or at the end tag of an element it is inside (`ancestors`),
/// which closes it too (`<p><div data-pagefind-ignore></p>`). Elements opened inside it are
/// closed by their own end tags first; comments and the text of a `script` inside are stepped
/// over whole.
pub(super) fn content_end(rest: &str, name: &str, ancestors: &[&str]) -> Option<usize> {
    let is = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let foreign_root = is(name, "svg") || is(name, "math");
    let mut inner: Vec<&str> = Vec::new();
    let mut at = 0;
    let bytes = rest.as_bytes();
    while let Some(i) = rest[at..].find('<') {
        let start = at + i;
        let after = &bytes[start + 1..];
        if after.starts_with(b"!--") {
            match token(&rest[start..]) {
                Some(Token::Comment(len)) => at = start + len,
                _ => return None,
            }
            continue;
        }
        let closing = after.first() == Some(&b'/');
        let name_from = start + 1 + usize::from(closing);
        if !bytes.get(name_from).is_some_and(u8::is_ascii_alphabetic) {
            at = start + 1;
            continue;
        }
        at = start + tag_length(&rest[start..])?;
        let tag_name = &rest[name_from..name_end(rest, name_from).min(at)];
        if closing {
            if let Some(k) = inner.iter().rposition(|n| is(n, tag_name)) {
                inner.truncate(k);
            } else if is(tag_name, name) || ancestors.iter().any(|a| is(a, tag_name)) {
                return Some(start);
            }
            continue;
        }
        if is_raw_text(tag_name) {
            // Its text may hold anything; its end tag follows.
            at += find_end_tag(&rest[at..], tag_name)?;
            inner.push(tag_name);
            continue;
        }
        let foreign = foreign_root || inner.iter().any(|n| is(n, "svg") || is(n, "math"));
        if !is_void(tag_name) && !(foreign && rest[..at].ends_with("/>")) {
            inner.push(tag_name);
        }
    }
    None
}

/// The length of the start tag at the start of `s` (`<` and a letter), its quoted attribute
/// values read whole; None when one is left open.
pub(super) fn tag_length(s: &str) -> Option<usize> {
    let closing = s.as_bytes().get(1) == Some(&b'/');
    let (len, _) = walk_attributes(s, name_end(s, 1 + usize::from(closing)), |_, _| {})?;
    Some(len)
}

/// Where the tag name starting at byte `from` of `s` ends.
fn name_end(s: &str, from: usize) -> usize {
    (s.as_bytes()[from..].iter())
        .position(|c| ends_a_name(*c))
        .map_or(s.len(), |i| from + i)
}

/// A byte that ends a tag's name: white space, `/` or `>`.
fn ends_a_name(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
}

/// The attributes of the tag in `s` whose name ends at byte `at`, each one's name and whole
/// text handed to `each`; where the tag ends (after its `>`) and whether it closes itself
/// (`/>`), or None when it or a quoted value is left open.
fn walk_attributes<'a>(
    s: &'a str,
    mut at: usize,
    mut each: impl FnMut(&'a str, &'a str),
) -> Option<(usize, bool)> {
    let b = s.as_bytes();
    loop {
        while b.get(at).is_some_and(|c| c.is_ascii_whitespace()) {
            at += 1;
        }
        match b.get(at) {
            None => return None,
            Some(b'>') => return Some((at + 1, false)),
            Some(b'/') if b.get(at + 1) == Some(&b'>') => return Some((at + 2, true)),
            Some(b'/') => {
                at += 1;
                continue;
            }
            _ => {}
        }
        let (name_end, end) = attribute(s, at)?;
        each(&s[at..name_end], &s[at..end]);
        at = end;
    }
}

pub(super) fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

pub(super) enum Token<'a> {
    Tag(Tag<'a>),
    /// A comment, its length.
    Comment(usize),
    /// A tag or comment with no end before the markup ends.
    Open,
}

/// One start or end tag as written, with what Pagefind reads of it.
pub(super) struct Tag<'a> {
    pub(super) raw: &'a str,
    pub(super) len: usize,
    pub(super) name: &'a str,
    pub(super) closing: bool,
    pub(super) self_closing: bool,
    /// It has a `data-pagefind-*` attribute: Pagefind may read any of its attributes.
    pub(super) marked: bool,
    /// It has `data-pagefind-body`, which is left out (below).
    pub(super) body: bool,
    /// Every attribute as written (a marked tag with `data-pagefind-body` is written from them).
    pub(super) all: Vec<&'a str>,
    /// It has an `id` (an anchor).
    pub(super) id: bool,
    /// It has `data-pagefind-ignore`, with or without a value.
    pub(super) ignored: bool,
    /// The attributes Pagefind reads of an element without marks, as written.
    pub(super) kept: Vec<&'a str>,
}

impl<'a> Tag<'a> {
    /// An attribute of the tag: its name, and the whole of it as written.
    fn add_attribute(&mut self, name: &str, written: &'a str) {
        let body = is_body_mark(written);
        self.body |= body;
        let prefix = name.as_bytes().get(..13);
        self.marked |= !body && prefix.is_some_and(|p| p.eq_ignore_ascii_case(b"data-pagefind"));
        self.all.push(written);
        self.id |= name.eq_ignore_ascii_case("id");
        self.ignored |= name.eq_ignore_ascii_case("data-pagefind-ignore");
        if read_by_pagefind(self.name, name) {
            self.kept.push(written);
        }
    }

    /// The tag as Pagefind reads it: whole when marked, else its name and the attributes it
    /// reads; never with `data-pagefind-body`, with which one page's markup (raw HTML in its
    /// Markdown) would leave every page without it out of the index.
    /// Inside `svg` or `math` (`foreign`) a tag is written whole: there an attribute decides
    /// how an HTML tokenizer reads what follows (`<font color>` leaves MathML, an
    /// `annotation-xml`'s `encoding` makes its content HTML).
    pub(super) fn write(&self, out: &mut String, foreign: bool) {
        if self.closing || (self.marked && !self.body) || (foreign && !self.body) {
            out.push_str(self.raw);
            return;
        }
        let attributes = if self.marked { &self.all } else { &self.kept };
        out.push('<');
        out.push_str(self.name);
        for a in attributes.iter().filter(|a| !is_body_mark(a)) {
            out.push(' ');
            out.push_str(a);
        }
        out.push_str(if self.self_closing { "/>" } else { ">" });
    }
}

/// Whether an attribute as written is `data-pagefind-body` (with or without a value).
pub(super) fn is_body_mark(attribute: &str) -> bool {
    let name = attribute.split('=').next().unwrap_or("").trim_end();
    name.eq_ignore_ascii_case("data-pagefind-body")
}

/// Whether Pagefind reads attribute `attr` of element `tag` when it has no `data-pagefind-*`
/// attribute: the `id` (anchors), `lang`, an image's `src` and `alt` (a result's image), and the
/// addresses of scripts and style sheets (it checks them for its own older files).
pub(super) fn read_by_pagefind(tag: &str, attr: &str) -> bool {
    let is = |a: &str| attr.eq_ignore_ascii_case(a);
    let on = |t: &str| tag.eq_ignore_ascii_case(t);
    is("id")
        || is("lang")
        || (on("img") && (is("src") || is("alt")))
        || (on("script") && is("src"))
        || (on("link") && is("href"))
}

/// The attribute starting at byte `at` of `s`: where its name ends and where it ends (after its
/// value, quoted or not); None when a quoted value is left open.
pub(super) fn attribute(s: &str, at: usize) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let mut i = at;
    while b
        .get(i)
        .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
    {
        i += 1;
    }
    // An attribute name is at least one character (`=` alone starts one in HTML).
    if i == at {
        i += 1;
    }
    let name_end = i;
    let skip_space = |mut j: usize| {
        while b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            j += 1;
        }
        j
    };
    let j = skip_space(i);
    if b.get(j) != Some(&b'=') {
        return Some((name_end, name_end));
    }
    let mut j = skip_space(j + 1);
    match b.get(j) {
        Some(&q @ (b'"' | b'\'')) => {
            let close = s[j + 1..].find(q as char)?;
            j += 1 + close + 1;
        }
        _ => {
            while b
                .get(j)
                .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
            {
                j += 1;
            }
        }
    }
    Some((name_end, j))
}

/// The token at the start of `s` (which starts with `<`), or None when the `<` starts no tag.
pub(super) fn token(s: &str) -> Option<Token<'_>> {
    let b = s.as_bytes();
    match b.get(1) {
        Some(b'!') if s.starts_with("<!--") => {
            // `<!-->` and `<!--->` are whole (empty) comments; one ends at `-->` or `--!>`.
            let body = &s[4..];
            if body.starts_with('>') || body.starts_with("->") {
                return Some(Token::Comment(4 + body.find('>').unwrap_or(0) + 1));
            }
            let end = ["-->", "--!>"]
                .iter()
                .filter_map(|e| body.find(e).map(|i| i + e.len()))
                .min();
            return Some(match end {
                Some(end) => Token::Comment(4 + end),
                None => Token::Open,
            });
        }
        Some(b'!' | b'?') => {
            // A doctype or processing instruction: kept as written.
            return Some(match s.find('>') {
                Some(end) => Token::Tag(Tag {
                    raw: &s[..=end],
                    len: end + 1,
                    name: "",
                    closing: true,
                    self_closing: false,
                    marked: true,
                    body: false,
                    all: Vec::new(),
                    id: false,
                    ignored: false,
                    kept: Vec::new(),
                }),
                None => Token::Open,
            });
        }
        _ => {}
    }
    let closing = b.get(1) == Some(&b'/');
    let name_start = 1 + usize::from(closing);
    if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let name_end = name_end(s, name_start);
    let name = &s[name_start..name_end];
    let mut tag = Tag {
        raw: "",
        len: 0,
        name,
        closing,
        self_closing: false,
        marked: false,
        body: false,
        all: Vec::new(),
        id: false,
        ignored: false,
        kept: Vec::new(),
    };
    let Some((len, self_closing)) = walk_attributes(s, name_end, |name, written| {
        tag.add_attribute(name, written)
    }) else {
        return Some(Token::Open);
    };
    tag.self_closing = self_closing;
    tag.len = len;
    tag.raw = &s[..len];
    Some(Token::Tag(tag))
}
