//! Value ranges for chart axes: around the data and the lines that matter (target, alert), so
//! that 99.7 % against 99.95 % is a visible step and not two equal bars on a 0–120 axis.

use super::Guides;
use crate::i18n::report_words::Words;

/// The unit a duration axis reaching `top` minutes is drawn in, as (minutes per unit, its word):
/// days from two days on, hours from two hours on, else minutes; so the ticks read 5, 10, 15
/// days and not 7,200 or 600k.
pub fn duration_unit(top: f64, words: &Words) -> (f64, Option<&'static str>) {
    if top >= 2.0 * 1440.0 {
        (1440.0, Some(words.unit_days))
    } else if top >= 120.0 {
        (60.0, Some(words.unit_hours))
    } else {
        (1.0, Some(words.unit_minutes))
    }
}

/// (low, high) for an axis showing `values` and the guide lines, padded by a tenth of the span,
/// on round steps; `percent_scale` keeps the top at 100 at most.
pub fn value_range(values: &[f64], guides: Guides, percent_scale: bool) -> (f64, f64) {
    let (lo, hi, _) = value_scale(values, guides, percent_scale);
    (lo, hi)
}

/// As `value_range`, with the step between ticks. Percentages step by 0.1 at least: axis labels
/// carry one decimal, and finer steps would print the same label twice.
pub fn value_scale(values: &[f64], guides: Guides, percent_scale: bool) -> (f64, f64, f64) {
    let all: Vec<f64> = values
        .iter()
        .copied()
        .chain(guides.values())
        .filter(|v| v.is_finite())
        .collect();
    if all.is_empty() {
        return if percent_scale {
            (0.0, 100.0, 25.0)
        } else {
            (0.0, 1.0, 0.25)
        };
    }
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.1
    } else if lo != 0.0 {
        lo.abs() * 0.05
    } else {
        1.0
    };
    let mut step = nice_step((span + 2.0 * pad) / 4.0);
    if percent_scale {
        step = step.max(0.1);
    }
    // Whole numbers (counts: two tickets every week) are not ticked 1.9, 1.95, 2, 2.05, 2.1.
    if all.iter().all(|v| v.fract() == 0.0) {
        step = step.max(1.0);
    }
    let mut low = ((lo - pad) / step).floor() * step;
    let mut high = ((hi + pad) / step).ceil() * step;
    // Counts and percentages never go below zero; a range that almost reaches zero starts there.
    if lo >= 0.0 && (low < 0.0 || low < span) {
        low = low.max(0.0);
        if low < span * 0.5 {
            low = 0.0;
        }
    }
    if percent_scale && high > 100.0 {
        high = 100.0;
    }
    if high <= low {
        high = low + step;
    }
    (low, high, step)
}

/// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw {
            return m * p;
        }
    }
    10.0 * p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn availability_is_drawn_around_its_target() {
        let (lo, hi) = value_range(
            &[99.7, 99.95, 99.99],
            Guides {
                target: Some(99.9),
                alert: Some(99.5),
            },
            true,
        );
        assert!(lo > 99.0 && lo <= 99.5, "{lo}");
        assert!(hi <= 100.0 && hi > 99.99, "{hi}");
    }

    #[test]
    fn counts_start_at_zero_and_flat_data_has_a_span() {
        assert_eq!(value_range(&[3.0, 10.0], Guides::default(), false).0, 0.0);
        let (lo, hi) = value_range(&[5.0, 5.0], Guides::default(), false);
        assert!(lo < 5.0 && hi > 5.0);
        assert_eq!(value_range(&[], Guides::default(), true), (0.0, 100.0));
    }

    #[test]
    fn whole_numbers_are_ticked_by_whole_steps() {
        let (lo, hi, step) = value_scale(&[2.0, 2.0, 2.0], Guides::default(), false);
        assert!(step >= 1.0 && lo <= 1.0 && hi >= 3.0, "{lo} {hi} {step}");
        // Fractions keep their fine steps.
        let (_, _, step) = value_scale(&[99.91, 99.95], Guides::default(), true);
        assert!(step < 1.0, "{step}");
    }
}
