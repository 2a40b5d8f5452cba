//! The report pages' words for KPI kinds (period kinds, SLA clocks; the words themselves are
//! `i18n::report_words`), and the formats that depend on the language (durations
//! `2 時間 15 分` / `2 h 15 min`).

pub use crate::i18n::report_words::{words, Words};
use crate::i18n::Lang;
use crate::kpi::numbers::Numbers;
use crate::kpi::period::PeriodKind;
use crate::kpi::sla::ClockKind;

impl Words {
    /// The name of a kind of report page (`週次ステータスレポート`).
    pub fn kind(&self, kind: PeriodKind) -> &'static str {
        match kind {
            PeriodKind::Week => self.weekly,
            PeriodKind::Month => self.monthly,
            PeriodKind::Quarter => self.quarterly,
        }
    }

    /// The name of a kind of report as a document sent to someone (`月次報告書`).
    pub fn document(&self, kind: PeriodKind) -> &'static str {
        match kind {
            PeriodKind::Week => self.weekly_document,
            PeriodKind::Month => self.monthly_document,
            PeriodKind::Quarter => self.quarterly_document,
        }
    }

    /// An SLA clock's name.
    pub fn clock(&self, clock: ClockKind) -> &'static str {
        match clock {
            ClockKind::Response => self.response,
            ClockKind::Resolution => self.resolution,
        }
    }
}

/// Minutes as people say them: `2 時間 15 分` / `2 h 15 min`, days from 24 hours on
/// (`4 日 5 時間 23 分`), to the minute by the site's rule (`numbers:`; with
/// `decimals.minutes` the minutes keep that many places), no part dropped but a zero one; `—`
/// for none.
pub fn duration(minutes: Option<f64>, lang: Lang, numbers: &Numbers) -> String {
    duration_in(minutes, lang, numbers, true)
}

/// As `duration`, in hours and minutes only (`112 時間 33 分`): business time, whose days are
/// not 24 hours long, read as 24-hour days would look far shorter than it is.
pub fn hours_and_minutes(minutes: Option<f64>, lang: Lang, numbers: &Numbers) -> String {
    duration_in(minutes, lang, numbers, false)
}

fn duration_in(minutes: Option<f64>, lang: Lang, numbers: &Numbers, days: bool) -> String {
    let Some(m) = minutes.filter(|m| m.is_finite()) else {
        return "—".into();
    };
    let places = numbers.decimals(crate::kpi::report::Unit::Minutes);
    let shown = numbers.round_to(m.abs(), places);
    let whole = shown.trunc() as i64;
    let fraction = shown - whole as f64;
    let sign = if m < 0.0 && shown > 0.0 { "-" } else { "" };
    let (d, h, min) = match days {
        true => (whole / 1440, whole % 1440 / 60, whole % 60),
        false => (0, whole / 60, whole % 60),
    };
    let units: Vec<&str> = lang.vocabulary().report.duration_units.split(' ').collect();
    let minutes_text = |n: i64| match places {
        0 => n.to_string(),
        p => format!("{:.*}", p as usize, n as f64 + fraction),
    };
    let mut parts: Vec<String> = [d, h]
        .iter()
        .zip(units.iter())
        .filter(|(n, _)| **n > 0)
        .map(|(n, u)| format!("{n} {u}"))
        .collect();
    if min > 0 || fraction > 0.0 || parts.is_empty() {
        parts.push(format!("{} {}", minutes_text(min), units[2]));
    }
    format!("{sign}{}", parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dur(m: Option<f64>, lang: Lang) -> String {
        duration(m, lang, &Numbers::default())
    }

    #[test]
    fn durations_read_as_people_say_them() {
        let (ja, en) = (Lang::of("ja"), Lang::of("en"));
        assert_eq!(dur(Some(135.0), ja), "2 時間 15 分");
        assert_eq!(dur(Some(135.0), en), "2 h 15 min");
        assert_eq!(dur(Some(45.4), ja), "45 分");
        assert_eq!(dur(Some(120.0), en), "2 h");
        assert_eq!(dur(Some(1500.0), ja), "1 日 1 時間");
        // A day or more keeps its minutes: 6,083.1 minutes is not 「4 日 5 時間」.
        assert_eq!(dur(Some(6083.1), ja), "4 日 5 時間 23 分");
        assert_eq!(dur(Some(2.0 * 1440.0 + 7.0), en), "2 d 7 min");
        assert_eq!(dur(Some(0.2), ja), "0 分");
        // Business time is not folded into 24-hour days.
        let n = Numbers::default();
        assert_eq!(hours_and_minutes(Some(6753.0), ja, &n), "112 時間 33 分");
        assert_eq!(hours_and_minutes(Some(45.0), en, &n), "45 min");
        assert_eq!(dur(None, ja), "—");
        // The site's rule: 34.6 minutes is 35 分 rounded, 34 分 cut, 34.6 分 with a decimal.
        use crate::config::kpi::{Decimals, Rounding};
        assert_eq!(dur(Some(34.6), ja), "35 分");
        let cut = Numbers {
            rounding: Rounding::Truncate,
            ..Numbers::default()
        };
        assert_eq!(duration(Some(34.6), ja, &cut), "34 分");
        let tenths = Numbers {
            decimals: Decimals {
                minutes: 1,
                ..Decimals::default()
            },
            ..Numbers::default()
        };
        assert_eq!(duration(Some(94.64), ja, &tenths), "1 時間 34.6 分");
    }

    #[test]
    fn kinds_and_clocks_have_their_words() {
        assert_eq!(words("ja-JP").kind(PeriodKind::Month), "月次KPIレビュー");
        assert_eq!(words("en").clock(ClockKind::Response), "Response");
    }
}
