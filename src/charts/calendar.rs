//! A month of daily values as a calendar: a column per week, a row per weekday, each day a
//! cell coloured by its class (under the alert threshold, under the target, met, no value).
//! Drawn here rather than with charts-rs's calendar, whose month and weekday names are English
//! only: a Japanese report says 11月 and 月 水 金. Days with an outage or planned maintenance in
//! the data carry a mark, so a red or amber day explains itself.

use charts_rs::{Canvas, Circle, Color, Rect, Text};
use chrono::{Datelike, NaiveDate};

use super::Guides;

const EMPTY: (u8, u8, u8) = (235, 237, 240);
const AMBER: (u8, u8, u8) = (210, 153, 34);
/// The legend's swatch: a grey that carries the white mark and no day colour (a green swatch
/// beside an amber outage day read as "outage days are green").
const LEGEND_SWATCH: (u8, u8, u8) = (110, 119, 129);
const CELL: f32 = 22.0;
/// Where a day's mark is centred in its cell, from the cell's top left (its number is at the
/// top left).
const MARK_AT: f32 = 15.0;
const GAP: f32 = 3.0;
const LEFT: f32 = 30.0;
const TOP: f32 = 20.0;
const MARGIN: f32 = 5.0;

/// What the outage export says happened on a day.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DayMarks {
    /// An unplanned outage: a filled dot on the day.
    pub outage: bool,
    /// Planned maintenance: a ring on the day.
    pub maintenance: bool,
}

/// The SVG of `days` (consecutive, one month) with `marks` (one per day), weekday names and the
/// month's name in Japanese or English, and under it the legend of the marks used (`legend`:
/// the words for an outage and for maintenance).
pub fn month_svg(
    days: &[(NaiveDate, Option<f64>)],
    marks: &[DayMarks],
    legend: [&str; 2],
    guides: Guides,
    lang: crate::i18n::Lang,
) -> Result<String, charts_rs::Error> {
    let Some(&(first, _)) = days.first() else {
        return Err(charts_rs::Error::Params {
            message: "a calendar needs days".into(),
        });
    };
    let lead = first.weekday().num_days_from_sunday() as usize;
    let weeks = (lead + days.len()).div_ceil(7);
    let step = CELL + GAP;
    let width = 2.0 * MARGIN + LEFT + weeks as f32 * step + 8.0;
    let used = [
        marks.iter().any(|m| m.outage),
        marks.iter().any(|m| m.maintenance),
    ];
    let legend_rows = used.iter().filter(|u| **u).count() as f32;
    let height = 2.0 * MARGIN + TOP + 7.0 * step + 8.0 + legend_rows * 16.0;
    let mut c = Canvas::new(width, height);
    let grey = Color::from((87, 96, 106));
    let label = |c: &mut Canvas, text: String, x: f32, y: f32, baseline: &str| {
        c.text(Text {
            text,
            font_color: Some(grey),
            font_size: Some(11.0),
            dominant_baseline: Some(baseline.to_string()),
            x: Some(x),
            y: Some(y),
            ..Default::default()
        });
    };
    // Rows run Sunday first; the word list is Monday first.
    let words = &lang.vocabulary().report;
    for row in [1, 3, 5] {
        let y = MARGIN + TOP + row as f32 * step + CELL / 2.0;
        label(
            &mut c,
            words.weekday(row + 6).to_string(),
            MARGIN,
            y,
            "central",
        );
    }
    let month = first
        .format(lang.vocabulary().formats.month_short)
        .to_string();
    label(&mut c, month, MARGIN + LEFT, MARGIN + TOP - 4.0, "auto");
    for (i, (day, value)) in days.iter().enumerate() {
        let (col, row) = ((lead + i) / 7, (lead + i) % 7);
        let color = Color::from(class_color(*value, guides));
        c.rect(Rect {
            color: Some(color),
            fill: Some(color.into()),
            left: MARGIN + LEFT + col as f32 * step,
            top: MARGIN + TOP + row as f32 * step,
            width: CELL,
            height: CELL,
            rx: Some(2.0),
            ry: Some(2.0),
            dataset: vec![("date".to_string(), day.format("%Y-%m-%d").to_string())],
            ..Default::default()
        });
        // The day's number in its top-left corner, its mark in the lower right.
        let (left, top) = (
            MARGIN + LEFT + col as f32 * step,
            MARGIN + TOP + row as f32 * step,
        );
        c.text(Text {
            text: day.day().to_string(),
            font_color: Some(match value {
                Some(_) => Color::from((255, 255, 255)),
                None => grey,
            }),
            font_size: Some(8.5),
            dominant_baseline: Some("hanging".to_string()),
            x: Some(left + 2.5),
            y: Some(top + 2.0),
            ..Default::default()
        });
        let mark = marks.get(i).copied().unwrap_or_default();
        draw_marks(&mut c, mark, left + MARK_AT, top + MARK_AT);
    }
    let mut y = MARGIN + TOP + 7.0 * step + 10.0;
    for (k, word) in legend.iter().enumerate() {
        if !used[k] {
            continue;
        }
        let mark = DayMarks {
            outage: k == 0,
            maintenance: k == 1,
        };
        let swatch = Color::from(LEGEND_SWATCH);
        c.rect(Rect {
            color: Some(swatch),
            fill: Some(swatch.into()),
            left: MARGIN,
            top: y - 7.0,
            width: 14.0,
            height: 14.0,
            rx: Some(2.0),
            ry: Some(2.0),
            ..Default::default()
        });
        draw_marks(&mut c, mark, MARGIN + 7.0, y);
        label(&mut c, word.to_string(), MARGIN + 20.0, y, "central");
        y += 16.0;
    }
    c.svg()
}

/// A white dot (outage) and a white ring (maintenance) centred on a cell.
fn draw_marks(c: &mut Canvas, mark: DayMarks, cx: f32, cy: f32) {
    let white = Color::from((255, 255, 255));
    if mark.maintenance {
        c.circle(Circle {
            stroke_color: Some(white),
            fill: None,
            stroke_width: 1.5,
            cx,
            cy,
            r: 4.5,
            ..Default::default()
        });
    }
    if mark.outage {
        c.circle(Circle {
            stroke_color: Some(white),
            fill: Some(white),
            stroke_width: 1.0,
            cx,
            cy,
            r: 2.5,
            ..Default::default()
        });
    }
}

/// Red under the alert threshold, amber under the target, green otherwise; grey for none.
fn class_color(value: Option<f64>, g: Guides) -> (u8, u8, u8) {
    match value {
        None => EMPTY,
        Some(v) if g.alert.is_some_and(|a| v < a) => super::ALERT,
        Some(v) if g.target.is_some_and(|t| v < t) => AMBER,
        Some(_) => super::TARGET,
    }
}
