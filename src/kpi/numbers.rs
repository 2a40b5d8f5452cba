//! One figure, one number: how every output a person reads writes a value (`numbers:` in
//! site.yaml). A value is shown with its unit's decimals, rounded half up (四捨五入, as Excel's
//! number formats show it) or cut; a change is the difference of the two shown values; a value
//! that misses a target it would read as meeting once rounded gets the decimals that tell them
//! apart. Data outputs (`kpi --format json|csv`) keep full precision and never come here.

pub use crate::config::kpi::{Decimals, Numbers, Rounding};

use super::report::Unit;

/// Decimals a value may gain so a miss does not read as the target (99.895 % against 99.9 %).
const MORE_NEAR_TARGET: u8 = 2;

impl Numbers {
    /// The decimals `unit` is shown with.
    pub fn decimals(&self, unit: Unit) -> u8 {
        let d = &self.decimals;
        match unit {
            Unit::Ratio => d.ratio,
            Unit::Percent => d.percent,
            Unit::Minutes => d.minutes,
            Unit::Count => d.count,
            Unit::Score => d.score,
            Unit::Number => d.number,
        }
        .min(6)
    }

    /// `v` (in the unit people read: a ratio as a percentage) to `decimals` places by the rule.
    /// A hair of tolerance reads the binary value as its decimal (0.955 is 95.5 %, as Excel
    /// shows it, though it is stored a little below).
    pub fn round_to(&self, v: f64, decimals: u8) -> f64 {
        let scale = 10f64.powi(decimals as i32);
        let scaled = v.abs() * scale;
        // A few units in the last place: enough to lift 954.9999999999999 to 955, never enough
        // to move a large value (1e-9 of 2e9 would have added 2 to its last shown digit).
        let hair = 16.0 * f64::EPSILON * scaled.max(1.0);
        let kept = match self.rounding {
            Rounding::HalfUp => (scaled + 0.5 + hair).floor(),
            Rounding::Truncate => (scaled + hair).floor(),
        };
        kept * v.signum() / scale
    }

    /// The value as shown, in the unit people read (a ratio as a percentage), as a number.
    pub fn shown(&self, v: f64, unit: Unit) -> f64 {
        self.round_to(as_read(v, unit), self.decimals(unit))
    }

    /// The one way a KPI value is written for people: ratios as a percentage (`71.2 %`),
    /// percentages (`99.95 %`), the rest as numbers, with `,` between thousands; `—` for none.
    pub fn show(&self, value: Option<f64>, unit: Unit) -> String {
        self.show_with(value, unit, self.decimals(unit))
    }

    /// As `show`, with `decimals` places.
    pub fn show_with(&self, value: Option<f64>, unit: Unit, decimals: u8) -> String {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return "—".to_string();
        };
        let text = grouped(self.round_to(as_read(v, unit), decimals), decimals as usize);
        match unit {
            Unit::Ratio | Unit::Percent => format!("{text} %"),
            _ => text,
        }
    }

    /// The decimals to show `v` with when it is judged against `target` (both in `unit`):
    /// the unit's, or up to two more when the shown value would equal the target's though `v`
    /// missed it.
    pub fn decimals_against(&self, v: f64, target: f64, unit: Unit, missed: bool) -> u8 {
        let base = self.decimals(unit);
        if !missed || v == target {
            return base;
        }
        let (v, t) = (as_read(v, unit), as_read(target, unit));
        (base..=base + MORE_NEAR_TARGET)
            .find(|&d| self.round_to(v, d) != self.round_to(t, d))
            .unwrap_or(base + MORE_NEAR_TARGET)
    }

    /// A change as the difference of the two shown values, in the unit people read (points for
    /// ratios and percentages): 85.7 % − 80.9 % is 4.8, whatever the digits behind them.
    pub fn change(&self, now: f64, before: f64, unit: Unit) -> f64 {
        let scale = 10f64.powi(self.decimals(unit) as i32);
        let difference = self.shown(now, unit) - self.shown(before, unit);
        // The difference of two shown values has their decimals; floating point adds a tail.
        (difference * scale).round() / scale
    }
}

/// A value in the unit people read it in: a ratio as a percentage.
fn as_read(v: f64, unit: Unit) -> f64 {
    match unit {
        Unit::Ratio => v * 100.0,
        _ => v,
    }
}

/// `v` with `decimals` places and `,` between thousands (`12,345.60`).
pub fn grouped(v: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    // "-0.0" would read as a negative zero: only a value that rounds to non-zero keeps its sign.
    if v < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn truncate() -> Numbers {
        Numbers {
            rounding: Rounding::Truncate,
            ..Numbers::default()
        }
    }

    #[test]
    fn half_up_is_what_excel_shows_and_truncate_cuts() {
        let n = Numbers::default();
        // 84/88 = 95.4545… %: 四捨五入 95.5 %, cut 95.4 %.
        assert_eq!(n.show(Some(84.0 / 88.0), Unit::Ratio), "95.5 %");
        assert_eq!(truncate().show(Some(84.0 / 88.0), Unit::Ratio), "95.4 %");
        // x.x5 stored a hair below its decimal still rounds up, as Excel shows it.
        assert_eq!(n.show(Some(0.955), Unit::Ratio), "95.5 %");
        assert_eq!(n.show(Some(0.9545), Unit::Ratio), "95.5 %");
        assert_eq!(n.show(Some(99.975), Unit::Percent), "99.98 %");
        assert_eq!(truncate().show(Some(99.975), Unit::Percent), "99.97 %");
        assert_eq!(n.show(Some(34.6), Unit::Minutes), "35");
        assert_eq!(n.show(Some(1234567.0), Unit::Count), "1,234,567");
        assert_eq!(n.show(Some(4.2), Unit::Score), "4.20");
        assert_eq!(n.show(Some(-12.5), Unit::Number), "-12.50");
        assert_eq!(n.show(Some(-0.001), Unit::Number), "0.00");
        assert_eq!(
            n.show(Some(-2.5), Unit::Count),
            "-3",
            "half up is away from zero"
        );
        assert_eq!(n.show(None, Unit::Count), "—");
        assert_eq!(n.show(Some(f64::NAN), Unit::Score), "—");
        assert_eq!(n.show(Some(1.0), Unit::Ratio), "100.0 %");
        // Large values keep their last digits under either rule.
        assert_eq!(n.show(Some(20_000_001.0), Unit::Number), "20,000,001.00");
        assert_eq!(
            truncate().show(Some(99_999_999.99), Unit::Number),
            "99,999,999.99"
        );
        let six = Numbers {
            decimals: Decimals {
                number: 6,
                ..Decimals::default()
            },
            ..Numbers::default()
        };
        assert_eq!(six.show(Some(2178.0), Unit::Number), "2,178.000000");
        assert_eq!(n.show(Some(0.95), Unit::Ratio), "95.0 %");
    }

    #[test]
    fn a_change_is_the_difference_of_the_shown_values() {
        let n = Numbers::default();
        // 85.71 % − 80.95 % shown as 85.7 and 81.0: +4.7, not the +4.76 of the full values.
        let c = n.change(0.8571, 0.8095, Unit::Ratio);
        assert_eq!(n.show_with(Some(c), Unit::Number, 1), "4.7");
        let c = n.change(99.79, 100.0, Unit::Percent);
        assert_eq!(n.show_with(Some(c), Unit::Number, 2), "-0.21");
    }

    #[test]
    fn a_miss_gets_the_decimals_that_tell_it_from_its_target() {
        let n = Numbers::default();
        // 99.895 % against ≥ 99.9: shown 99.90 % it would read as met.
        let d = n.decimals_against(99.895, 99.9, Unit::Percent, true);
        assert_eq!(d, 3);
        assert_eq!(n.show_with(Some(99.895), Unit::Percent, d), "99.895 %");
        // A met value, or one plainly apart, keeps the unit's decimals.
        assert_eq!(n.decimals_against(99.95, 99.9, Unit::Percent, false), 2);
        assert_eq!(n.decimals_against(99.5, 99.9, Unit::Percent, true), 2);
        // At most two more: 99.8999999 still reads 99.9000 and no more is added.
        assert_eq!(n.decimals_against(99.8999999, 99.9, Unit::Percent, true), 4);
    }
}
