//! Report tables as downloads people reuse in Excel: one workbook per report (a sheet per table,
//! numbers stored as numbers with a number format for their unit, the header row frozen, column
//! widths set) and one CSV per table (UTF-8 with a BOM, which Japanese Excel opens as UTF-8).
//! Bytes in, bytes out: the same tables give the same bytes (the workbook's creation time is
//! the report's `as_of`, its zip entries carry no clock).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};
use unicode_width::UnicodeWidthStr;

use crate::kpi::numbers::{Numbers, Rounding};
use crate::kpi::report::Unit;
use crate::reports::tables::{Cell, Figure, Table};

/// How numbers of each unit are shown, in the site's language.
pub struct NumberStyle<'a> {
    /// `分` or `min`, after durations (stored in minutes).
    pub minutes: &'a str,
    /// `単位` or `Unit`: the CSV's last column where a column holds several units.
    pub unit_heading: &'a str,
    /// A line above each sheet's table saying whose report, which period and as of when, also
    /// printed in each page's header (none: the table starts at the first row).
    pub title: Option<String>,
    /// How date cells show (`yyyy/m/d h:mm`).
    pub date_time: &'a str,
}

/// What a cell stores: the full value, in the unit Excel's formats expect (ratios and
/// percentages as fractions); with `rounding: truncate` the cut value the page shows, since a
/// number format can only round.
fn stored(f: &Figure, value: f64) -> f64 {
    let value = match f.rounding {
        Rounding::HalfUp => value,
        Rounding::Truncate => {
            let cut = Numbers {
                rounding: Rounding::Truncate,
                ..Numbers::default()
            };
            match f.unit {
                Unit::Ratio => hundredth(cut.round_to(value * 100.0, f.decimals)),
                _ => cut.round_to(value, f.decimals),
            }
        }
    };
    match f.unit {
        Unit::Percent => hundredth(value),
        _ => value,
    }
}

/// `value / 100` as the decimal shift it stands for: a target of 99.9 % is stored as 0.999, not
/// as the division's 0.9990000000000001 (which a cell shows when it is copied or widened).
fn hundredth(value: f64) -> f64 {
    format!("{value}e-2").parse().unwrap_or(value / 100.0)
}

/// A number format showing `f` as the page does: its decimals, `%` after a space, minutes with
/// their word.
fn number_format(f: &Figure, style: &NumberStyle) -> String {
    let places = |extra: u8| {
        let d = f.decimals + extra;
        match d {
            0 => String::new(),
            d => format!(".{}", "0".repeat(d as usize)),
        }
    };
    match f.unit {
        Unit::Count | Unit::Score | Unit::Number => format!("#,##0{}", places(0)),
        // A space before the sign, as the pages write it (`71.2 %`); the sign still scales.
        Unit::Ratio | Unit::Percent => format!("0{} %", places(0)),
        Unit::Minutes => format!("#,##0{}\" {}\"", places(0), style.minutes),
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, unique in the book.
fn sheet_name(title: &str, taken: &mut Vec<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .collect();
    let clean = clean.trim_matches('\'').trim();
    let cut = |n: usize| -> String {
        let s: String = clean.chars().take(n).collect();
        match s.trim() {
            "" => "Sheet".to_string(),
            s => s.to_string(),
        }
    };
    let is_taken = |name: &str, taken: &[String]| {
        (taken.iter()).any(|t| t.to_lowercase() == name.to_lowercase())
    };
    // The whole heading when Excel's 31 characters hold it; room for ` 2` only on a clash.
    let mut name = cut(31);
    let mut n = 2;
    while is_taken(&name, taken) {
        name = format!("{} {n}", cut(28));
        n += 1;
    }
    taken.push(name.clone());
    name
}

/// The tables as one workbook, created at `created` (UTC seconds).
pub fn workbook(tables: &[Table], created: i64, style: &NumberStyle) -> Result<Vec<u8>, String> {
    build(tables, created, style).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn build(tables: &[Table], created: i64, style: &NumberStyle) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    // The fastest level: a report's workbook is about 16 KB at level 1 and 14 KB at the default
    // 6, and a hundred editions write thousands of them (2 % of a cold build's time was this).
    book.set_zip_compression_level(1);
    let when = chrono::DateTime::from_timestamp(created, 0).unwrap_or_default();
    let when = ExcelDateTime::parse_from_str(&when.format("%Y-%m-%dT%H:%M:%S").to_string())?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&when));
    let mut taken = Vec::new();
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&table.title, &mut taken))?;
        // Printed on A4, as wide as one page; wide tables across it.
        sheet.set_paper_size(9);
        sheet.set_print_fit_to_pages(1, 0);
        if table.columns.len() > 6 {
            sheet.set_landscape();
        }
        let first = match &style.title {
            Some(title) => {
                let bold = Format::new().set_bold().set_font_size(12);
                sheet.write_string_with_format(0, 0, fitting(title).as_ref(), &bold)?;
                // `&` starts a code in Excel's header text.
                sheet.set_header(&format!("&L{}", title.replace('&', "&&")));
                sheet.set_footer("&C&P / &N");
                1
            }
            None => 0,
        };
        write_table(sheet, table, style, first)?;
        sheet.set_freeze_panes(first + 1, 0)?;
    }
    book.save_to_buffer()
}

/// The headings (over numbers, aligned right as the numbers are), the rows, and each column as
/// wide as its widest text as the page prints it.
fn write_table(
    sheet: &mut rust_xlsxwriter::Worksheet,
    table: &Table,
    style: &NumberStyle,
    first: u32,
) -> Result<(), XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let numbers_header = header.clone().set_align(FormatAlign::Right);
    let units = column_units(table);
    let mut widths: Vec<usize> = table.columns.iter().map(|c| c.width()).collect();
    for (col, heading) in table.columns.iter().enumerate() {
        let format = match units[col] {
            Units::None => &header,
            _ => &numbers_header,
        };
        sheet.write_string_with_format(first, col as u16, heading, format)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = r as u32 + first + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            let shown = match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        sheet.write_string(r, c, fitting(s).as_ref())?;
                    }
                    s.width()
                }
                Cell::Number(f) => {
                    if let Some(v) = f.value.filter(|v| v.is_finite()) {
                        let format = Format::new().set_num_format(number_format(f, style));
                        sheet.write_number_with_format(r, c, stored(f, v), &format)?;
                    }
                    f.text.width()
                }
                Cell::Time(at) => {
                    let format = Format::new().set_num_format(style.date_time);
                    let when =
                        ExcelDateTime::parse_from_str(&at.format("%Y-%m-%dT%H:%M:%S").to_string())?;
                    sheet.write_datetime_with_format(r, c, &when, &format)?;
                    style.date_time.len()
                }
            };
            if let Some(w) = widths.get_mut(col) {
                *w = (*w).max(shown);
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, (*w).clamp(6, 60) as f64 + 2.0)?;
    }
    Ok(())
}

/// Text as a cell holds it: Excel keeps at most 32,767 characters in a cell, so a longer value
/// from the data is cut there (with `…`) instead of failing the workbook.
fn fitting(s: &str) -> std::borrow::Cow<'_, str> {
    const MOST: usize = 32_767;
    if s.chars().count() <= MOST {
        return s.into();
    }
    let kept: String = s.chars().take(MOST - 1).collect();
    (kept + "…").into()
}

/// The units of a column's numbers: none, one, or several (a table of indicators holds
/// percentages and minutes in one column).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Units {
    None,
    One(Unit),
    Mixed,
}

fn column_units(table: &Table) -> Vec<Units> {
    (0..table.columns.len())
        .map(|col| {
            let mut units = (table.rows.iter()).filter_map(|row| match row.get(col) {
                Some(Cell::Number(f)) => Some(f.unit),
                _ => None,
            });
            match units.next() {
                None => Units::None,
                Some(u) if units.all(|v| v == u) => Units::One(u),
                Some(_) => Units::Mixed,
            }
        })
        .collect()
}

/// How the CSV names a unit: after a heading (`達成率 (%)`) or in the unit column.
fn unit_word<'a>(unit: Unit, style: &NumberStyle<'a>) -> &'a str {
    match unit {
        Unit::Ratio | Unit::Percent => "%",
        Unit::Minutes => style.minutes,
        _ => "",
    }
}

/// One table as CSV: a BOM, the headings, then each row; numbers at full precision in the
/// page's unit (a ratio as a percentage, durations in minutes), the unit in the heading, or,
/// where one column holds several units, in a last column `単位` per row.
pub fn csv(table: &Table, style: &NumberStyle) -> Vec<u8> {
    let units = column_units(table);
    let mixed = units.contains(&Units::Mixed);
    let mut out = String::from("\u{FEFF}");
    let mut headings: Vec<String> = (table.columns.iter().zip(&units))
        .map(|(h, unit)| match unit {
            Units::One(u) if !unit_word(*u, style).is_empty() => {
                format!("{h} ({})", unit_word(*u, style))
            }
            _ => h.clone(),
        })
        .collect();
    if mixed {
        headings.push(style.unit_heading.to_string());
    }
    push_record(&mut out, headings.iter().map(String::as_str));
    for row in &table.rows {
        let mut fields: Vec<String> = row
            .iter()
            .map(|cell| match cell {
                Cell::Text(s) => crate::csv_text::inert(s).into_owned(),
                Cell::Time(at) => at.format("%Y-%m-%d %H:%M").to_string(),
                Cell::Number(f) => match f.value.filter(|v| v.is_finite()) {
                    Some(v) => data_value(f, v),
                    None => String::new(),
                },
            })
            .collect();
        if mixed {
            let unit = row.iter().find_map(|c| match c {
                Cell::Number(f) => Some(f.unit),
                Cell::Text(_) | Cell::Time(_) => None,
            });
            fields.push(unit.map_or("", |u| unit_word(u, style)).to_string());
        }
        push_record(&mut out, fields.iter().map(String::as_str));
    }
    out.into_bytes()
}

/// A CSV number: the page's unit (a ratio as a percentage), with the shown decimals plus two,
/// rounded half up (`34.64`, not `34.639999999995084`); trailing zeros dropped.
fn data_value(f: &Figure, v: f64) -> String {
    let v = if f.unit == Unit::Ratio { v * 100.0 } else { v };
    let places = f.decimals + 2;
    let text = format!(
        "{:.*}",
        places as usize,
        Numbers::default().round_to(v, places)
    );
    let text = match text.contains('.') {
        true => text.trim_end_matches('0').trim_end_matches('.').to_string(),
        false => text,
    };
    match text.as_str() {
        "-0" => "0".to_string(),
        _ => text,
    }
}

/// One CSV record, each field quoted when it must be (a comma, quote or line break in it), lines
/// ending in CRLF as spreadsheets write them.
fn push_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    let mut first = true;
    for f in fields {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&crate::csv_text::field(f));
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_stored_as_the_fractions_they_are_written_as() {
        let percent = |value: f64, rounding: Rounding| Figure {
            text: String::new(),
            value: Some(value),
            unit: Unit::Percent,
            decimals: 1,
            rounding,
        };
        assert_eq!(stored(&percent(99.9, Rounding::HalfUp), 99.9), 0.999);
        assert_eq!(stored(&percent(99.95, Rounding::HalfUp), 99.95), 0.9995);
        assert_eq!(stored(&percent(63.888, Rounding::Truncate), 63.888), 0.638);
        assert_eq!(stored(&percent(-0.3, Rounding::HalfUp), -0.3), -0.003);
    }

    #[test]
    fn sheet_names_are_ones_excel_takes() {
        let mut taken = Vec::new();
        assert_eq!(sheet_name("SLA 達成率", &mut taken), "SLA 達成率");
        assert_eq!(sheet_name("sla 達成率", &mut taken), "sla 達成率 2");
        assert_eq!(
            sheet_name("11/16〜11/22 [x]", &mut taken),
            "11_16〜11_22 _x_"
        );
        let long = "あ".repeat(40);
        assert_eq!(
            crate::csv_text::inert("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(crate::csv_text::inert("-1 件"), "'-1 件");
        assert_eq!(crate::csv_text::inert("VPN 障害"), "VPN 障害");
        assert_eq!(sheet_name(&long, &mut taken).chars().count(), 31);
        assert_eq!(
            sheet_name(&long, &mut taken).chars().count(),
            30,
            "28 and ` 2`"
        );
        let heading = "Tickets that breached their SLA";
        assert_eq!(
            sheet_name(heading, &mut taken),
            heading,
            "31 characters fit"
        );
        assert_eq!(fitting(&"x".repeat(40_000)).chars().count(), 32_767);
    }
}
