//! Line charts of a KPI over periods: the axis in a unit a reader can take in (durations in
//! hours or days, said on the axis), the target and alert lines always inside the plot, a value
//! far beyond them clipped at the top with a note instead of pressing the lines onto the axis,
//! a lone point labelled, and no empty axes.

use charts_rs::{LineChart, MarkLine, MarkLineCategory, Symbol};

use super::axis::{duration_unit, value_scale};
use super::{
    color, empty, finite_values, series_of, table, with_title, wrap, Chart, Guides, SeriesData,
    ALERT, NARROW, TARGET, WIDTH,
};
use crate::i18n::report_words::Words;

/// What the values are, for the axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Axis {
    Plain,
    /// Percentages: the top is 100 at most, ticks a tenth apart at least.
    Percent,
    /// Minutes, drawn in minutes, hours or days as the values call for, the unit on the axis.
    Duration,
}

/// A line chart: one line per series over `labels`.
pub struct Lines<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub labels: &'a [String],
    pub series: &'a [SeriesData],
    pub guides: Guides,
    pub axis: Axis,
    pub words: &'a Words,
    /// Writes a value in the series' own unit (minutes for a duration) for the numbers table and
    /// the note on clipped values.
    pub fmt: &'a dyn Fn(Option<f64>) -> String,
}

/// A value this many times the farthest guide line or more is clipped: drawn at the top of an
/// axis that keeps the lines readable.
const CLIP_FACTOR: f64 = 3.0;

/// How the values are drawn: divided into the axis unit and, where clipped, cut at the top (or,
/// for percentages, at the bottom).
struct Plan {
    divisor: f64,
    unit: Option<&'static str>,
    lo: f64,
    hi: f64,
    step: f64,
    clipped: bool,
    clipped_low: bool,
}

fn plan(l: &Lines, values: &[f64]) -> Plan {
    let guide_top = l.guides.values().fold(f64::NAN, f64::max);
    let top = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Against the guides and the values' median: when most values are above the lines (three
    // critical incidents a month against `== 0`), none of them is an outlier.
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let reference = guide_top.max(median);
    let clip_at = (l.axis != Axis::Percent && guide_top > 0.0 && top > CLIP_FACTOR * reference)
        .then_some(2.0 * reference);
    let (divisor, unit) = match l.axis {
        Axis::Duration => duration_unit(clip_at.unwrap_or(top).max(guide_top.max(0.0)), l.words),
        _ => (1.0, None),
    };
    // A percentage far below the lowest guide (a month-long outage: 0 % against 99.9 %) would
    // press the guides onto the top of a 0–100 axis: it is clipped at about twice the guides'
    // distance from 100 below them.
    let guide_low = l.guides.values().fold(f64::NAN, f64::min);
    let bottom = values.iter().copied().fold(f64::INFINITY, f64::min);
    // At least a point of room: a target of 99.9 alone must not clip an ordinary 99.4 % month.
    let room = (100.0 - guide_low).max(1.0);
    let floor_at =
        (l.axis == Axis::Percent && guide_low < 100.0 && bottom < guide_low - CLIP_FACTOR * room)
            .then_some(guide_low - 2.0 * room);
    let shown: Vec<f64> = values
        .iter()
        .map(|v| clip_at.map_or(*v, |c| v.min(c)))
        .map(|v| floor_at.map_or(v, |f| v.max(f)) / divisor)
        .collect();
    let guides = Guides {
        target: l.guides.target.map(|v| v / divisor),
        alert: l.guides.alert.map(|v| v / divisor),
    };
    let (lo, hi, step) = value_scale(&shown, guides, l.axis == Axis::Percent);
    Plan {
        divisor,
        unit,
        lo,
        hi,
        step,
        clipped: clip_at.is_some(),
        clipped_low: floor_at.is_some(),
    }
}

/// Lines with target and alert lines; see the module comment for what is chosen.
pub fn line(l: &Lines) -> Chart {
    let values = finite_values(l.series);
    let (columns, rows) = table(l.labels, l.series, l.fmt);
    if values.is_empty() {
        return empty("line", l.title, l.description, columns, rows);
    }
    let p = plan(l, &values);
    let lone = (l.series.iter()).any(|s| lone_point(s).is_some());
    let draw = |width: f32, height: f32| {
        let list = (l.series.iter().enumerate())
            .map(|(i, s)| {
                let drawn = SeriesData {
                    name: s.name.clone(),
                    values: (s.values.iter())
                        .map(|v| v.map(|x| (x / p.divisor).clamp(p.lo, p.hi)))
                        .collect(),
                };
                // Lines take charts-rs' theme palette: `Series::colors` is read by bar charts.
                let mut x = series_of(&drawn);
                if i == 0 {
                    x.mark_lines = guide_lines(l.guides, p.divisor);
                }
                // A lone point is a marker with its value, not a dot lost on the axis; the value
                // is written beside it unless a guide line's label is there.
                if let Some(point) = lone_point(s) {
                    x.label_show = !beside_a_guide_label(l, &p, s, point);
                    x.symbol = Some(Symbol::Circle(4.0, None));
                }
                x
            })
            .collect();
        // Measured as drawn, so charts-rs leaves out labels that would run together (`10月11月`).
        let labels = l.labels.iter().map(|x| super::measured(x)).collect();
        let mut c = LineChart::new(list, labels);
        // A lone point's label sits half a slot in from the plot's right edge, clear of the
        // target and alert labels written there.
        if lone {
            c.x_axis.boundary_gap = Some(true);
        }
        c.width = width;
        c.height = height;
        c.legend.show = Some(l.series.len() > 1);
        if let Some(y) = c.y_axis_configs.first_mut() {
            y.min = Some(p.lo as f32);
            y.max = Some(p.hi as f32);
            y.split_number = ((p.hi - p.lo) / p.step).round().clamp(1.0, 10.0) as usize;
            y.title = p.unit.map(str::to_string);
        }
        c.svg()
    };
    let mut chart = wrap(
        "line",
        draw(WIDTH, 260.0),
        l.title,
        l.description,
        columns,
        rows,
    );
    chart.svg_narrow = with_title(draw(NARROW, 220.0), l.title, l.description);
    let mut notes: Vec<String> = l.series.iter().filter_map(|s| lone_note(l, s)).collect();
    if p.clipped {
        notes.push(clip_note(l, &p, true));
    }
    if p.clipped_low {
        notes.push(clip_note(l, &p, false));
    }
    // Two series' notes are two clauses: joined as the language lists things, not run together.
    chart.note = (!notes.is_empty()).then(|| notes.join(l.words.list_separator));
    chart
}

/// The one value of a series that has a single one: its index and value.
fn lone_point(s: &SeriesData) -> Option<(usize, f64)> {
    let mut values = (s.values.iter().enumerate()).filter_map(|(i, v)| Some((i, (*v)?)));
    let point = values.next()?;
    values.next().is_none().then_some(point)
}

/// 「値があるのは 2026-10 のみです: 4.00」 for a series with a single value.
fn lone_note(l: &Lines, s: &SeriesData) -> Option<String> {
    let (at, v) = lone_point(s)?;
    let label = l.labels.get(at)?;
    let label = if l.series.len() > 1 {
        format!("{} {label}", s.name)
    } else {
        label.clone()
    };
    Some(
        (l.words.only_value)
            .replace("{label}", &label)
            .replace("{value}", &(l.fmt)(Some(v))),
    )
}

/// The lone point of `s` is in the last slot, where the guide lines write their labels, and
/// within a label's height of one of them.
fn beside_a_guide_label(l: &Lines, p: &Plan, s: &SeriesData, (at, v): (usize, f64)) -> bool {
    let near = (p.hi - p.lo) * 0.1;
    at + 1 == s.values.len()
        && l.guides
            .values()
            .any(|g| ((g - v) / p.divisor).abs() < near)
}

/// 「軸の上限 10 日 を超える値は上端に描いています: 2026-07 25 日 3 時間」, or for values under
/// the axis (`top` false), 「軸の下限 … を下回る値は下端に…」.
fn clip_note(l: &Lines, p: &Plan, top: bool) -> String {
    let mut over = Vec::new();
    let outside = |v: &f64| {
        if top {
            v / p.divisor > p.hi
        } else {
            v / p.divisor < p.lo
        }
    };
    for s in l.series {
        for (label, v) in l.labels.iter().zip(&s.values) {
            if let Some(v) = v.filter(outside) {
                let name = if l.series.len() > 1 {
                    format!("{} ", s.name)
                } else {
                    String::new()
                };
                over.push(format!("{name}{label} {}", (l.fmt)(Some(v))));
            }
        }
    }
    let (words, edge) = if top {
        (l.words.above_axis, p.hi)
    } else {
        (l.words.below_axis, p.lo)
    };
    words
        .replace("{top}", &(l.fmt)(Some(edge * p.divisor)))
        .replace("{values}", &over.join(", "))
}

fn guide_lines(g: Guides, divisor: f64) -> Vec<MarkLine> {
    let mut out = Vec::new();
    for (v, c) in [(g.target, TARGET), (g.alert, ALERT)] {
        if let Some(v) = v {
            out.push(MarkLine {
                category: MarkLineCategory::Value((v / divisor) as f32),
                color: Some(color(c)),
                ..Default::default()
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of an SVG, trimmed.
    fn texts(svg: &str) -> Vec<&str> {
        svg.split("</text>")
            .filter_map(|part| Some(part[part.rfind('>')? + 1..].trim()))
            .collect()
    }

    fn mttr(values: &[Option<f64>]) -> Chart {
        let labels: Vec<String> = (1..=values.len()).map(|m| format!("2026-{m:02}")).collect();
        line(&Lines {
            title: "MTTR",
            description: "d",
            labels: &labels,
            series: &[SeriesData {
                name: "MTTR".into(),
                values: values.to_vec(),
            }],
            guides: Guides {
                target: Some(7200.0),
                alert: Some(14400.0),
            },
            axis: Axis::Duration,
            words: crate::i18n::report_words::words("ja"),
            fmt: &|v| format!("{:.0} min", v.unwrap_or(0.0)),
        })
    }

    #[test]
    fn an_outlier_is_clipped_and_the_guides_stay_on_a_day_axis() {
        let c = mttr(&[Some(1500.0), Some(460_000.0), Some(1600.0)]);
        let note = c.note.expect("clipped");
        assert!(note.contains("2026-02 460000 min"), "{note}");
        // The axis is in days, up to twice the alert line (20 days) or a round step above it.
        let t = texts(&c.svg);
        assert!(t.contains(&"日"), "{t:?}");
        assert!(
            t.contains(&"10") && t.contains(&"5"),
            "guides in days: {t:?}"
        );
        assert!(
            !t.contains(&"300"),
            "the outlier does not set the axis: {t:?}"
        );
    }

    #[test]
    fn values_near_the_guides_are_not_clipped() {
        let c = mttr(&[Some(1500.0), Some(30_000.0)]);
        assert!(c.note.is_none());
        let c = mttr(&[Some(60.0), Some(90.0)]);
        assert!(c.note.is_none());
        assert!(
            texts(&c.svg).contains(&"日"),
            "the guides (5 and 10 days) set the unit"
        );
    }

    #[test]
    fn a_lone_point_is_labelled_and_said() {
        let c = mttr(&[None, Some(3000.0), None]);
        assert!(c.svg.contains("r=\"4\""), "a marker");
        let t = texts(&c.svg);
        assert!(t.contains(&"2.1"), "its value in days beside it: {t:?}");
        assert_eq!(
            c.note.as_deref(),
            Some("値があるのは 2026-02 のみです: 3000 min")
        );
    }

    #[test]
    fn two_lone_points_are_said_as_two_clauses() {
        let labels: Vec<String> = vec!["10月".into()];
        let series = |name: &str, v: f64| SeriesData {
            name: name.into(),
            values: vec![Some(v)],
        };
        let c = line(&Lines {
            title: "チケット件数",
            description: "d",
            labels: &labels,
            series: &[series("起票", 71.0), series("解決", 50.0)],
            guides: Guides::default(),
            axis: Axis::Plain,
            words: crate::i18n::report_words::words("ja"),
            fmt: &|v| format!("{:.0}", v.unwrap_or(0.0)),
        });
        assert_eq!(
            c.note.as_deref(),
            Some("値があるのは 起票 10月 のみです: 71、値があるのは 解決 10月 のみです: 50")
        );
    }

    #[test]
    fn a_month_long_outage_is_clipped_below_the_guides() {
        let labels: Vec<String> = ["2026-05", "2026-06", "2026-07"].map(String::from).to_vec();
        let c = line(&Lines {
            title: "稼働率",
            description: "d",
            labels: &labels,
            series: &[SeriesData {
                name: "portal".into(),
                values: vec![Some(100.0), Some(0.0), Some(99.95)],
            }],
            guides: Guides {
                target: Some(99.9),
                alert: Some(99.5),
            },
            axis: Axis::Percent,
            words: crate::i18n::report_words::words("ja"),
            fmt: &|v| format!("{:.2} %", v.unwrap_or(0.0)),
        });
        let note = c.note.expect("clipped below");
        assert!(
            note.contains("下回る") && note.contains("2026-06 0.00 %"),
            "{note}"
        );
        let t = texts(&c.svg);
        assert!(
            t.contains(&"99.9") || t.contains(&"99.5"),
            "guides readable: {t:?}"
        );
        assert!(
            !t.contains(&"0") && !t.contains(&"50"),
            "no 0–100 axis: {t:?}"
        );
    }

    #[test]
    fn an_ordinary_miss_is_drawn_where_it_is() {
        let labels: Vec<String> = ["2026-09", "2026-10"].map(String::from).to_vec();
        let c = line(&Lines {
            title: "稼働率",
            description: "d",
            labels: &labels,
            series: &[SeriesData {
                name: "api".into(),
                values: vec![Some(100.0), Some(99.39)],
            }],
            guides: Guides {
                target: Some(99.9),
                alert: None,
            },
            axis: Axis::Percent,
            words: crate::i18n::report_words::words("ja"),
            fmt: &|v| format!("{:.2} %", v.unwrap_or(0.0)),
        });
        assert!(c.note.is_none(), "{:?}", c.note);
    }

    #[test]
    fn values_mostly_above_the_lines_are_no_outliers() {
        // Critical incidents against `== 0` / `> 1`: 3 to 10 a month is the data, not an outlier.
        let labels: Vec<String> = (1..=6).map(|m| format!("2026-{m:02}")).collect();
        let c = line(&Lines {
            title: "重大障害",
            description: "d",
            labels: &labels,
            series: &[SeriesData {
                name: "重大障害".into(),
                values: [3.0, 5.0, 4.0, 10.0, 3.0, 6.0].map(Some).to_vec(),
            }],
            guides: Guides {
                target: Some(0.0),
                alert: Some(1.0),
            },
            axis: Axis::Plain,
            words: crate::i18n::report_words::words("ja"),
            fmt: &|v| format!("{:.0}", v.unwrap_or(0.0)),
        });
        assert!(c.note.is_none(), "{:?}", c.note);
    }

    #[test]
    fn a_chart_of_gaps_only_draws_nothing() {
        let c = mttr(&[None, None]);
        assert!(c.no_data && c.svg.is_empty() && c.svg_narrow.is_empty());
        assert_eq!(c.rows.len(), 2, "the numbers table still lists the periods");
    }
}
