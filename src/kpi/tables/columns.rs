//! How the long number columns of the tables are kept between runs (`data::stored`): each as
//! one run of little-endian bytes, which reads back at the speed of copying. Through serde a
//! value at a time, a million tickets' ten such columns took most of the kept file's reading.
//! Used as `#[serde(with = "columns")]` on a `Vec` of numbers, and by `Optional`.

use std::marker::PhantomData;

use serde::{de, Deserializer, Serializer};

use crate::config::priority::Priority;

/// A number kept as its fixed-size little-endian bytes.
pub trait Plain: Copy {
    const SIZE: usize;
    fn put(self, out: &mut Vec<u8>);
    /// From exactly `SIZE` bytes.
    fn take(bytes: &[u8]) -> Self;
}

macro_rules! plain_le_bytes {
    ($($t:ty),*) => {$(
        impl Plain for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn take(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().expect("SIZE bytes"))
            }
        }
    )*};
}
plain_le_bytes!(u8, u32, i64, u64, f64);

/// Ends of ids, as 8 bytes on every machine.
impl Plain for usize {
    const SIZE: usize = 8;
    fn put(self, out: &mut Vec<u8>) {
        (self as u64).put(out);
    }
    fn take(bytes: &[u8]) -> Self {
        u64::take(bytes) as usize
    }
}

impl Plain for Priority {
    const SIZE: usize = 1;
    fn put(self, out: &mut Vec<u8>) {
        out.push(self.0);
    }
    fn take(bytes: &[u8]) -> Self {
        Priority(bytes[0])
    }
}

pub fn serialize<T: Plain, S: Serializer>(values: &[T], s: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(values.len() * T::SIZE);
    for v in values {
        v.put(&mut bytes);
    }
    s.serialize_bytes(&bytes)
}

pub fn deserialize<'de, T: Plain, D: Deserializer<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    struct Column<T>(PhantomData<T>);
    impl<T: Plain> de::Visitor<'_> for Column<T> {
        type Value = Vec<T>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "a column of {}-byte numbers", T::SIZE)
        }
        fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
            if bytes.len() % T::SIZE != 0 {
                return Err(E::invalid_length(bytes.len(), &self));
            }
            Ok(bytes.chunks_exact(T::SIZE).map(T::take).collect())
        }
    }
    d.deserialize_bytes(Column(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn fingerprint(data: &DataSet) -> [u8; 32] {
        let mut h = blake3::Hasher::new();
        crate::digest::hash_fingerprint(&mut h, data);
        *h.finalize().as_bytes()
    }

    #[test]
    fn every_table_reads_back_as_it_was_kept_and_metrics_code_new_rows_as_before() {
        let mut data = DataSet::default();
        let t = &mut data.tickets;
        for (i, id) in ["INC-1", "障害-2", ""].iter().enumerate() {
            t.id.push(id);
            t.priority.push(Priority(i as u8));
            t.opened.push(i64::MIN + 1 + i as i64);
            t.responded.push((i != 1).then_some(-5));
            t.resolved.push(None);
            t.category.push(Some(i as u32));
            t.tier.push(None);
            t.customer.push(Some(0));
            t.title
                .push((i == 0).then(|| "VPN \u{202e} 落ちた".to_string()));
        }
        t.labels = vec!["東都メディカル".into(), "L1".into(), "障害".into()];
        data.surveys = Some(Surveys {
            at: vec![1, 2],
            csat: vec![Some(4.5), None],
            nps: vec![None, Some(-0.0)],
        });
        let mut metrics = Metrics::default();
        metrics.push("cpu", Some("web1"), 10, f64::NAN);
        metrics.push("cpu", None, 11, 1e300);
        data.metrics = Some(metrics);
        data.events = Some(StatusEvents {
            id: vec!["INC-1".into()],
            status: vec!["対応中".into()],
            at: vec![7],
            seq: vec![-1],
        });
        let bytes = rmp_serde::to_vec_named(&data).unwrap();
        let mut back: DataSet = rmp_serde::from_slice(&bytes).unwrap();
        assert_eq!(fingerprint(&back), fingerprint(&data));
        let m = back.metrics.as_mut().unwrap();
        m.push("cpu", Some("web1"), 12, 3.0);
        m.push("mem", None, 12, 3.0);
        assert_eq!(
            m.series_of,
            vec![0, 1, 0, 2],
            "known series keep their codes"
        );
        // A column whose bytes are not whole numbers is refused, not read short.
        let one = Surveys {
            at: vec![1],
            ..Surveys::default()
        };
        let bytes = rmp_serde::to_vec_named(&one).unwrap();
        let whole: &[u8] = &[0xc4, 8, 1, 0, 0, 0, 0, 0, 0, 0];
        let at = bytes.windows(whole.len()).position(|w| w == whole).unwrap();
        let mut cut = bytes[..at].to_vec();
        cut.extend_from_slice(&[0xc4, 7, 1, 0, 0, 0, 0, 0, 0]);
        cut.extend_from_slice(&bytes[at + whole.len()..]);
        assert!(rmp_serde::from_slice::<Surveys>(&bytes).is_ok());
        assert!(rmp_serde::from_slice::<Surveys>(&cut).is_err());
    }
}
