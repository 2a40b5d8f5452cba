//! The text forms of `opsite kpi`: an aligned table for people (values in the one number format
//! of `kpi::report::display_value`) and CSV for spreadsheets, in the encoding Excel needs.

use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::cli::CsvEncoding;
use crate::csv_text::text_field as field;
use crate::i18n::labels::Labels;
use crate::kpi::numbers::Numbers;
use crate::kpi::report::{PeriodReport, Unit};

/// One row per period and KPI, full precision.
pub fn csv(reports: &[PeriodReport]) -> String {
    let with_customer = reports.iter().any(|r| r.customer.is_some());
    let mut s = String::from(if with_customer {
        "customer,period,kpi,value,unit,met,breached,pending\n"
    } else {
        "period,kpi,value,unit,met,breached,pending\n"
    });
    let opt = |v: Option<u64>| v.map(|x| x.to_string()).unwrap_or_default();
    for r in reports {
        for (id, k) in &r.kpis {
            let value = k.value.map(|v| v.to_string()).unwrap_or_default();
            if with_customer {
                s.push_str(&field(r.customer.as_deref().unwrap_or("")));
                s.push(',');
            }
            let _ = writeln!(
                s,
                "{},{},{value},{},{},{},{}",
                field(&r.period),
                field(id),
                k.unit.name(),
                opt(k.met),
                opt(k.breached),
                opt(k.pending)
            );
        }
    }
    s
}

pub fn encoding_name(e: CsvEncoding) -> &'static str {
    match e {
        CsvEncoding::Utf8 => "utf-8",
        CsvEncoding::Utf8Bom => "utf-8-bom",
        CsvEncoding::ShiftJis => "shift_jis",
    }
}

/// The CSV text as bytes in `encoding`. Shift_JIS cannot hold every character (emoji, some
/// kanji): such a value is an error naming it, never a `?` in the spreadsheet.
pub fn encode(text: &str, encoding: CsvEncoding) -> Result<Vec<u8>, String> {
    match encoding {
        CsvEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
        CsvEncoding::Utf8Bom => {
            let mut b = "\u{feff}".as_bytes().to_vec();
            b.extend_from_slice(text.as_bytes());
            Ok(b)
        }
        CsvEncoding::ShiftJis => {
            let mut out = Vec::with_capacity(text.len());
            for (n, line) in text.split_inclusive('\n').enumerate() {
                let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(line);
                if unmappable {
                    let bad: String = line
                        .chars()
                        .filter(|c| {
                            let mut buf = [0u8; 4];
                            encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut buf)).2
                        })
                        .collect();
                    return Err(format!(
                        "line {} ({}) has characters Shift_JIS cannot hold: {bad}; use --encoding utf-8-bom",
                        n + 1,
                        line.trim_end()
                    ));
                }
                out.extend_from_slice(&bytes);
            }
            Ok(out)
        }
    }
}

/// `text` padded with spaces to `width` terminal columns (Japanese characters take two).
fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn pad_left(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{}{text}", " ".repeat(width.saturating_sub(w)))
}

/// One row per period and KPI as a workbook table: the period's id and name, the KPI id and the
/// display label of its code, the value stored as a number in its unit's format, met, breached
/// and pending (and the customer, for `--customer`).
pub fn workbook_table(
    reports: &[PeriodReport],
    labels: &Labels,
    names: &[String],
    (lang, numbers): (crate::i18n::Lang, &Numbers),
) -> crate::reports::tables::Table {
    use crate::reports::tables::{Cell, Figure, Table};
    let with_customer = reports.iter().any(|r| r.customer.is_some());
    let t = &lang.vocabulary().report;
    let words = [
        t.kpi_sheet_period,
        t.kpi_sheet_name,
        t.kpi_sheet_kpi,
        t.kpi_sheet_label,
        t.value,
        t.unit,
        t.met,
        t.breached,
        t.pending,
    ];
    let mut columns: Vec<String> = words.iter().map(|w| w.to_string()).collect();
    if with_customer {
        columns.insert(0, t.customer.to_string());
    }
    let number = |value: Option<f64>, unit: Unit| {
        Cell::Number(Figure {
            text: numbers.show(value, unit),
            value,
            unit,
            decimals: numbers.decimals(unit),
            rounding: numbers.rounding,
        })
    };
    let count = |n: Option<u64>| number(n.map(|n| n as f64), Unit::Count);
    let mut rows = Vec::new();
    for (r, name) in reports.iter().zip(names) {
        for (id, k) in &r.kpis {
            let mut row = vec![
                Cell::Text(r.period.clone()),
                Cell::Text(name.clone()),
                Cell::Text(id.clone()),
                Cell::Text(label_of(id, labels).unwrap_or_default()),
                number(k.value, k.unit),
                Cell::Text(unit_name(k.unit, t).to_string()),
                count(k.met),
                count(k.breached),
                count(k.pending),
            ];
            if with_customer {
                row.insert(0, Cell::Text(r.customer.clone().unwrap_or_default()));
            }
            rows.push(row);
        }
    }
    Table {
        key: "kpi",
        title: "KPI".into(),
        columns,
        rows,
    }
}

/// A unit as a reader of the workbook calls it (the JSON and CSV keep `ratio`, `minutes` …).
fn unit_name(unit: Unit, t: &crate::i18n::Words) -> &'static str {
    match unit {
        Unit::Count => t.unit_name_count,
        Unit::Ratio => t.unit_name_ratio,
        Unit::Percent => t.unit_name_percent,
        Unit::Minutes => t.unit_name_minutes,
        Unit::Score => t.unit_name_score,
        Unit::Number => t.unit_name_number,
    }
}

/// The display label of the code in a KPI id (`sla.response.high` → 高, `availability.portal`
/// → 顧客ポータル), when it reads differently from the code.
fn label_of(id: &str, labels: &Labels) -> Option<String> {
    let parts: Vec<&str> = id.split('.').collect();
    let label = match parts.as_slice() {
        ["availability", s] | ["downtime", s, _] | ["error_budget", s, _] => labels.service(s),
        ["tickets", "category", v] => labels.category(v),
        ["tickets", "tier", v] => labels.tier(v),
        [.., "tickets", "opened" | "backlog", p] | [.., "sla", _, p] => labels.priority(p),
        _ => return None,
    };
    (!parts.contains(&label.as_str())).then_some(label)
}

/// The human table: per period, its name, then each KPI id with its value (and the display
/// label of a code in the id: `[高]`).
pub fn table(
    reports: &[PeriodReport],
    labels: &Labels,
    names: &[String],
    numbers: &Numbers,
) -> String {
    let mut s = String::new();
    for (r, name) in reports.iter().zip(names) {
        let who = r
            .customer
            .as_ref()
            .map(|c| format!("  customer {c}"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "{} {name}{who}  [{} – {})  as of {}",
            r.period, r.start, r.end, r.as_of
        );
        let id_width = r.kpis.keys().map(|k| k.width()).max().unwrap_or(10);
        let values: Vec<String> = r
            .kpis
            .values()
            .map(|k| numbers.show(k.value, k.unit))
            .collect();
        let value_width = values.iter().map(|v| v.width()).max().unwrap_or(1).max(5);
        for ((id, k), value) in r.kpis.iter().zip(&values) {
            let counts = match (k.met, k.breached, k.pending) {
                (Some(m), Some(b), Some(p)) => format!("  met {m}, breached {b}, pending {p}"),
                _ => k
                    .count
                    .map(|n| format!("  n = {}", numbers.show(Some(n as f64), Unit::Count)))
                    .unwrap_or_default(),
            };
            let label = label_of(id, labels)
                .map(|l| format!("  [{l}]"))
                .unwrap_or_default();
            let line = format!(
                "  {}  {} {}{counts}{label}",
                pad(id, id_width),
                pad_left(value, value_width),
                pad(k.unit.name(), 8)
            );
            let _ = writeln!(s, "{}", line.trim_end());
        }
        if !r.indicators.is_empty() {
            let _ = writeln!(s, "  indicators:");
            let id_w = r.indicators.iter().map(|i| i.id.width()).max().unwrap_or(0);
            let name_w = r
                .indicators
                .iter()
                .map(|i| i.name.width())
                .max()
                .unwrap_or(0);
            let shown: Vec<(String, String)> = r
                .indicators
                .iter()
                .map(|i| {
                    (
                        numbers.show(i.value, i.unit),
                        numbers.show(i.previous, i.unit),
                    )
                })
                .collect();
            let val_w = shown.iter().map(|(v, _)| v.width()).max().unwrap_or(1);
            for (i, (value, previous)) in r.indicators.iter().zip(&shown) {
                let status = serde_json::to_value(i.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                let _ = writeln!(
                    s,
                    "    {}  {}  {}  {}  (target {}, previous {previous})",
                    pad(&i.id, id_w),
                    pad(&i.name, name_w),
                    pad_left(value, val_w),
                    pad(&status, 8),
                    i.target,
                );
            }
        }
        for a in &r.alerts {
            let _ = writeln!(
                s,
                "  alert {} {} {} {}",
                a.date,
                a.rule,
                a.user.as_deref().unwrap_or("-"),
                numbers.show(Some(a.value), Unit::Number)
            );
        }
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_jis_round_trips_japanese_and_names_what_it_cannot_hold() {
        let text = "period,kpi\n2026-11,tickets.category.ネットワーク\n";
        let bytes = encode(text, CsvEncoding::ShiftJis).unwrap();
        let (back, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
        assert!(!bad);
        assert_eq!(back, text);
        let err = encode("a\nb,🚀障害\n", CsvEncoding::ShiftJis).unwrap_err();
        assert!(
            err.starts_with("line 2 (b,🚀障害) has characters Shift_JIS cannot hold: 🚀"),
            "{err}"
        );
        let bom = encode("x", CsvEncoding::Utf8Bom).unwrap();
        assert_eq!(bom, b"\xef\xbb\xbfx");
    }

    #[test]
    fn padding_counts_wide_characters_twice() {
        assert_eq!(pad("障害", 6), "障害  ");
        assert_eq!(pad_left("L1", 4), "  L1");
    }
}
