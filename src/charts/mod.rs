//! Server-rendered SVG charts for the report pages (charts-rs), inlined in the HTML: no client
//! JavaScript. Each chart carries a `<title>`, a one-line description and the numbers behind it
//! (for a `<details>` table), and picks value ranges that show the differences that matter
//! (an availability trend is drawn around its target, never on a 0–120 axis).

mod axis;
mod calendar;

use charts_rs::{
    BarChart, Bullet, BulletChart, Color, HorizontalBarChart, LineChart, MarkLine,
    MarkLineCategory, Series,
};
use serde::Serialize;

pub use axis::{value_range, value_scale};

/// A chart ready for a template: the SVG and what a reader without it needs.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Chart {
    /// `line`, `bar`, `bullet` or `calendar` (a CSS class: calendars keep their own size).
    pub kind: &'static str,
    pub title: String,
    /// One line saying what the chart shows (also the SVG's `<desc>`).
    pub description: String,
    pub svg: String,
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

/// Colours shared with the theme's stylesheet (light); the dark scheme restyles text and grid
/// through CSS, the data colours read on both.
const PALETTE: [(u8, u8, u8); 4] = [(11, 98, 196), (26, 127, 55), (154, 103, 0), (130, 80, 223)];
const TARGET: (u8, u8, u8) = (26, 127, 55);
const ALERT: (u8, u8, u8) = (207, 34, 46);
const WIDTH: f32 = 640.0;

fn color(c: (u8, u8, u8)) -> Color {
    c.into()
}

fn f32s(values: &[Option<f64>]) -> Vec<Option<f32>> {
    values.iter().map(|v| v.map(|x| x as f32)).collect()
}

/// A charts-rs series of `s`: its name measured for the built-in font, its values (gaps kept).
fn series_of(s: &SeriesData) -> Series {
    let mut x = Series::new(measured(&s.name), Vec::new());
    x.data = f32s(&s.values);
    x
}

/// A line per series over `labels`, with target and alert lines; `fmt` writes a value.
pub fn line(
    title: &str,
    description: &str,
    labels: &[String],
    series: &[SeriesData],
    guides: Guides,
    percent_scale: bool,
    fmt: &dyn Fn(Option<f64>) -> String,
) -> Chart {
    let values: Vec<f64> = series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let (lo, hi, step) = value_scale(&values, guides, percent_scale);
    let list: Vec<Series> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            // Lines take charts-rs' theme palette: `Series::colors` is read by bar charts only.
            let mut x = series_of(s);
            if i == 0 {
                x.mark_lines = guide_lines(guides);
            }
            x
        })
        .collect();
    let mut c = LineChart::new(list, labels.to_vec());
    c.width = WIDTH;
    c.height = 260.0;
    c.legend.show = Some(series.len() > 1);
    if let Some(y) = c.y_axis_configs.first_mut() {
        y.min = Some(lo as f32);
        y.max = Some(hi as f32);
        y.split_number = ((hi - lo) / step).round().clamp(1.0, 10.0) as usize;
    }
    finish("line", c.svg(), title, description, labels, series, fmt)
}

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

/// Bars per category (vertical, or horizontal for long names), one colour per series;
/// `max` caps the value axis (100 for percentages).
#[allow(clippy::too_many_arguments)]
pub fn bars(
    title: &str,
    description: &str,
    categories: &[String],
    series: &[SeriesData],
    horizontal: bool,
    max: Option<f64>,
    fmt: &dyn Fn(Option<f64>) -> String,
) -> Chart {
    let drawn: Vec<String> = categories.iter().map(|c| measured(c)).collect();
    let list: Vec<Series> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut x = series_of(s);
            // `colors` is per bar in charts-rs: one entry per value, or only the first bar
            // takes the colour and the others the theme's.
            x.colors = Some(vec![
                Some(color(PALETTE[i % PALETTE.len()]));
                s.values.len()
            ]);
            x.label_show = true;
            x
        })
        .collect();
    let svg = if horizontal {
        let mut c = HorizontalBarChart::new(list, drawn);
        c.width = WIDTH;
        // Room right of the axis end for the label of a full-length bar (`100.0`).
        c.margin.right += 40.0;
        if let Some(y) = c.y_axis_configs.first_mut() {
            y.min = Some(0.0);
            y.max = max.map(|m| m as f32);
            if max.is_some() {
                y.split_number = 5;
            }
        }
        c.height = (60.0 + 28.0 * categories.len() as f32 * series.len().max(1) as f32).max(140.0);
        c.legend.show = Some(series.len() > 1);
        c.svg()
    } else {
        let mut c = BarChart::new(list, drawn);
        c.width = WIDTH;
        c.height = 260.0;
        c.legend.show = Some(series.len() > 1);
        if let Some(y) = c.y_axis_configs.first_mut() {
            y.min = Some(0.0);
            y.max = max.map(|m| m as f32);
            if max.is_some() {
                y.split_number = 5;
            }
        }
        c.svg()
    };
    finish("bar", svg, title, description, categories, series, fmt)
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
    let list: Vec<Bullet> = rows
        .iter()
        .map(|r| {
            let values: Vec<f64> = r.value.into_iter().collect();
            let (mut lo, hi) = value_range(
                &values,
                Guides {
                    target: r.target,
                    alert: r.alert,
                },
                r.percent_scale,
            );
            // The bullet picks its own ticks between min and max; a span of at least 0.5
            // keeps them a tenth apart, as its one-decimal labels need.
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
        })
        .collect();
    let mut c = BulletChart::new(list);
    c.width = WIDTH;
    c.height = 40.0 + 46.0 * rows.len() as f32;
    c.target_color = Some(color(ALERT));
    let table = rows
        .iter()
        .enumerate()
        .map(|(i, r)| ChartRow {
            label: r.name.clone(),
            values: vec![fmt(i, r.value), fmt(i, r.target)],
        })
        .collect();
    wrap(
        "bullet",
        c.svg(),
        title,
        description,
        std::iter::once(String::new())
            .chain(columns.iter().map(|s| s.to_string()))
            .collect(),
        table,
    )
}

/// Daily values of one month as a calendar heatmap: days under the alert threshold red, under
/// the target amber, the rest green; days without a value grey. Month and weekday names in
/// the site's language.
pub fn calendar(
    title: &str,
    description: &str,
    days: &[(chrono::NaiveDate, Option<f64>)],
    guides: Guides,
    japanese: bool,
    fmt: &dyn Fn(Option<f64>) -> String,
) -> Chart {
    let rows = days
        .iter()
        .map(|(d, v)| ChartRow {
            label: d.format("%Y-%m-%d").to_string(),
            values: vec![fmt(*v)],
        })
        .collect();
    wrap(
        "calendar",
        calendar::month_svg(days, guides, japanese),
        title,
        description,
        vec![String::new(), title.to_string()],
        rows,
    )
}

fn guide_lines(g: Guides) -> Vec<MarkLine> {
    let mut out = Vec::new();
    for (v, c) in [(g.target, TARGET), (g.alert, ALERT)] {
        if let Some(v) = v {
            out.push(MarkLine {
                category: MarkLineCategory::Value(v as f32),
                color: Some(color(c)),
                ..Default::default()
            });
        }
    }
    out
}

/// The numbers table of a chart over `labels`: a row per label, a column per series.
fn finish(
    kind: &'static str,
    svg: Result<String, charts_rs::Error>,
    title: &str,
    description: &str,
    labels: &[String],
    series: &[SeriesData],
    fmt: &dyn Fn(Option<f64>) -> String,
) -> Chart {
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
    wrap(kind, svg, title, description, columns, rows)
}

/// The SVG with `role="img"`, `<title>` and `<desc>` first inside it (escaped); a chart that
/// could not be drawn becomes an empty string, and the table still carries its numbers.
fn wrap(
    kind: &'static str,
    svg: Result<String, charts_rs::Error>,
    title: &str,
    description: &str,
    columns: Vec<String>,
    rows: Vec<ChartRow>,
) -> Chart {
    let svg = svg
        .ok()
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
        .unwrap_or_default();
    Chart {
        kind,
        title: title.to_string(),
        description: description.to_string(),
        svg,
        columns,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bar_of_a_series_has_its_colour() {
        for horizontal in [true, false] {
            let c = bars(
                "t",
                "d",
                &["a".into(), "b".into(), "c".into()],
                &[SeriesData {
                    name: "s".into(),
                    values: vec![Some(10.0), Some(20.0), Some(30.0)],
                }],
                horizontal,
                Some(100.0),
                &|v| format!("{v:?}"),
            );
            assert_eq!(c.svg.matches("fill=\"#0B62C4\"").count(), 3, "{horizontal}");
        }
    }
}
