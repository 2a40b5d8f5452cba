//! What became of the tickets resolved in a period: how many were reopened, and how many were
//! resolved at first contact. Both are measured over the period's resolutions, so a ticket
//! counts in the period its (last) resolution falls in; SLA clocks are not touched by a reopen.

use super::report::{Kpi, Unit};
use super::tables::Tickets;

/// Sorted lists for the two outcomes; a list is none when its field is not mapped (its KPIs
/// then do not exist).
#[derive(Debug, Clone, Default)]
pub struct Outcomes {
    /// (resolved, reopened) of each resolved ticket with a reopen, by resolution.
    reopened: Option<Vec<(i64, i64)>>,
    /// The resolution times of tickets resolved at first contact, sorted.
    first_contact: Option<Vec<i64>>,
}

impl Outcomes {
    /// Empty lists for the mapped fields: `columns.reopened_at`, `columns.first_contact`.
    pub fn new(reopened_mapped: bool, first_contact_mapped: bool) -> Outcomes {
        Outcomes {
            reopened: reopened_mapped.then(Vec::new),
            first_contact: first_contact_mapped.then(Vec::new),
        }
    }

    /// Every ticket of `t`.
    pub fn of(t: &Tickets, reopened_mapped: bool, first_contact_mapped: bool) -> Outcomes {
        let mut out = Outcomes::new(reopened_mapped, first_contact_mapped);
        (0..t.len()).for_each(|i| out.add(t, i));
        out.sort();
        out
    }

    /// Add ticket `i` (counted only when resolved).
    pub fn add(&mut self, t: &Tickets, i: usize) {
        let Some(resolved) = t.resolved.get(i) else {
            return;
        };
        if let (Some(list), Some(reopened)) = (&mut self.reopened, t.reopened.get(i)) {
            list.push((resolved, reopened));
        }
        if let Some(list) = &mut self.first_contact {
            if t.first_contact.get(i) == Some(&true) {
                list.push(resolved);
            }
        }
    }

    /// Put the lists in order once every ticket is added.
    pub fn sort(&mut self) {
        if let Some(list) = &mut self.reopened {
            list.sort_unstable();
        }
        if let Some(list) = &mut self.first_contact {
            list.sort_unstable();
        }
    }

    /// `<prefix>tickets.reopened`, `…reopen_rate`, `…first_contact`, `…first_contact_rate` of
    /// `[start, cut)`, for the mapped fields. `resolved`: tickets resolved in the window (the
    /// rates' denominator; a window without resolutions has no rate).
    pub fn values(&self, prefix: &str, resolved: u64, start: i64, cut: i64) -> Vec<(String, Kpi)> {
        let rate = |n: u64| {
            let mut k = Kpi::new(
                (resolved > 0).then(|| n as f64 / resolved as f64),
                Unit::Ratio,
            );
            k.count = Some(resolved);
            k
        };
        let mut out = Vec::new();
        if let Some(list) = &self.reopened {
            let from = list.partition_point(|r| r.0 < start);
            let to = list.partition_point(|r| r.0 < cut);
            let n = list[from..to].iter().filter(|r| r.1 < cut).count() as u64;
            out.push((format!("{prefix}tickets.reopened"), Kpi::count(n)));
            out.push((format!("{prefix}tickets.reopen_rate"), rate(n)));
        }
        if let Some(list) = &self.first_contact {
            let n = super::in_range(list, start, cut);
            out.push((format!("{prefix}tickets.first_contact"), Kpi::count(n)));
            out.push((format!("{prefix}tickets.first_contact_rate"), rate(n)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tickets(rows: &[(Option<i64>, Option<i64>, bool)]) -> Tickets {
        let mut t = Tickets::default();
        for (n, (resolved, reopened, first)) in rows.iter().enumerate() {
            t.id.push(&n.to_string());
            t.opened.push(0);
            t.resolved.push(*resolved);
            t.reopened.push(*reopened);
            t.first_contact.push(*first);
        }
        t
    }

    #[test]
    fn a_reopen_counts_for_the_resolution_in_the_window_when_it_came_before_the_cut() {
        let t = tickets(&[
            (Some(10), Some(5), false),  // reopened before its last resolution
            (Some(12), Some(30), false), // reopened after it, but after the cut of [0, 20)
            (Some(15), None, true),
            (Some(25), Some(26), true), // resolved after the window
            (None, Some(8), true),      // never resolved
        ]);
        let o = Outcomes::of(&t, true, true);
        let v: std::collections::BTreeMap<String, Kpi> =
            o.values("", 3, 0, 20).into_iter().collect();
        assert_eq!(v["tickets.reopened"].value, Some(1.0));
        assert_eq!(v["tickets.reopen_rate"].value, Some(1.0 / 3.0));
        assert_eq!(v["tickets.first_contact"].value, Some(1.0));
        // Measured to a later cut, the second ticket's reopen counts too.
        let later: std::collections::BTreeMap<String, Kpi> =
            o.values("", 3, 0, 40).into_iter().collect();
        assert_eq!(later["tickets.reopened"].value, Some(3.0));
    }

    #[test]
    fn unmapped_fields_have_no_kpis_and_a_window_without_resolutions_no_rate() {
        let t = tickets(&[(Some(10), None, true)]);
        assert!(Outcomes::of(&t, false, false)
            .values("", 1, 0, 20)
            .is_empty());
        let o = Outcomes::of(&t, false, true);
        let v: std::collections::BTreeMap<String, Kpi> =
            o.values("x.", 0, 100, 200).into_iter().collect();
        assert_eq!(v["x.tickets.first_contact_rate"].value, None);
        assert_eq!(v.len(), 2);
    }
}
