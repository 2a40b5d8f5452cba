//! Half-open time intervals `[a, b)` in UTC seconds: union, intersection, difference.

pub type Interval = (i64, i64);

/// Sort and merge overlapping or touching intervals; empty ones are dropped.
pub fn merge(mut v: Vec<Interval>) -> Vec<Interval> {
    v.retain(|(a, b)| b > a);
    v.sort_unstable();
    let mut out: Vec<Interval> = Vec::with_capacity(v.len());
    for (a, b) in v {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// `v` (merged) clipped to `[from, to)`.
pub fn clip(v: &[Interval], from: i64, to: i64) -> Vec<Interval> {
    v.iter()
        .filter_map(|&(a, b)| {
            let (a, b) = (a.max(from), b.min(to));
            (b > a).then_some((a, b))
        })
        .collect()
}

/// `a` minus `b`, both merged.
pub fn subtract(a: &[Interval], b: &[Interval]) -> Vec<Interval> {
    let mut out = Vec::new();
    let mut j = 0;
    for &(mut s, e) in a {
        while j < b.len() && b[j].1 <= s {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].0 < e {
            if b[k].0 > s {
                out.push((s, b[k].0));
            }
            s = s.max(b[k].1);
            k += 1;
        }
        if s < e {
            out.push((s, e));
        }
    }
    out
}

pub fn total(v: &[Interval]) -> i64 {
    v.iter().map(|(a, b)| b - a).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_clip_subtract() {
        let m = merge(vec![(10, 20), (15, 30), (40, 50), (50, 55), (60, 60)]);
        assert_eq!(m, vec![(10, 30), (40, 55)]);
        assert_eq!(clip(&m, 20, 45), vec![(20, 30), (40, 45)]);
        assert_eq!(subtract(&m, &[(0, 12), (25, 42)]), vec![(12, 25), (42, 55)]);
        assert_eq!(total(&m), 35);
    }
}
