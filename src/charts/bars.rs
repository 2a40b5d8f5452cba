//! Bar charts: vertical for periods, horizontal for named things (categories, groups,
//! priorities). The value axis ends on a round number with round ticks; a value label is drawn
//! only where it fits beside its neighbours (the numbers table has them all).

use charts_rs::{BarChart, HorizontalBarChart, Series};

use super::axis::value_scale;
use super::{
    color, empty, finite_values, measured, series_of, table, with_title, wrap, Chart, Guides,
    SeriesData, NARROW, PALETTE, WIDTH,
};

/// Bars per category, one colour per series.
pub struct Bars<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub categories: &'a [String],
    pub series: &'a [SeriesData],
    /// Horizontal bars, for long names.
    pub horizontal: bool,
    /// The top of the value axis (100 for percentages); else a round number above the data.
    pub max: Option<f64>,
    pub fmt: &'a dyn Fn(Option<f64>) -> String,
}

/// About the width of a digit of charts-rs' 14 px label text, and the room around a label.
const DIGIT_WIDTH: f32 = 8.0;
const LABEL_PAD: f32 = 6.0;
/// The room the value axis and margins take from a vertical chart's width.
const AXIS_ROOM: f32 = 70.0;

/// Bars of `b`, drawn wide and narrow; see the module comment.
pub fn bars(b: &Bars) -> Chart {
    let (columns, rows) = table(b.categories, b.series, b.fmt);
    let values = finite_values(b.series);
    if b.categories.is_empty() || values.is_empty() {
        return empty("bar", b.title, b.description, columns, rows);
    }
    let (hi, splits) = match b.max {
        Some(max) => (max, 5),
        None => {
            // Bars start at zero: the scale is chosen over zero and the values.
            let with_zero: Vec<f64> = values.iter().copied().chain([0.0]).collect();
            let (_, hi, step) = value_scale(&with_zero, Guides::default(), false);
            (hi, ((hi / step).round() as usize).clamp(1, 10))
        }
    };
    let widest_label = (b.series.iter())
        .flat_map(|s| s.values.iter().flatten())
        .map(|v| label_text(*v).len())
        .max()
        .unwrap_or(0) as f32;
    // charts-rs lays horizontal bars out from the bottom up: reversed, the first category (the
    // largest, where ranked) is on top, as the numbers table lists it.
    let draw = |width: f32| {
        let list: Vec<Series> = (b.series.iter().enumerate())
            .map(|(i, s)| {
                let mut values = s.values.clone();
                if b.horizontal {
                    values.reverse();
                }
                let mut x = series_of(&SeriesData {
                    name: s.name.clone(),
                    values,
                });
                // `colors` is per bar in charts-rs: one entry per value, or only the first bar
                // takes the colour and the others the theme's.
                x.colors = Some(vec![
                    Some(color(PALETTE[i % PALETTE.len()]));
                    s.values.len()
                ]);
                x.label_show = b.horizontal || {
                    let slot =
                        (width - AXIS_ROOM) / (b.categories.len() * b.series.len().max(1)) as f32;
                    slot >= widest_label * DIGIT_WIDTH + LABEL_PAD
                };
                x
            })
            .collect();
        // A long name is cut with … (the numbers table has it whole): the bars keep their room.
        let room = if width > NARROW { 26 } else { 14 };
        let mut drawn: Vec<String> = (b.categories.iter())
            .map(|c| measured(&shortened(c, room)))
            .collect();
        if b.horizontal {
            drawn.reverse();
        }
        let palette: Vec<_> = PALETTE.iter().map(|c| color(*c)).collect();
        if b.horizontal {
            let mut c = HorizontalBarChart::new(list, drawn);
            c.series.colors = palette;
            c.width = width;
            // Room right of the axis end for the label of a full-length bar (`100.0`): it starts
            // 16 px after the bar, and the page's font (not the Roboto charts-rs measures with)
            // may draw five characters 45 px wide.
            c.margin.right += 64.0;
            c.series.label.hide_overlap = true;
            if let Some(y) = c.y_axis_configs.first_mut() {
                y.min = Some(0.0);
                y.max = Some(hi as f32);
                y.split_number = splits;
            }
            let rows = b.categories.len() * b.series.len().max(1);
            c.height = (60.0 + 28.0 * rows as f32).max(140.0);
            c.legend.show = Some(b.series.len() > 1);
            c.svg()
        } else {
            let mut c = BarChart::new(list, drawn);
            c.series.colors = palette;
            c.width = width;
            c.height = 260.0;
            c.series.label.hide_overlap = true;
            c.legend.show = Some(b.series.len() > 1);
            if let Some(y) = c.y_axis_configs.first_mut() {
                y.min = Some(0.0);
                y.max = Some(hi as f32);
                y.split_number = splits;
            }
            c.svg()
        }
    };
    let mut chart = wrap("bar", draw(WIDTH), b.title, b.description, columns, rows);
    chart.svg_narrow = with_title(draw(NARROW), b.title, b.description);
    chart
}

/// `text` cut to `room` columns (a wide character takes two) with … at the end.
fn shortened(text: &str, room: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= room {
        return text.to_string();
    }
    let mut used = 0;
    let mut out: String = text
        .chars()
        .take_while(|c| {
            used += c.width().unwrap_or(0);
            used < room
        })
        .collect();
    out.push('…');
    out
}

/// A bar's label as charts-rs writes it (`{c}`): the value, without trailing zeros.
fn label_text(v: f64) -> String {
    let text = format!("{:.2}", v);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars_of(categories: &[&str], values: &[f64], horizontal: bool) -> Chart {
        let categories: Vec<String> = categories.iter().map(|c| c.to_string()).collect();
        bars(&Bars {
            title: "t",
            description: "d",
            categories: &categories,
            series: &[SeriesData {
                name: "s".into(),
                values: values.iter().map(|v| Some(*v)).collect(),
            }],
            horizontal,
            max: None,
            fmt: &|v| format!("{v:?}"),
        })
    }

    #[test]
    fn every_bar_of_a_series_has_its_colour() {
        for horizontal in [true, false] {
            let c = bars_of(&["a", "b", "c"], &[10.0, 20.0, 30.0], horizontal);
            assert_eq!(c.svg.matches("fill=\"#0B62C4\"").count(), 3, "{horizontal}");
        }
    }

    #[test]
    fn long_names_are_cut_in_the_drawing_and_whole_in_the_table() {
        let long = "基幹システム（販売管理・在庫管理・会計連携）の夜間バッチ異常終了";
        let c = bars_of(&[long, "VPN"], &[3.0, 5.0], true);
        assert!(c.svg.contains("基幹システム（販売管理・…"), "cut with …");
        assert!(c.svg_narrow.contains("基幹システム…"), "shorter on a phone");
        assert!(!c.svg.contains(long));
        assert_eq!(c.rows[0].label, long);
        assert_eq!(shortened("Group 6", 26), "Group 6");
        assert_eq!(shortened("abcdef", 6), "abcdef");
        assert_eq!(shortened("abcdefg", 6), "abcde…");
    }

    #[test]
    fn the_value_axis_starts_at_zero_on_round_ticks() {
        let c = bars_of(&["only"], &[72.0], true);
        assert!(!c.svg.contains(">\n7.6\n<"), "no 7.6 ticks");
        assert!(
            c.svg.contains(">\n25\n<") || c.svg.contains(">\n20\n<"),
            "{}",
            c.svg
        );
    }

    #[test]
    fn nothing_to_draw_is_said_not_drawn() {
        let c = bars_of(&[], &[], false);
        assert!(c.no_data && c.svg.is_empty());
    }
}
