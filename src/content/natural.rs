//! Natural order for titles and terms: runs of digits compare by their value, so `手順2` comes
//! before `手順10` and `v1.9` before `v1.10`. Full-width digits (`手順２`) count as digits too.

use std::cmp::Ordering;

fn digit(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// Compare two strings in natural order; equal runs fall back to the plain order so the result
/// is a total order.
pub fn compare(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().peekable();
    let mut y = b.chars().peekable();
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) => match (digit(c), digit(d)) {
                (Some(_), Some(_)) => {
                    let n = take_number(&mut x);
                    let m = take_number(&mut y);
                    let ord = n.cmp(&m);
                    if ord != Ordering::Equal {
                        return ord;
                    }
                }
                _ => {
                    if c != d {
                        return c.cmp(&d);
                    }
                    x.next();
                    y.next();
                }
            },
        }
    }
}

/// The digits at the front as (significant length, digits without leading zeros): compares by
/// value for any length.
fn take_number(it: &mut std::iter::Peekable<std::str::Chars>) -> (usize, Vec<u32>) {
    let mut digits = Vec::new();
    while let Some(d) = it.peek().copied().and_then(digit) {
        if !(digits.is_empty() && d == 0) {
            digits.push(d);
        }
        it.next();
    }
    (digits.len(), digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(mut v: Vec<&str>) -> Vec<&str> {
        v.sort_by(|a, b| compare(a, b));
        v
    }

    #[test]
    fn numbers_compare_by_value() {
        assert_eq!(
            sorted(vec!["手順10", "手順2", "手順1"]),
            vec!["手順1", "手順2", "手順10"]
        );
        assert_eq!(
            sorted(vec!["v1.10", "v1.9", "v1.2.3"]),
            vec!["v1.2.3", "v1.9", "v1.10"]
        );
        assert_eq!(
            sorted(vec!["手順１０", "手順２"]),
            vec!["手順２", "手順１０"]
        );
        assert_eq!(sorted(vec!["b", "a10", "a9b"]), vec!["a9b", "a10", "b"]);
        assert_eq!(
            compare("x007", "x7"),
            Ordering::Less,
            "equal value, then plain order"
        );
        assert_eq!(
            compare("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
    }

    #[test]
    fn group_numbers_sort_as_numbers() {
        let mut names = vec![
            "Group 60",
            "Group 6",
            "Group 59",
            "Group 10",
            "Alpha",
            "Group 007",
        ];
        names.sort_by(|a, b| compare(a, b));
        assert_eq!(
            names,
            [
                "Alpha",
                "Group 6",
                "Group 007",
                "Group 10",
                "Group 59",
                "Group 60"
            ]
        );
    }
}
