//! How writers name periods in shortcodes and template functions: a period's label
//! (`2026-11`, `2026-W47`, `2026-Q4`), the latest complete one (`latest-month`), or a run of
//! them ending there (`last-12-months`). Parsing only; `Figures` resolves them against the data.

use crate::kpi::period::PeriodKind;

/// Longest run `last-N-…` accepts: ten years of months.
pub const MAX_RUN: usize = 120;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodRef {
    /// A label as written (checked against the data when resolved).
    Label(String),
    /// `latest-week` …: the latest complete period of a kind that has data.
    Latest(PeriodKind),
    /// `last-12-months` …: `n` periods ending with the latest complete one.
    Last(usize, PeriodKind),
}

pub const HELP: &str = "write a period such as 2026-11, 2026-W47, 2026-Q4, latest-week, latest-month, latest-quarter or last-12-months";

fn kind_word(word: &str) -> Option<PeriodKind> {
    match word {
        "week" | "weeks" => Some(PeriodKind::Week),
        "month" | "months" => Some(PeriodKind::Month),
        "quarter" | "quarters" => Some(PeriodKind::Quarter),
        _ => None,
    }
}

/// `latest-month`, `last-6-weeks` or a label; anything else is a message saying what to write.
pub fn parse(text: &str) -> Result<PeriodRef, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!("no period given: {HELP}"));
    }
    let lower = t.to_ascii_lowercase();
    if let Some(word) = lower.strip_prefix("latest-") {
        return match kind_word(word) {
            Some(k) if !word.ends_with('s') => Ok(PeriodRef::Latest(k)),
            _ => Err(format!("`{t}` is not a period: {HELP}")),
        };
    }
    if let Some(rest) = lower.strip_prefix("last-") {
        let (n, word) = rest
            .split_once('-')
            .ok_or_else(|| format!("`{t}` is not a period: {HELP}"))?;
        let n: usize = n
            .parse()
            .map_err(|_| format!("`{t}`: write the number of periods, e.g. last-12-months"))?;
        let kind = kind_word(word).ok_or_else(|| format!("`{t}` is not a period: {HELP}"))?;
        if n == 0 || n > MAX_RUN {
            return Err(format!("`{t}`: give between 1 and {MAX_RUN} periods"));
        }
        return Ok(PeriodRef::Last(n, kind));
    }
    if t.starts_with(|c: char| c.is_ascii_digit()) && t.contains('-') {
        return Ok(PeriodRef::Label(t.to_string()));
    }
    Err(format!("`{t}` is not a period: {HELP}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_form_a_writer_uses() {
        assert_eq!(parse("2026-11"), Ok(PeriodRef::Label("2026-11".into())));
        assert_eq!(parse(" 2026-W47 "), Ok(PeriodRef::Label("2026-W47".into())));
        assert_eq!(
            parse("latest-week"),
            Ok(PeriodRef::Latest(PeriodKind::Week))
        );
        assert_eq!(
            parse("Latest-Quarter"),
            Ok(PeriodRef::Latest(PeriodKind::Quarter))
        );
        assert_eq!(
            parse("last-12-months"),
            Ok(PeriodRef::Last(12, PeriodKind::Month))
        );
        assert_eq!(
            parse("last-1-week"),
            Ok(PeriodRef::Last(1, PeriodKind::Week))
        );
    }

    #[test]
    fn mistakes_say_what_to_write() {
        for bad in [
            "",
            "latest",
            "latest-months",
            "last-x-months",
            "last-12-days",
            "this-month",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(
                e.contains("2026-11") || e.contains("last-12-months"),
                "{bad}: {e}"
            );
        }
        assert!(parse("last-0-months")
            .unwrap_err()
            .contains("between 1 and"));
        assert!(parse("last-999-weeks")
            .unwrap_err()
            .contains("between 1 and"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = parse(&s);
        }
    }
}
