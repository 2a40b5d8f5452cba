//! LSD radix sort for timestamps. The engine sorts tens of millions of UTC seconds (opening,
//! decision and resolution times); their range is narrow (years, not ages), so two or three
//! passes of at most 13 bits replace a comparison sort at a fraction of the cost.

/// The widest digit: 8,192 counters (64 KiB) stay in the core's cache.
const MAX_BITS: u32 = 13;

/// Sort `items` by `key`, stably. The key range decides the digits: a year of seconds (25
/// bits) takes two passes of 13 bits. All digits are counted in one read, and a digit that is
/// the same on every item is skipped.
pub fn sort_by_key<T: Copy + Default>(items: &mut Vec<T>, key: impl Fn(&T) -> i64) {
    let n = items.len();
    if n < 4096 {
        items.sort_by_key(|x| key(x));
        return;
    }
    let (min, max) =
        (items.iter().map(&key)).fold((i64::MAX, i64::MIN), |(lo, hi), k| (lo.min(k), hi.max(k)));
    let bits = 64 - (max.wrapping_sub(min) as u64).leading_zeros();
    if bits == 0 {
        return;
    }
    let passes = bits.div_ceil(MAX_BITS) as usize;
    let width = bits.div_ceil(passes as u32);
    let buckets = 1usize << width;
    let digit = |x: &T, pass: usize| -> usize {
        ((key(x).wrapping_sub(min) as u64) >> (pass as u32 * width)) as usize & (buckets - 1)
    };
    let mut counts = vec![0usize; buckets * passes];
    for x in items.iter() {
        for pass in 0..passes {
            counts[pass * buckets + digit(x, pass)] += 1;
        }
    }
    let mut src = std::mem::take(items);
    let mut dst = vec![T::default(); n];
    for (pass, pos) in counts.chunks_mut(buckets).enumerate() {
        if pos.contains(&n) {
            continue;
        }
        let mut total = 0;
        for p in pos.iter_mut() {
            (*p, total) = (total, total + *p);
        }
        for x in &src {
            let b = digit(x, pass);
            dst[pos[b]] = *x;
            pos[b] += 1;
        }
        std::mem::swap(&mut src, &mut dst);
    }
    *items = src;
}

pub fn sort_i64(items: &mut Vec<i64>) {
    sort_by_key(items, |x| *x);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_comparison_sort() {
        let mut x: u64 = 88172645463325252;
        let mut v: Vec<i64> = (0..100_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                1_700_000_000 + (x % 40_000_000) as i64 - if x % 7 == 0 { 2_000_000_000 } else { 0 }
            })
            .collect();
        let mut expected = v.clone();
        expected.sort();
        sort_i64(&mut v);
        assert_eq!(v, expected);
        let mut pairs: Vec<(i64, u32)> = v
            .iter()
            .rev()
            .enumerate()
            .map(|(i, &t)| (t / 1000, i as u32))
            .collect();
        let mut exp = pairs.clone();
        exp.sort_by_key(|p| p.0);
        sort_by_key(&mut pairs, |p| p.0);
        assert_eq!(pairs, exp, "stable");
        // The full range of i64, and keys that are all equal.
        let mut wide: Vec<i64> = (0..5000)
            .map(|i| {
                if i % 3 == 0 {
                    i64::MIN + i
                } else {
                    i64::MAX - i
                }
            })
            .collect();
        let mut exp = wide.clone();
        exp.sort();
        sort_i64(&mut wide);
        assert_eq!(wide, exp);
        let mut same = vec![(7i64, 1u32); 5000];
        same.iter_mut()
            .enumerate()
            .for_each(|(i, p)| p.1 = i as u32);
        let exp = same.clone();
        sort_by_key(&mut same, |p| p.0);
        assert_eq!(same, exp);
    }
}
