//! The shape of `site.yaml`'s keys, read from the configuration types themselves, and the
//! closest known name to a misspelt one. serde skips keys it does not know; to tell a typo from
//! a key opsite reads, `keys` walks the file against this shape. The shape is found by driving
//! each type's own `Deserialize` with a recording deserializer (`derive`), so a field added to a
//! type is a known key without anyone listing it.

use std::cell::RefCell;
use std::collections::HashMap;

use serde::de::{self, Deserialize, DeserializeSeed, Visitor};

/// The shape of a part of `site.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A map with these keys, in the order the type declares them.
    Keys(Vec<(&'static str, Shape)>),
    /// A map whose keys are names chosen by the user (calendars, priorities …).
    Named(Box<Shape>),
    /// A list of items of this shape (a single item is also accepted where serde accepts it).
    List(Box<Shape>),
    /// A value, or a tree opsite does not look into (`params`).
    Any,
}

impl Shape {
    /// The shape under `key`, when this is a map of known keys that has it.
    pub fn key(&self, key: &str) -> Option<&Shape> {
        match self {
            Shape::Keys(known) => known.iter().find(|(k, _)| *k == key).map(|(_, s)| s),
            _ => None,
        }
    }

    /// The shape under `key`, for changing it; `None` as `key`.
    pub fn key_mut(&mut self, key: &str) -> Option<&mut Shape> {
        match self {
            Shape::Keys(known) => known.iter_mut().find(|(k, _)| *k == key).map(|(_, s)| s),
            _ => None,
        }
    }

    /// A list's item or a named map's value (the shape itself otherwise).
    pub fn item_mut(&mut self) -> &mut Shape {
        match self {
            Shape::List(inner) | Shape::Named(inner) => inner.item_mut(),
            other => other,
        }
    }
}

/// One step of a place in the types: a struct's field, a list's item or a named map's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Part {
    Field(&'static str),
    Item,
    Name,
}

/// How a place was read.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Read {
    Struct(&'static [&'static str]),
    List,
    Named,
    /// A scalar, or a word of an enum.
    Value,
    /// `deserialize_any`: a free-form tree, an untagged enum or a form read by hand, whose keys
    /// the type does not say.
    AnyForm,
}

#[derive(Default)]
struct Places {
    read: HashMap<Vec<Part>, (Read, bool)>,
    last: Vec<Part>,
}

/// What `derive` found: the shape, and the places read with `deserialize_any` (where a map's
/// keys, if it has any, are not in the shape).
pub struct Derived {
    pub shape: Shape,
    pub any_forms: Vec<Vec<Part>>,
}

/// The shape of `T` as its `Deserialize` reads it. Each run follows one unexplored path down the
/// type and stops at its end; runs repeat until every place has been reached.
pub fn derive<T: for<'de> Deserialize<'de>>() -> Derived {
    let places = RefCell::new(Places::default());
    for _ in 0..10_000 {
        let done_before = places.borrow().read.values().filter(|(_, d)| *d).count();
        places.borrow_mut().last.clear();
        let _ = T::deserialize(Recorder {
            path: Vec::new(),
            places: &places,
        });
        let mut p = places.borrow_mut();
        if p.read.get(&Vec::new()).is_some_and(|(_, done)| *done) {
            break;
        }
        if p.read.values().filter(|(_, d)| *d).count() == done_before {
            // A type that read nothing further (a key it refused): its place ends here.
            let last = p.last.clone();
            let read = p.read.get(&last).map_or(Read::AnyForm, |r| r.0);
            p.read.insert(last, (read, true));
        }
    }
    let places = places.into_inner();
    let mut any_forms: Vec<Vec<Part>> = (places.read.iter())
        .filter(|(_, (read, _))| *read == Read::AnyForm)
        .map(|(path, _)| path.clone())
        .collect();
    any_forms.sort_by_key(|p| format!("{p:?}"));
    Derived {
        shape: build(&places.read, &mut Vec::new()),
        any_forms,
    }
}

fn build(read: &HashMap<Vec<Part>, (Read, bool)>, path: &mut Vec<Part>) -> Shape {
    let under = |part: Part, path: &mut Vec<Part>| {
        path.push(part);
        let s = build(read, path);
        path.pop();
        s
    };
    match read.get(path).map(|r| r.0) {
        Some(Read::Struct(fields)) => Shape::Keys(
            (fields.iter())
                .map(|f| (*f, under(Part::Field(f), path)))
                .collect(),
        ),
        Some(Read::List) => Shape::List(Box::new(under(Part::Item, path))),
        Some(Read::Named) => Shape::Named(Box::new(under(Part::Name, path))),
        _ => Shape::Any,
    }
}

/// The error that ends a run.
#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("end of the path")
    }
}
impl std::error::Error for Stop {}
impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop
    }
}

/// A deserializer with no input that records how a type reads the place it stands for.
struct Recorder<'a> {
    path: Vec<Part>,
    places: &'a RefCell<Places>,
}

impl<'a> Recorder<'a> {
    fn done(&self, path: &[Part]) -> bool {
        self.places
            .borrow()
            .read
            .get(path)
            .is_some_and(|(_, done)| *done)
    }

    fn note(&self, read: Read, done: bool) {
        let mut p = self.places.borrow_mut();
        p.read.insert(self.path.clone(), (read, done));
        p.last = self.path.clone();
    }

    fn child(&self, part: Part) -> Recorder<'a> {
        let mut path = self.path.clone();
        path.push(part);
        Recorder {
            path,
            places: self.places,
        }
    }

    fn leaf(&self, read: Read) -> Result<(), Stop> {
        self.note(read, true);
        Err(Stop)
    }

    /// A place holding one inner place (`part`): done when the inner one is.
    fn inner(&self, read: Read, part: Part) -> Result<Recorder<'a>, Stop> {
        let child = self.child(part);
        let done = self.done(&child.path);
        self.note(read, done);
        if done {
            return Err(Stop);
        }
        Ok(child)
    }
}

macro_rules! leaves {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
            self.leaf(Read::Value).map(|_| unreachable!())
        }
    )*};
}

impl<'de, 'a> de::Deserializer<'de> for Recorder<'a> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        self.leaf(Read::AnyForm).map(|_| unreachable!())
    }

    leaves! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf deserialize_unit
        deserialize_identifier deserialize_ignored_any
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: V,
    ) -> Result<V::Value, Stop> {
        self.leaf(Read::Value).map(|_| unreachable!())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let item = self.inner(Read::List, Part::Item)?;
        visitor.visit_seq(One {
            key: None,
            value: Some(item),
        })
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, _: V) -> Result<V::Value, Stop> {
        self.leaf(Read::Value).map(|_| unreachable!())
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value, Stop> {
        self.leaf(Read::Value).map(|_| unreachable!())
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let value = self.inner(Read::Named, Part::Name)?;
        visitor.visit_map(One {
            key: Some("name"),
            value: Some(value),
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let next = fields.iter().find(|f| {
            let mut path = self.path.clone();
            path.push(Part::Field(f));
            !self.done(&path)
        });
        self.note(Read::Struct(fields), next.is_none());
        let Some(field) = next else { return Err(Stop) };
        visitor.visit_map(One {
            key: Some(field),
            value: Some(self.child(Part::Field(field))),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        self.leaf(Read::Value).map(|_| unreachable!())
    }
}

/// A map of one entry (`key` then `value`) or a list of one item (`value`).
struct One<'a> {
    key: Option<&'static str>,
    value: Option<Recorder<'a>>,
}

impl<'de, 'a> de::MapAccess<'de> for One<'a> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        let Some(key) = self.key.take() else {
            return Ok(None);
        };
        let found = seed.deserialize(de::value::BorrowedStrDeserializer::<Stop>::new(key));
        if found.is_err() {
            // A key type that refuses a plain name: the value's shape stays unknown.
            if let Some(value) = self.value.take() {
                value.note(Read::AnyForm, true);
            }
        }
        found.map(Some)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, Stop> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(Stop),
        }
    }
}

impl<'de, 'a> de::SeqAccess<'de> for One<'a> {
    type Error = Stop;

    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, Stop> {
        match self.value.take() {
            Some(value) => seed.deserialize(value).map(Some),
            None => Ok(None),
        }
    }
}

/// The known name closest to `word` by edit distance, if it is close enough to be a typo.
pub fn closest<'a>(word: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    // Compared as NFKC, lower case: `顧客００２` is `顧客002` typed in full width, not one edit
    // from `顧客001`.
    use unicode_normalization::UnicodeNormalization;
    let fold = |s: &str| s.nfkc().collect::<String>().to_lowercase();
    let lower = fold(word);
    // A wide character (a kanji, kana) carries more of a word than a letter: `優先順位` is two
    // edits from `優先度` in four characters.
    let wide = word.chars().filter(|c| !c.is_ascii()).count();
    let limit = ((word.chars().count() - wide) / 3 + wide / 2).clamp(1, 3);
    known
        .map(|k| (edit_distance(&lower, &fold(k)), k))
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
