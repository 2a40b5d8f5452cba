//! What a `missing field` error of serde says instead: the typo that caused it, or every
//! field the entry misses, so one run tells what to mend; and an `unknown variant` error with
//! the value closest to the one written.

use super::{keys, SiteConfig};

/// A required field missing beside a key that is a typo of it (`custmers:` in a contract): the
/// typo is the cause, said first. `None` when no key of the entry is close to the field.
pub fn misspelt_required(doc: &serde_json::Value, message: &str) -> Option<String> {
    let (path, field) = missing_at(message)?;
    let mut doc = doc.clone();
    let entry = value_at(&mut doc, &path)?.as_object()?;
    let typo =
        (entry.keys()).find(|k| keys::closest(k, std::iter::once(field.as_str())).is_some())?;
    let at = match path.is_empty() {
        true => String::new(),
        false => format!("{path}: "),
    };
    Some(format!(
        "{at}`{typo}` is not a key here: did you mean `{field}`? (`{field}` is required)"
    ))
}

/// `customers[1]: missing field `slug`` names the first field an entry misses; this names them
/// all (`customers[1]: missing fields `slug`, `base_url``), so one run tells what to add. Each
/// missing one is filled in, in a copy of the document, until serde names no other field of the
/// same entry: the type says which fields are required, no list here.
pub fn every_missing_field(doc: &serde_json::Value, message: &str) -> Option<String> {
    let (path, first) = missing_at(message)?;
    let mut missing = vec![first];
    let mut doc = doc.clone();
    while missing.len() < 32 {
        let entry = value_at(&mut doc, &path)?.as_object_mut()?;
        let last = missing.last()?.clone();
        entry.insert(last, serde_json::Value::String(String::new()));
        let text = serde_yaml::to_string(&doc).ok()?;
        let Err(e) = crate::yaml::from_str::<SiteConfig>(&text) else {
            break;
        };
        match missing_at(&e.message) {
            Some((p, field)) if p == path && !missing.contains(&field) => missing.push(field),
            _ => break,
        }
    }
    if missing.len() < 2 {
        return None;
    }
    let fields: Vec<String> = missing.iter().map(|f| format!("`{f}`")).collect();
    let at = if path.is_empty() {
        String::new()
    } else {
        format!("{path}: ")
    };
    Some(format!("{at}missing fields {}", fields.join(", ")))
}

/// serde's `data.tickets.preset: unknown variant `servicenw`, expected one of `Redmine`,
/// `redmine`, …` (every alias listed) as `… unknown value `servicenw` (did you mean
/// `servicenow`?); one of `redmine`, `servicenow`, …`: each value once, as written in lower case
/// when the type takes it so.
pub fn unknown_variant(message: &str) -> Option<String> {
    let (before, rest) = message.split_once("unknown variant `")?;
    let (written, rest) = rest.split_once('`')?;
    let (_, expected) = rest.split_once("expected ")?;
    let quoted: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    let mut values: Vec<&str> = Vec::new();
    for v in &quoted {
        let lower = quoted
            .iter()
            .find(|q| q.eq_ignore_ascii_case(v) && **q == q.to_lowercase());
        let shown = lower.copied().unwrap_or(v);
        if !values.iter().any(|s| s.eq_ignore_ascii_case(shown)) {
            values.push(shown);
        }
    }
    if values.is_empty() {
        return None;
    }
    let hint = keys::closest(written, values.iter().copied())
        .map(|v| format!(" (did you mean `{v}`?)"))
        .unwrap_or_default();
    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    Some(format!(
        "{before}unknown value `{written}`{hint}; one of {}",
        listed.join(", ")
    ))
}

/// An entry missing a field whose name is a key of the map above its own (`resolution:` written
/// under `response:`, read as the target of a priority called `resolution`): indented one level
/// too far, said as such.
pub fn indented_too_far(message: &str) -> Option<String> {
    let (path, _) = missing_at(message)?;
    let (parent, name) = path.rsplit_once('.')?;
    let (above, _) = parent.rsplit_once('.').unwrap_or(("", parent));
    let parent_name = parent.rsplit('.').next()?;
    let parent_shape = shape_at(parent)?;
    let above_shape = match above {
        "" => keys::site(),
        above => shape_at(above)?,
    };
    if !matches!(parent_shape, keys::Shape::Named(_)) || above_shape.key(name).is_none() {
        return None;
    }
    Some(format!(
        "{path}: `{name}:` is written under `{parent_name}:`, where each key names an entry of its own: `{name}` is a key beside `{parent_name}:` (indent it as `{parent_name}:` is)"
    ))
}

/// The shape of the place at a path as serde_yaml writes it (`sla.response`, `contracts[0]`).
fn shape_at(path: &str) -> Option<&'static keys::Shape> {
    let mut at = keys::site();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        at = match at {
            keys::Shape::Named(inner) => inner,
            shape => shape.key(key)?,
        };
        for _ in indexes.split(']').filter(|s| !s.is_empty()) {
            match at {
                keys::Shape::List(inner) => at = inner,
                _ => return None,
            }
        }
    }
    Some(at)
}

/// The entry's path and the field of serde's `customers[1]: missing field `slug``.
fn missing_at(message: &str) -> Option<(String, String)> {
    let (path, field) = match message.split_once(": missing field `") {
        Some((path, rest)) => (path.to_string(), rest),
        None => (String::new(), message.strip_prefix("missing field `")?),
    };
    Some((path, field.strip_suffix('`')?.to_string()))
}

/// The value at a path as serde_yaml writes it (`customers[1]`, `data.tickets`).
fn value_at<'a>(doc: &'a mut serde_json::Value, path: &str) -> Option<&'a mut serde_json::Value> {
    let mut at = doc;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            at = at.get_mut(key)?;
        }
        for index in indexes.split(']').filter(|s| !s.is_empty()) {
            at = at.get_mut(index.strip_prefix('[')?.parse::<usize>().ok()?)?;
        }
    }
    Some(at)
}
