//! What a customer's report set is keyed on (`site::reports::customer_set`): every column of
//! the tables, by its bytes. Each type names all its fields, so one added fails to compile here
//! until it is fed too.

use super::*;
use crate::digest::{Feeder, Fingerprint};

/// `impl Fingerprint` for a struct by naming every one of its fields, fed in that order; fields
/// after `ignoring` are named and left out. The destructuring has no `..`, so a field added to
/// the type fails to compile here until it is named.
macro_rules! fingerprint_fields {
    ($type:ident { $($field:ident),* $(,)? } $(ignoring { $($skip:ident),* })?) => {
        impl Fingerprint for $type {
            fn feed(&self, into: &mut Feeder) {
                let $type { $($field,)* $($($skip: _,)*)? } = self;
                $($field.feed(into);)*
            }
        }
    };
}

fingerprint_fields!(Ids { text, ends });
fingerprint_fields!(Tickets {
    id,
    priority,
    opened,
    responded,
    resolved,
    category,
    tier,
    customer,
    labels,
    title,
    reopened,
    first_contact,
});
fingerprint_fields!(StatusEvents {
    id,
    status,
    at,
    seq
});
fingerprint_fields!(Outages {
    service,
    start,
    end,
    planned
});
fingerprint_fields!(Surveys { at, csat, nps });
fingerprint_fields!(ApiUsage {
    date,
    user,
    calls,
    cost
});
// `index` is `series` looked up by name: made from it, it adds nothing.
fingerprint_fields!(Metrics { series, series_of, at, value } ignoring { index });
fingerprint_fields!(DataSet {
    tickets,
    events,
    downtime,
    surveys,
    api,
    metrics,
    holiday_files,
});

impl<T: Sentinel + Fingerprint> Fingerprint for Optional<T> {
    fn feed(&self, into: &mut Feeder) {
        let Optional(values) = self;
        values.feed(into);
    }
}

impl Fingerprint for Priority {
    fn feed(&self, into: &mut Feeder) {
        let Priority(level) = self;
        level.feed(into);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(data: &DataSet) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        crate::digest::hash_fingerprint(&mut h, data);
        h.finalize()
    }

    fn two_tickets() -> DataSet {
        let mut t = Tickets::default();
        for (id, opened) in [("T-1", 100), ("T-2", 200)] {
            t.id.push(id);
            t.priority.push(Priority(1));
            t.opened.push(opened);
            t.responded.push(Some(opened + 60));
            t.resolved.push(None);
            t.category.push(Some(0));
            t.tier.push(None);
            t.customer.push(Some(1));
        }
        t.labels = vec!["ネットワーク".into(), "東都メディカル".into()];
        t.title = vec![Some("VPN 接続不可".into()), None];
        DataSet {
            tickets: t,
            ..Default::default()
        }
    }

    #[test]
    fn a_change_in_any_column_changes_the_fingerprint() {
        let base = two_tickets();
        let before = digest(&base);
        assert_eq!(
            before,
            digest(&two_tickets()),
            "same tables, same fingerprint"
        );
        let changes: Vec<(&str, Box<dyn Fn(&mut DataSet)>)> = vec![
            ("id", Box::new(|d| d.tickets.id = Ids::default())),
            (
                "priority",
                Box::new(|d| d.tickets.priority[0] = Priority(0)),
            ),
            ("opened", Box::new(|d| d.tickets.opened[1] += 1)),
            ("responded", Box::new(|d| d.tickets.responded.set(0, None))),
            (
                "resolved",
                Box::new(|d| d.tickets.resolved.set(1, Some(300))),
            ),
            ("category", Box::new(|d| d.tickets.category.set(0, None))),
            ("tier", Box::new(|d| d.tickets.tier.set(0, Some(0)))),
            ("customer", Box::new(|d| d.tickets.customer.set(1, Some(0)))),
            (
                "labels",
                Box::new(|d| d.tickets.labels[1] = "東都メディカル ".into()),
            ),
            (
                "title",
                Box::new(|d| d.tickets.title[1] = Some(String::new())),
            ),
            ("reopened", Box::new(|d| d.tickets.reopened.push(None))),
            (
                "first_contact",
                Box::new(|d| d.tickets.first_contact.push(false)),
            ),
            (
                "outages",
                Box::new(|d| d.downtime = Some(Outages::default())),
            ),
            (
                "surveys",
                Box::new(|d| d.surveys = Some(Surveys::default())),
            ),
            (
                "holidays",
                Box::new(|d| {
                    d.holiday_files.insert("jp.csv".into(), Vec::new());
                }),
            ),
        ];
        for (column, change) in changes {
            let mut d = two_tickets();
            change(&mut d);
            assert_ne!(digest(&d), before, "{column} changed, fingerprint did not");
        }
    }

    #[test]
    fn text_split_differently_is_told_apart() {
        let mut a = two_tickets();
        let mut b = two_tickets();
        a.tickets.labels = vec!["ab".into(), "c".into()];
        b.tickets.labels = vec!["a".into(), "bc".into()];
        assert_ne!(digest(&a), digest(&b));
    }
}
