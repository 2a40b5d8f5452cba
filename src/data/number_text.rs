//! Numbers as exports write them in text: which separator groups thousands and which marks the
//! decimals, and the check that a grouping separator groups threes, so a decimal comma read
//! without its setting is an error instead of a number a thousand times too large.

/// A number as an export writes it. With a decimal point, commas group thousands (`3,871.69`);
/// with a decimal comma (`decimal_separator: ","`), points or spaces do (`3.871,69`,
/// `3 871,69`). A separator that groups anything but threes (`9,999722222`: a decimal comma
/// read without the setting) is an error, never a number a thousand times too large.
pub(super) fn text_number(s: &str, decimal_comma: bool) -> Result<f64, String> {
    // A point, a space, or the no-break spaces French and Swiss exports group with.
    let (group, decimal): (&[char], char) = match decimal_comma {
        true => (&['.', ' ', '\u{a0}', '\u{202f}'], ','),
        false => (&[','], '.'),
    };
    let (int, frac) = match s.split_once(decimal) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits_of_int: &str = int.trim_start_matches(['-', '+']);
    let groups: Vec<&str> = digits_of_int.split(group).collect();
    let grouped = groups.len() > 1;
    let well_grouped = !grouped
        || (groups[0].len() <= 3
            && !groups[0].is_empty()
            && groups[1..].iter().all(|g| g.len() == 3));
    if !well_grouped {
        let hint = match decimal_comma {
            false if s.contains(',') => {
                " (a decimal comma? set the source's `decimal_separator: \",\"`)"
            }
            _ => "",
        };
        return Err(format!(
            "is not a number: its `{}` does not group thousands{hint}",
            group[0]
        ));
    }
    let plain: String = match frac {
        Some(f) => format!("{}.{f}", int.replace(group, "")),
        None => int.replace(group, ""),
    };
    plain
        .parse::<f64>()
        .map_err(|_| "is not a number".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_by_their_decimal_separator_and_grouping_is_checked() {
        let point = |s| text_number(s, false);
        let comma = |s| text_number(s, true);
        assert_eq!(point("3,871.69"), Ok(3871.69));
        assert_eq!(point("-1,234,567"), Ok(-1234567.0));
        assert_eq!(point("12.5"), Ok(12.5));
        assert!(point("9,999722222")
            .unwrap_err()
            .contains("decimal_separator"));
        assert!(point("1,5").is_err());
        assert!(point(",5").is_err());
        assert_eq!(comma("3871,69"), Ok(3871.69));
        assert_eq!(comma("3.871,69"), Ok(3871.69));
        assert_eq!(comma("3 871,69"), Ok(3871.69));
        assert_eq!(comma("-0,5"), Ok(-0.5));
        assert_eq!(comma("1.234.567"), Ok(1234567.0));
        assert!(
            comma("1.5").is_err(),
            "a decimal point where commas are decimals"
        );
        assert!(comma("1,2,3").is_err());
    }
}
