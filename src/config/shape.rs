//! The shape of `site.yaml`'s keys as data, and the closest known name to a misspelt one: the
//! leaves the key check (`keys`) and the sections that declare their own keys (`customers`,
//! `email`, `labels`, `pdf`) share, so none of them imports another in a circle.

/// The shape of a part of `site.yaml`.
#[derive(Debug)]
pub enum Shape {
    /// A map with these keys.
    Keys(&'static [(&'static str, Shape)]),
    /// A map whose keys are names chosen by the user (calendars, priorities …).
    Named(&'static Shape),
    /// A list of items of this shape (a single item is also accepted where serde accepts it).
    List(&'static Shape),
    /// Anything: a value or a user-defined tree (`params`).
    Any,
}

use Shape::{Any, Keys};

/// An indicator, at the top level, in a contract or in a customer's entry.
pub const INDICATOR: Shape = Keys(&[
    ("id", Any),
    ("name", Any),
    ("kpi", Any),
    ("target", Any),
    ("alert", Any),
]);

/// The known name closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).clamp(1, 3);
    known
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// Edit distance over characters where swapping two neighbours counts as one edit (`ulr` → `url`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}
