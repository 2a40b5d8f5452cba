//! Mermaid fences drawn as inline SVG at build time (mermaid-rs-renderer), so a diagram needs no
//! script or CDN, shows from a file share and in print, and keeps its labels as text. The
//! renderer is trusted to draw, not to escape: its SVG is read as an XML tree and written again
//! with an allowlist of elements and attributes (no script, no links or images, no reference
//! outside the diagram), its ids given a prefix of the diagram's own so that two diagrams on one
//! page do not share markers, and a label for screen readers.

use std::fmt::Write as _;

use super::escape_html;
use crate::i18n::{Lang, Words};

/// The most a diagram's source may hold: past it the block is shown as code (layout time grows
/// faster than the text).
const MAX_SOURCE: usize = 64 * 1024;

/// The most links and boxes a diagram may have. Layout time grows much faster than the links
/// (144 links between 24 boxes took 9.5 s, 676 took 106 s): past these the block is shown as
/// code, and a build never stalls on one diagram.
const MAX_LINKS: usize = 100;
const MAX_BOXES: usize = 200;

/// Elements kept (with their allowed attributes); others are dropped with what they hold,
/// but for `a`, whose content is kept without the link.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "defs",
    "marker",
    "title",
    "desc",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
];

const ATTRIBUTES: &[&str] = &[
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "d",
    "points",
    "viewBox",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "fill-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "transform",
    "marker-start",
    "marker-mid",
    "marker-end",
    "refX",
    "refY",
    "markerUnits",
    "markerWidth",
    "markerHeight",
    "orient",
    "id",
    "class",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "clip-path",
    "preserveAspectRatio",
    "text-decoration",
    "letter-spacing",
];

/// The diagram's kind as its first word says it, in the page's words (for the label).
fn kind_of(source: &str, t: &Words) -> &'static str {
    let first = source
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("%%"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("");
    match first {
        "flowchart" | "graph" => t.diagram_flowchart,
        "sequenceDiagram" => t.diagram_sequence,
        "stateDiagram" | "stateDiagram-v2" => t.diagram_state,
        "gantt" => t.diagram_gantt,
        "classDiagram" => t.diagram_class,
        "erDiagram" => t.diagram_er,
        "pie" => t.diagram_pie,
        _ => t.diagram_other,
    }
}

/// `accTitle: …` of the source, Mermaid's own title for screen readers.
fn acc_title(source: &str) -> Option<String> {
    source.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("accTitle")?.trim_start();
        Some(rest.strip_prefix(':')?.trim().to_string()).filter(|t| !t.is_empty())
    })
}

/// What a drawing depends on besides its source: the renderer and how opsite calls it. Part of
/// the key of every cached drawing (a test holds it to the vendored renderer's version).
pub const RENDERER: &str = "mermaid-rs-renderer 0.3.1; fast text metrics; opsite 1";

/// The limits a site sets on its diagrams (`limits.diagram_label_chars`,
/// `limits.diagram_page_kb`): counted on the source, so the same page is refused on every
/// machine, however fast.
#[derive(Debug, Clone, Copy)]
pub struct DiagramLimits {
    /// The most characters one label (a box's, a link's, a message's) may hold.
    pub label_chars: usize,
    /// The most bytes of Mermaid source one page may hold, all its diagrams together.
    pub page_bytes: usize,
    /// The most layout work one page's diagrams may take together, in thousandths of a unit
    /// (`Measure::work`).
    pub page_work: u64,
}

impl DiagramLimits {
    /// The limits `limits:` in site.yaml sets.
    pub fn of(limits: &crate::config::LimitsConfig) -> DiagramLimits {
        DiagramLimits {
            label_chars: limits.diagram_label_chars,
            page_bytes: (limits.diagram_page_kb as usize).saturating_mul(1000),
            page_work: (limits.diagram_page_work * 1000.0).max(0.0) as u64,
        }
    }
}

impl Default for DiagramLimits {
    fn default() -> Self {
        DiagramLimits::of(&crate::config::LimitsConfig::default())
    }
}

/// What a diagram holds, from its source alone (parsing is quick; the layout is what takes
/// time): its links, boxes and subgraphs, and its longest label.
#[derive(Debug, Clone, Default)]
pub struct Measure {
    pub links: usize,
    pub boxes: usize,
    pub subgraphs: usize,
    /// The longest label's length in characters, and its first characters.
    pub longest_label: (usize, String),
}

impl Measure {
    /// The diagram as parsed; none when it does not parse (the layout then says why).
    pub fn of(source: &str) -> Option<Measure> {
        let parsed =
            std::panic::catch_unwind(|| mermaid_rs_renderer::parse_mermaid(source)).ok()?;
        let parsed = parsed.ok()?;
        let g = &parsed.graph;
        let labels =
            (g.nodes.values().map(|n| n.label.as_str())).chain(g.edges.iter().flat_map(|e| {
                [&e.label, &e.start_label, &e.end_label]
                    .into_iter()
                    .filter_map(|l| l.as_deref())
            }));
        let longest = labels.max_by_key(|l| l.chars().count()).unwrap_or("");
        Some(Measure {
            links: g.edges.len(),
            boxes: g.nodes.len(),
            subgraphs: g.subgraphs.len(),
            longest_label: (longest.chars().count(), longest.chars().take(30).collect()),
        })
    }

    /// The work of laying it out, in thousandths of `limits.diagram_page_work`'s unit: the
    /// layout's time grows with the square of the links, and each subgraph adds a tenth
    /// (measured on two cores: a unit is about 0.6–1.5 s; BENCHMARKS.md, "Diagrams"). Counted
    /// on the source, so every machine refuses the same page.
    pub fn work(&self) -> u64 {
        let links = self.links as u64;
        links * links * (10 + self.subgraphs as u64) / 10 + 100
    }
}

/// The longest label of `source`, when it is longer than `max` characters: (its length, its
/// first characters), for the error.
pub fn label_too_long(source: &str, max: usize) -> Option<(usize, String)> {
    let m = Measure::of(source)?;
    (m.longest_label.0 > max).then_some(m.longest_label)
}

/// The renderer's SVG for `source`, or why it cannot be drawn (a warning: the block is shown
/// as code). The slow part of a diagram, and what a build caches.
pub fn layout(source: &str) -> Result<String, String> {
    if source.len() > MAX_SOURCE {
        return Err(format!(
            "mermaid: the diagram holds {} bytes, more than the {MAX_SOURCE} opsite draws; shown as code",
            source.len()
        ));
    }
    // Parsing is quick; the size of what it found decides whether the layout is.
    if let Ok(Ok(parsed)) = std::panic::catch_unwind(|| mermaid_rs_renderer::parse_mermaid(source))
    {
        let (links, boxes) = (parsed.graph.edges.len(), parsed.graph.nodes.len());
        if links > MAX_LINKS || boxes > MAX_BOXES {
            return Err(format!(
                "mermaid: the diagram has {links} links and {boxes} boxes, more than the {MAX_LINKS} links or {MAX_BOXES} boxes opsite lays out in good time; split it; shown as code"
            ));
        }
    }
    let mut options = mermaid_rs_renderer::RenderOptions::default();
    options.layout.fast_text_metrics = true;
    let drawn =
        std::panic::catch_unwind(|| mermaid_rs_renderer::render_with_options(source, options));
    match drawn {
        Ok(Ok(svg)) => Ok(svg),
        Ok(Err(e)) => Err(format!(
            "mermaid: cannot draw this diagram ({e}); shown as code"
        )),
        Err(_) => Err("mermaid: the renderer failed on this diagram; shown as code".into()),
    }
}

/// The diagram `index` of a page (0, 1, …) as HTML, or why it cannot be drawn.
pub fn draw(source: &str, index: usize, lang: Lang) -> Result<String, String> {
    figure(source, &layout(source)?, index, lang)
}

/// The figure of a diagram from the renderer's SVG (`layout`'s): read as a tree, written
/// again with the allowlist, its ids the diagram's own, labelled for screen readers.
pub fn figure(source: &str, svg: &str, index: usize, lang: Lang) -> Result<String, String> {
    let t = &lang.vocabulary().report;
    let doc = roxmltree::Document::parse(svg)
        .map_err(|e| format!("mermaid: the drawing is not readable SVG ({e}); shown as code"))?;
    let prefix = format!("diagram-{}-", index + 1);
    let mut labels = Vec::new();
    collect_text(doc.root_element(), &mut labels);
    let label = match acc_title(source) {
        Some(t) => t,
        None => {
            let mut l = kind_of(source, t).to_string();
            let joined = labels.join(t.list_separator);
            if !joined.is_empty() {
                l.push_str(t.label_separator);
                l.extend(joined.chars().take(300));
            }
            l
        }
    };
    let mut out = String::with_capacity(svg.len());
    out.push_str("<figure class=\"diagram\">");
    write_element(doc.root_element(), &prefix, true, &mut out);
    // The drawing's words for screen readers and the search index (which read no SVG).
    let _ = writeln!(
        out,
        "<figcaption class=\"visually-hidden\">{}</figcaption></figure>",
        escape_html(&label)
    );
    Ok(out)
}

/// The text of every label, in order.
fn collect_text(node: roxmltree::Node, out: &mut Vec<String>) {
    if node.has_tag_name("text") {
        let t: String = node
            .descendants()
            .filter(|n| n.is_text())
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
        return;
    }
    for child in node.children().filter(|c| c.is_element()) {
        collect_text(child, out);
    }
}

/// An attribute value kept as it is, with its references to the diagram's own ids prefixed;
/// None for a value that reaches outside the diagram (`url(http…)`, `javascript:`).
fn value_of(name: &str, value: &str, prefix: &str) -> Option<String> {
    if name == "id" {
        return Some(format!("{prefix}{value}"));
    }
    let lower = value.to_ascii_lowercase();
    if lower.contains("javascript:") || lower.contains("expression(") {
        return None;
    }
    if !lower.contains("url(") {
        return Some(match name {
            // A colour the renderer wrote half of (`rgb(255`) or could not use would be black.
            "fill" | "stroke" if !is_colour(value) => fallback_colour(name).to_string(),
            _ => value.to_string(),
        });
    }
    // Only `url(#id)`, the diagram's own markers and gradients.
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find("url(") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 4..];
        let end = after.find(')')?;
        let target = after[..end].trim().trim_matches(['"', '\'']);
        let Some(id) = target.strip_prefix('#') else {
            // A paint from elsewhere: the diagram's own colour instead (no request leaves).
            return (name == "fill" || name == "stroke").then(|| fallback_colour(name).to_string());
        };
        let _ = write!(out, "url(#{prefix}{id})");
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// A colour as SVG reads it: `#hex`, a name, `none`, or a whole `rgb()`/`hsl()`.
fn is_colour(v: &str) -> bool {
    let v = v.trim();
    let hex = v.strip_prefix('#').is_some_and(|h| {
        matches!(h.len(), 3 | 4 | 6 | 8) && h.chars().all(|c| c.is_ascii_hexdigit())
    });
    let name = !v.is_empty() && v.chars().all(|c| c.is_ascii_alphabetic());
    let function = ["rgb(", "rgba(", "hsl(", "hsla("]
        .iter()
        .any(|f| v.to_ascii_lowercase().starts_with(f))
        && v.ends_with(')')
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || " (),.%/-".contains(c));
    hex || name || function
}

/// The renderer's own box colours, for a paint that cannot be kept.
fn fallback_colour(name: &str) -> &'static str {
    if name == "stroke" {
        "#94A3B8"
    } else {
        "#F8FAFC"
    }
}

fn write_element(node: roxmltree::Node, prefix: &str, outer: bool, out: &mut String) {
    let name = node.tag_name().name();
    if name == "a" {
        // A link (Mermaid's `click … href`): its drawing is kept, not the link.
        write_children(node, prefix, out);
        return;
    }
    if !ELEMENTS.contains(&name) {
        return;
    }
    let _ = write!(out, "<{name}");
    if name == "svg" {
        out.push_str(" xmlns=\"http://www.w3.org/2000/svg\"");
    }
    for a in node.attributes() {
        let key = a.name();
        if a.namespace().is_some() || !ATTRIBUTES.contains(&key) {
            continue;
        }
        if let Some(v) = value_of(key, a.value(), prefix) {
            let _ = write!(out, " {key}=\"{}\"", escape_html(&v));
        }
    }
    if outer {
        // Its words are the figure's caption: the drawing itself is not read out twice.
        out.push_str(" aria-hidden=\"true\" focusable=\"false\" class=\"diagram-svg\"");
    }
    out.push('>');
    write_children(node, prefix, out);
    let _ = write!(out, "</{name}>");
}

fn write_children(node: roxmltree::Node, prefix: &str, out: &mut String) {
    for child in node.children() {
        if child.is_element() {
            write_element(child, prefix, false, out);
        } else if let Some(t) = child.text().filter(|_| child.is_text()) {
            out.push_str(&escape_html(t));
        }
    }
}

/// Whether a diagram may be drawn under the site's limits: none of its labels longer than
/// `limits.diagram_label_chars`, and the page's Mermaid so far (this one included) within
/// `limits.diagram_page_kb` and `limits.diagram_page_work`. Counted on the source, so every
/// machine refuses the same page. `page` holds the page's bytes and work so far.
pub fn within_limits(
    code: &str,
    page: &mut (usize, u64),
    limits: &DiagramLimits,
) -> Result<(), String> {
    page.0 += code.len();
    if page.0 > limits.page_bytes {
        return Err(format!(
            "mermaid: the page's diagrams hold {} bytes with this one, more than limits.diagram_page_kb ({} KB: layouts take longer the more a page holds); split the page, or raise the limit in site.yaml; shown as code",
            page.0,
            limits.page_bytes / 1000
        ));
    }
    let Some(m) = Measure::of(code) else {
        return Ok(());
    };
    if m.longest_label.0 > limits.label_chars {
        return Err(format!(
            "mermaid: a label of {} characters (\"{}…\"), more than limits.diagram_label_chars ({}: long labels make layouts slow); shorten it, or raise the limit in site.yaml; shown as code",
            m.longest_label.0, m.longest_label.1, limits.label_chars
        ));
    }
    page.1 += m.work();
    if page.1 > limits.page_work {
        return Err(format!(
            "mermaid: the page's diagrams need {:.1} units of layout work with this one ({} links, {} subgraphs), more than limits.diagram_page_work ({:.1}: a unit is about a second on two cores); split the diagram or the page, or raise the limit in site.yaml; shown as code",
            page.1 as f64 / 1000.0,
            m.links,
            m.subgraphs,
            limits.page_work as f64 / 1000.0
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_stay_text_and_the_figure_is_labelled() {
        let html = draw(
            "flowchart TD\n  A[アラート受信] --> B{重大度}\n",
            0,
            Lang::of("ja"),
        )
        .unwrap();
        assert!(
            html.starts_with("<figure class=\"diagram\"><svg xmlns="),
            "{html}"
        );
        assert!(html.contains(">アラート受信<"), "{html}");
        assert!(
            html.contains(
                "<figcaption class=\"visually-hidden\">フローチャート：アラート受信、重大度</figcaption>"
            ),
            "{html}"
        );
        assert!(html.contains("aria-hidden=\"true\""));
        assert!(!html.contains("data-edge-id"));
    }

    #[test]
    fn hostile_labels_and_links_are_inert() {
        let src = "flowchart TD\n  A[\"<script>alert(1)</script>\"] --> B[\"x\\\" onload=\\\"alert(2)\"]\n  click A href \"javascript:alert(3)\"\n";
        let html = draw(src, 0, Lang::of("en")).unwrap_or_default();
        assert!(
            !html.contains("<script") && !html.contains("javascript:"),
            "{html}"
        );
        assert!(
            !html.contains(" onload=\"") && !html.contains("<a "),
            "{html}"
        );
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn references_stay_inside_the_diagram() {
        assert_eq!(
            value_of("marker-end", "url(#arrow-0)", "diagram-2-").as_deref(),
            Some("url(#diagram-2-arrow-0)")
        );
        assert_eq!(
            value_of("fill", "url(https://x.example/a#b)", "p-").as_deref(),
            Some("#F8FAFC")
        );
        assert_eq!(
            value_of("fill", "rgb(255", "p-").as_deref(),
            Some("#F8FAFC")
        );
        assert_eq!(
            value_of("fill", "rgb(255, 0, 0)", "p-").as_deref(),
            Some("rgb(255, 0, 0)")
        );
        assert_eq!(value_of("marker-end", "url(http://x/)", "p-"), None);
        assert_eq!(
            value_of("id", "arrow-0", "diagram-1-").as_deref(),
            Some("diagram-1-arrow-0")
        );
        // Two diagrams on one page: no id twice.
        let a = draw("flowchart LR\n  A --> B\n", 0, Lang::of("ja")).unwrap();
        let b = draw("flowchart LR\n  A --> B\n", 1, Lang::of("ja")).unwrap();
        assert!(a.contains("id=\"diagram-1-") && b.contains("id=\"diagram-2-"));
    }

    #[test]
    fn the_cache_key_names_the_vendored_renderers_version() {
        let manifest = include_str!("../../vendor/mermaid-rs-renderer/Cargo.toml");
        let version = manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = \""))
            .and_then(|v| v.strip_suffix('"'))
            .unwrap();
        assert!(
            RENDERER.starts_with(&format!("mermaid-rs-renderer {version};")),
            "update RENDERER (the diagram cache's key) to the renderer's version {version}"
        );
    }

    #[test]
    fn the_work_of_a_layout_grows_with_the_square_of_its_links_and_its_subgraphs() {
        let chart = |links: usize| {
            let mut s = String::from("flowchart TD\n");
            for i in 0..links {
                s.push_str(&format!("  A{i} --> A{}\n", i + 1));
            }
            s
        };
        let m = |src: &str| Measure::of(src).unwrap();
        assert_eq!(m(&chart(10)).work(), 200);
        assert_eq!(m(&chart(60)).work(), 3700);
        let grouped = format!("{}  subgraph G\n    A1\n  end\n", chart(10));
        assert_eq!(m(&grouped).subgraphs, 1);
        assert_eq!(m(&grouped).work(), 210);
    }

    #[test]
    fn long_labels_are_found_on_boxes_and_links() {
        let long = "長".repeat(250);
        assert_eq!(
            label_too_long(&format!("flowchart TD\n  A[{long}] --> B\n"), 200).map(|x| x.0),
            Some(250)
        );
        assert_eq!(
            label_too_long(&format!("flowchart TD\n  A -->|{long}| B\n"), 200).map(|x| x.0),
            Some(250)
        );
        assert!(label_too_long("flowchart TD\n  A[短い] --> B\n", 200).is_none());
    }

    #[test]
    fn what_cannot_be_drawn_says_why() {
        let e = draw("flowchart TD\n  A --> \n (((", 0, Lang::of("ja")).unwrap_err();
        assert!(e.starts_with("mermaid: cannot draw this diagram"), "{e}");
        let big = format!("flowchart TD\n{}", "  A --> B\n".repeat(10_000));
        assert!(draw(&big, 0, Lang::of("ja"))
            .unwrap_err()
            .contains("more than the 65536 opsite draws"));
        // Dense: 26 boxes each linked to each.
        let all = ('A'..='Z')
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" & ");
        let dense = format!("graph TD\n  {all} --> {all}\n");
        let started = std::time::Instant::now();
        let e = draw(&dense, 0, Lang::of("ja")).unwrap_err();
        assert!(e.contains("676 links") && e.contains("split it"), "{e}");
        assert!(started.elapsed().as_secs() < 5, "refused before the layout");
    }
}
