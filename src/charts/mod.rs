//! Server-rendered SVG charts for the report pages (charts-rs), inlined in the HTML: no client
//! JavaScript. Each chart carries a `<title>`, a one-line description and the numbers behind it
//! (for a `<details>` table), and picks value ranges that show the differences that matter
//! (an availability trend is drawn around its target, never on a 0–120 axis).

mod axis;
mod bars;
mod calendar;
mod line;

use charts_rs::{Bullet, BulletChart, Color, Series};
use serde::Serialize;

pub use axis::{value_range, value_scale};
pub use bars::{bars, Bars};
pub use calendar::DayMarks;
pub use line::{line, Axis, Lines};

/// A chart ready for a template: the SVG and what a reader without it needs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// `line`, `bar`, `bullet` or `calendar` (a CSS class: calendars keep their own size).
    pub kind: &'static str,
    pub title: String,
    /// One line saying what the chart shows (also the SVG's `<desc>`).
    pub description: String,
    /// Drawn for a laptop's column (640 wide).
    pub svg: String,
    /// The same chart drawn for a phone (360 wide, so its text stays at least 11 px on a 390 px
    /// screen); empty where the wide one serves (calendars).
    pub svg_narrow: String,
    /// What a reader must know that the drawing cannot show (values clipped at the axis top).
    pub note: Option<String>,
    /// No value to draw: the template says 「データなし」 instead of empty axes.
    pub no_data: bool,
    /// Column headings of the numbers table (the first is the row label's).
    pub columns: Vec<String>,
    pub rows: Vec<ChartRow>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChartRow {
    pub label: String,
    pub values: Vec<String>,
}

/// A named series of values; None is a gap (no data), never 0.
#[derive(Debug, Clone)]
pub struct SeriesData {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// Lines to draw across a chart (target, alert threshold).
#[derive(Debug, Clone, Copy, Default)]
pub struct Guides {
    pub target: Option<f64>,
    pub alert: Option<f64>,
}

impl Guides {
    /// The values of the lines there are.
    fn values(self) -> impl Iterator<Item = f64> {
        self.target.into_iter().chain(self.alert)
    }
}

/// Colours shared with the theme's stylesheet (light); the dark scheme restyles text and grid
/// through CSS, the data colours read on both.
const PALETTE: [(u8, u8, u8); 4] = [(11, 98, 196), (26, 127, 55), (154, 103, 0), (130, 80, 223)];
const TARGET: (u8, u8, u8) = (26, 127, 55);
const ALERT: (u8, u8, u8) = (207, 34, 46);
const WIDTH: f32 = 640.0;
/// The width drawn for phones: shown about 350 px wide on a 390 px screen, so charts-rs' 14 px
/// axis text stays above 11 px.
const NARROW: f32 = 360.0;

fn color(c: (u8, u8, u8)) -> Color {
    c.into()
}

fn f32s(values: &[Option<f64>]) -> Vec<Option<f32>> {
    values.iter().map(|v| v.map(|x| x as f32)).collect()
}

/// A charts-rs series of `s`: its name measured for the built-in font, its values (gaps kept).
/// Text as charts-rs should measure it. Its built-in font has no Japanese glyphs, so it
/// measures them too narrow and labels run into the plot; trailing spaces (collapsed in SVG,
/// counted when measuring) give each wide character the room it takes on screen.
fn measured(text: &str) -> String {
    use unicode_width::UnicodeWidthChar;
    let wide = text.chars().filter(|c| c.width() == Some(2)).count();
    if wide == 0 {
        return text.to_string();
    }
    format!("{text}{}", " ".repeat(wide * 2))
}

/// Every value of the series there is to draw (no gaps, no NaN or infinity).
fn finite_values(series: &[SeriesData]) -> Vec<f64> {
    (series.iter())
        .flat_map(|s| s.values.iter().flatten().copied())
        .filter(|v| v.is_finite())
        .collect()
}

fn series_of(s: &SeriesData) -> Series {
    let mut x = Series::new(measured(&s.name), Vec::new());
    x.data = f32s(&s.values);
    x
}

/// One bullet row: a value against its target and alert threshold.
#[derive(Debug, Clone)]
pub struct BulletRow {
    pub name: String,
    pub value: Option<f64>,
    pub target: Option<f64>,
    pub alert: Option<f64>,
    pub percent_scale: bool,
}

/// Bullet rows, each on a scale around its own target and alert.
pub fn bullets(
    title: &str,
    description: &str,
    rows: &[BulletRow],
    columns: [&str; 2],
    fmt: &dyn Fn(usize, Option<f64>) -> String,
) -> Chart {
    let list: Vec<Bullet> = rows.iter().map(bullet).collect();
    let draw = |width: f32| {
        let mut c = BulletChart::new(list.clone());
        c.width = width;
        // Room for the last tick's label (`100`), which starts 24 px before the edge: charts-rs
        // measures it in Roboto, and the page's font may draw it wider.
        c.margin.right += 16.0;
        c.height = 40.0 + 46.0 * rows.len() as f32;
        c.target_color = Some(color(ALERT));
        c.svg()
    };
    let table = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ChartRow {
            label: r.name.clone(),
            values: vec![fmt(i, r.value), fmt(i, r.target)],
        })
        .collect();
    let columns = std::iter::once(String::new())
        .chain(columns.iter().map(|s| s.to_string()))
        .collect();
    let no_data = rows.iter().all(|r| r.value.is_none());
    let mut chart = wrap("bullet", draw(WIDTH), title, description, columns, table);
    chart.svg_narrow = with_title(draw(NARROW), title, description);
    chart.no_data = no_data;
    chart
}

fn bullet(r: &BulletRow) -> Bullet {
    let values: Vec<f64> = r.value.into_iter().collect();
    let guides = Guides {
        target: r.target,
        alert: r.alert,
    };
    let (mut lo, hi) = value_range(&values, guides, r.percent_scale);
    // The bullet picks its own ticks between min and max; a span of at least 0.5 keeps them a
    // tenth apart, as its one-decimal labels need.
    if r.percent_scale && hi - lo < 0.5 {
        lo = (hi - 0.5).max(0.0);
    }
    let mut ranges: Vec<f32> = [r.alert, r.target]
        .into_iter()
        .flatten()
        .map(|x| x as f32)
        .collect();
    ranges.sort_by(|a, b| a.total_cmp(b));
    ranges.push(hi as f32);
    Bullet {
        name: measured(&r.name),
        value: r.value.map_or(charts_rs::NIL_VALUE, |v| v as f32),
        target: r.target.map(|t| t as f32),
        ranges,
        min: Some(lo as f32),
        max: Some(hi as f32),
        color: Some(color(PALETTE[0])),
    }
}

/// One month's daily values, and what happened on each day.
pub struct Month<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub days: &'a [(chrono::NaiveDate, Option<f64>)],
    /// One per day: the marks drawn on it.
    pub marks: &'a [DayMarks],
    /// One per day: what happened, for the numbers table (「計画外 10:00–13:20」; empty if none).
    pub events: &'a [String],
    /// The words for an outage and for maintenance, and the events column's heading.
    pub legend: [&'a str; 3],
    pub guides: Guides,
    pub lang: crate::i18n::Lang,
    pub fmt: &'a dyn Fn(Option<f64>) -> String,
}

/// Daily values of one month as a calendar heatmap: days under the alert threshold red, under
/// the target amber, the rest green; days without a value grey; a dot on a day with an outage and
/// a ring on a day with planned maintenance. Month and weekday names in the site's language.
pub fn calendar(m: &Month) -> Chart {
    let with_events = m.events.iter().any(|e| !e.is_empty());
    let rows = (m.days.iter().enumerate())
        .map(|(i, (d, v))| ChartRow {
            label: d.format("%Y-%m-%d").to_string(),
            values: std::iter::once((m.fmt)(*v))
                .chain(with_events.then(|| m.events.get(i).cloned().unwrap_or_default()))
                .collect(),
        })
        .collect();
    let columns = [String::new(), m.title.to_string()]
        .into_iter()
        .chain(with_events.then(|| m.legend[2].to_string()))
        .collect();
    let (title, description, days) = (m.title, m.description, m.days);
    let svg = calendar::month_svg(days, m.marks, [m.legend[0], m.legend[1]], m.guides, m.lang);
    let mut chart = wrap("calendar", svg, title, description, columns, rows);
    chart.no_data = days.iter().all(|(_, v)| v.is_none());
    chart
}

/// The numbers table of a chart over `labels`: a row per label, a column per series.
fn table(
    labels: &[String],
    series: &[SeriesData],
    fmt: &dyn Fn(Option<f64>) -> String,
) -> (Vec<String>, Vec<ChartRow>) {
    let columns = std::iter::once(String::new())
        .chain(series.iter().map(|s| s.name.clone()))
        .collect();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, l)| ChartRow {
            label: l.clone(),
            values: series
                .iter()
                .map(|s| fmt(s.values.get(i).copied().flatten()))
                .collect(),
        })
        .collect();
    (columns, rows)
}

/// The SVG with `role="img"`, `<title>` and `<desc>` first inside it (escaped); a chart that
/// could not be drawn becomes an empty string, and the table still carries its numbers.
fn with_title(svg: Result<String, charts_rs::Error>, title: &str, description: &str) -> String {
    svg.ok()
        .and_then(|s| {
            let open_end = s.find('>')?;
            let esc = crate::html::escape_html;
            Some(format!(
                "{} role=\"img\" class=\"chart-svg\">\n<title>{}</title><desc>{}</desc>{}",
                &s[..open_end],
                esc(title),
                esc(description),
                &s[open_end + 1..]
            ))
        })
        .unwrap_or_default()
}

/// A chart of one drawing (the narrow one is added by the kinds that have it).
fn wrap(
    kind: &'static str,
    svg: Result<String, charts_rs::Error>,
    title: &str,
    description: &str,
    columns: Vec<String>,
    rows: Vec<ChartRow>,
) -> Chart {
    let svg = with_title(svg, title, description);
    Chart {
        kind,
        title: title.to_string(),
        description: description.to_string(),
        svg,
        svg_narrow: String::new(),
        note: None,
        no_data: false,
        columns,
        rows,
    }
}

/// A chart with nothing to draw: its title, description and (empty) numbers, and no SVG.
fn empty(
    kind: &'static str,
    title: &str,
    description: &str,
    columns: Vec<String>,
    rows: Vec<ChartRow>,
) -> Chart {
    Chart {
        svg: String::new(),
        no_data: true,
        ..wrap(kind, Ok(String::new()), title, description, columns, rows)
    }
}
