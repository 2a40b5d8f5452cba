//! The routes' YAML (already parsed into a value) read into typed routes. Each mistake is a
//! diagnostic at the line of the key that holds it, with the closest known word where one is
//! near; the reading goes on past a mistake, so one run reports all of them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::text::{clean, contact_problem, parse_local};

/// The longest name, label, note or member a route may hold: longer is a mistake (a pasted
/// document), and would be copied into every page that shows it.
const MAX_TEXT: usize = 500;

/// How many mistakes are put on their lines: each is found by reading the text, so past this
/// the file alone is named and a file of thousands of mistakes stays quick.
const LOCATED: usize = 500;
use super::{Contact, ContactKind, Every, Override, Rotation, Routes, Team};
use crate::config::keys::{closest, locate, Step};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::calendar::Calendar;

/// Where the routes are written: the file, its text, and the keys above them (`escalation`
/// in site.yaml; none in their own file).
pub struct Place<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub prefix: Vec<Step>,
    /// How many locations were looked up (see `LOCATED`).
    pub located: std::cell::Cell<usize>,
}

impl Place<'_> {
    pub fn at(&self, path: &[Step]) -> Location {
        if self.located.get() >= LOCATED {
            return Location::file(self.file);
        }
        self.located.set(self.located.get() + 1);
        let full: Vec<Step> = self
            .prefix
            .iter()
            .cloned()
            .chain(path.iter().cloned())
            .collect();
        match locate(self.text, &full) {
            Some((line, column)) => Location::at(self.file, line, Some(column)),
            None => Location::file(self.file),
        }
    }
}

pub(super) fn key(k: &str) -> Step {
    Step::Key(k.to_string())
}

pub(super) fn with(path: &[Step], step: Step) -> Vec<Step> {
    let mut p = path.to_vec();
    p.push(step);
    p
}

pub(super) struct Reader<'a> {
    place: &'a Place<'a>,
    pub(super) calendars: &'a BTreeMap<String, Arc<Calendar>>,
    tz: Tz,
    diags: Vec<Diagnostic>,
}

/// The routes, or None when a mistake leaves them unusable (every mistake is in the list).
pub fn read(
    doc: &Value,
    place: &Place,
    calendars: &BTreeMap<String, Arc<Calendar>>,
    tz: Tz,
) -> (Option<Routes>, Vec<Diagnostic>) {
    let mut r = Reader {
        place,
        calendars,
        tz,
        diags: Vec::new(),
    };
    let routes = r.document(doc);
    let failed = r.diags.iter().any(Diagnostic::is_error);
    (routes.filter(|_| !failed), r.diags)
}

impl Reader<'_> {
    pub(super) fn error(&mut self, path: &[Step], message: impl Into<String>) {
        let at = self.place.at(path);
        self.diags
            .push(Diagnostic::error(Code::Config, at, message));
    }

    pub(super) fn warning(&mut self, path: &[Step], message: impl Into<String>) {
        let at = self.place.at(path);
        self.diags
            .push(Diagnostic::warning(Code::Config, at, message));
    }

    /// Unknown keys of a map, each an error at its line with the closest known one: a
    /// misspelt `overrides` or `outside_hours` would quietly change who is called.
    pub(super) fn unknown_keys(&mut self, path: &[Step], map: &Map<String, Value>, known: &[&str]) {
        for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let hint = closest(k, known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_else(|| format!(" (known: {})", known.join(", ")));
            let at = self.place.at(&with(path, key(k)));
            self.diags.push(Diagnostic::error(
                Code::UnknownKey,
                at,
                format!("unknown key `{k}`{hint}"),
            ));
        }
    }

    pub(super) fn map<'v>(
        &mut self,
        path: &[Step],
        v: &'v Value,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            Value::Null => {
                self.error(path, format!("{what} has nothing under it"));
                None
            }
            _ => {
                self.error(path, format!("{what} is a map of keys, not {}", kind_of(v)));
                None
            }
        }
    }

    /// A text value, cleaned of control characters, at most `MAX_TEXT` characters; numbers are
    /// refused (YAML has dropped a phone number's leading `+` or `0`).
    pub(super) fn text(&mut self, path: &[Step], v: &Value, what: &str) -> Option<String> {
        match v {
            Value::String(s) if s.chars().count() > MAX_TEXT => {
                self.error(path, format!("{what} is longer than {MAX_TEXT} characters"));
                None
            }
            Value::String(s) if !s.trim().is_empty() => Some(clean(s.trim())),
            Value::String(_) => {
                self.error(path, format!("{what} is empty"));
                None
            }
            Value::Number(n) if what == "`phone`" || what == "`pager`" => {
                self.error(path, format!("{what} is written as a number ({n}), which loses a leading + or 0: put it in quotes as you dial it, e.g. \"+81 3-1234-5678\""));
                None
            }
            Value::Number(n) => {
                self.error(
                    path,
                    format!("{what} is written as a number ({n}): put it in quotes"),
                );
                None
            }
            _ => {
                self.error(path, format!("{what} is a text, not {}", kind_of(v)));
                None
            }
        }
    }

    fn document(&mut self, doc: &Value) -> Option<Routes> {
        if doc.is_null() || doc.as_object().is_some_and(|m| m.is_empty()) {
            self.error(&[], "no routes are written here: give `teams:` and `routes:` (see the manual, docs/content/en/operations/escalation.md)");
            return None;
        }
        let Value::Object(top) = doc else {
            let hint = match doc {
                Value::String(_) => "; routes in a file of their own go in data/escalation.yaml, read without naming it",
                _ => "",
            };
            self.error(
                &[],
                format!(
                    "the escalation routes are `teams:` and `routes:`, not {}{hint}",
                    kind_of(doc)
                ),
            );
            return None;
        };
        self.unknown_keys(&[], top, &["teams", "routes"]);
        let teams = match top.get("teams") {
            Some(Value::Null) => {
                self.error(&[key("teams")], "`teams:` has no team under it (teams: {desk: {name: Service desk, contacts: [{phone: \"03-1234-5678\"}]}})");
                return None;
            }
            Some(v) => self.teams(v),
            None => {
                // The routes are not read: each would name a team of the missing list.
                self.error(&[], "no `teams:`: name the teams a route hands cases to (teams: {desk: {name: …, contacts: […]}})");
                return None;
            }
        };
        let routes = match top.get("routes") {
            Some(v) => self.routes(v, &teams),
            None => {
                self.error(&[], "no `routes:`: give each service its levels (routes: [{services: [portal], levels: {L1: {team: desk}}}])");
                Vec::new()
            }
        };
        Some(Routes {
            tz: self.tz,
            teams,
            routes,
            file: self.place.file.display().to_string(),
            edition: false,
        })
    }

    fn teams(&mut self, v: &Value) -> Vec<Team> {
        let path = [key("teams")];
        let Some(map) = self.map(&path, v, "`teams`") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // A team with a mistake is still a team: routes naming it are not blamed as well.
        for (id, value) in map {
            let here = with(&path, key(id));
            out.push(self.team(&here, id, value));
        }
        out
    }

    fn team(&mut self, path: &[Step], id: &str, v: &Value) -> Team {
        let mut team = Team {
            id: id.to_string(),
            name: id.to_string(),
            contacts: Vec::new(),
            rotation: None,
            overrides: Vec::new(),
        };
        let Some(map) = self.map(path, v, &format!("team `{id}`")) else {
            return team;
        };
        self.unknown_keys(path, map, &["name", "contacts", "rotation", "overrides"]);
        if let Some(n) = map.get("name") {
            team.name = self
                .text(&with(path, key("name")), n, "`name`")
                .unwrap_or(team.name);
        }
        let contacts: Vec<Contact> = match map.get("contacts") {
            Some(Value::Array(items)) => (items.iter().enumerate())
                .filter_map(|(i, c)| {
                    self.contact(&with(&with(path, key("contacts")), Step::Index(i)), c)
                })
                .collect(),
            Some(other) => {
                let at = with(path, key("contacts"));
                self.error(&at, format!("`contacts` is a list ([{{phone: \"03-1234-5678\"}}, {{email: desk@example.jp}}]), not {}", kind_of(other)));
                Vec::new()
            }
            None => Vec::new(),
        };
        if !map.contains_key("contacts")
            || matches!(map.get("contacts"), Some(Value::Array(a)) if a.is_empty())
        {
            let message = format!("team `{id}` has no contacts: the on-call block would name it with nothing to call (contacts: [{{phone: \"03-1234-5678\"}}])");
            self.warning(path, message);
        }
        team.contacts = contacts;
        if let Some(r) = map.get("rotation") {
            team.rotation = self.rotation(&with(path, key("rotation")), r);
        }
        if let Some(o) = map.get("overrides") {
            team.overrides = self.overrides(&with(path, key("overrides")), o);
        }
        team
    }

    fn contact(&mut self, path: &[Step], v: &Value) -> Option<Contact> {
        let (kind, value, label, internal) = match v {
            // A bare value: its kind is what it looks like.
            Value::String(s) => (
                super::text::kind_of_contact(s),
                s.trim().to_string(),
                None,
                false,
            ),
            Value::Object(map) => {
                let kinds: Vec<&str> = ContactKind::ALL.iter().map(|(k, _)| *k).collect();
                let mut known = kinds.clone();
                known.extend(["label", "internal"]);
                self.unknown_keys(path, map, &known);
                let given: Vec<&(&str, ContactKind)> = ContactKind::ALL
                    .iter()
                    .filter(|(k, _)| map.contains_key(*k))
                    .collect();
                let &[&(k, kind)] = given.as_slice() else {
                    self.error(path, format!("a contact has one of {} (with a `label` if you like), e.g. {{phone: \"03-1234-5678\", label: extension}}", kinds.join(", ")));
                    return None;
                };
                let value = self.text(&with(path, key(k)), &map[k], &format!("`{k}`"))?;
                let label = match map.get("label") {
                    Some(l) => Some(self.text(&with(path, key("label")), l, "`label`")?),
                    None => None,
                };
                let internal = match map.get("internal") {
                    None => false,
                    Some(Value::Bool(b)) => *b,
                    Some(_) => {
                        self.error(&with(path, key("internal")), "`internal` is true or false");
                        false
                    }
                };
                (kind, value, label, internal)
            }
            other => {
                self.error(
                    path,
                    format!(
                        "a contact is a map such as {{phone: \"03-1234-5678\"}}, not {}",
                        kind_of(other)
                    ),
                );
                return None;
            }
        };
        if let Some(problem) = contact_problem(kind, &value) {
            self.error(path, problem);
            return None;
        }
        Some(Contact {
            kind,
            value,
            label,
            internal,
        })
    }

    fn rotation(&mut self, path: &[Step], v: &Value) -> Option<Rotation> {
        let map = self.map(path, v, "`rotation`")?;
        self.unknown_keys(path, map, &["members", "every", "start"]);
        let members: Vec<String> = match map.get("members") {
            Some(Value::Array(items)) if !items.is_empty() => (items.iter().enumerate())
                .filter_map(|(i, m)| {
                    self.text(
                        &with(&with(path, key("members")), Step::Index(i)),
                        m,
                        "a member",
                    )
                })
                .collect(),
            _ => {
                self.error(
                    path,
                    "`rotation` needs `members`, a list of who takes turns ([sato, suzuki])",
                );
                return None;
            }
        };
        let every = match map.get("every").and_then(Value::as_str).map(str::trim) {
            None if !map.contains_key("every") => Every::Week,
            Some("week" | "weekly") => Every::Week,
            Some("day" | "daily") => Every::Day,
            _ => {
                self.error(&with(path, key("every")), "`every` is `week` or `day`");
                return None;
            }
        };
        let start = match map.get("start") {
            Some(Value::String(s)) => match parse_local(s) {
                Some(t) => t,
                None => {
                    self.error(&with(path, key("start")), format!("`{s}` is not a time like \"2026-11-02 09:00\" (the first member's first handover, site time)"));
                    return None;
                }
            },
            _ => {
                self.error(path, "`rotation` needs `start`: when the first member's turn begins, e.g. \"2026-11-02 09:00\" (site time)");
                return None;
            }
        };
        (members.len()
            == map
                .get("members")
                .and_then(Value::as_array)
                .map_or(0, Vec::len))
        .then_some(Rotation {
            members,
            every,
            start,
        })
    }

    fn overrides(&mut self, path: &[Step], v: &Value) -> Vec<Override> {
        let Value::Array(items) = v else {
            self.error(path, "`overrides` is a list ([{member: tanaka, from: \"2026-12-29 09:00\", to: \"2027-01-04 09:00\"}])");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let here = with(path, Step::Index(i));
            let Some(map) = self.map(&here, item, "an override") else {
                continue;
            };
            self.unknown_keys(&here, map, &["member", "from", "to"]);
            let member = match map.get("member") {
                Some(m) => self.text(&with(&here, key("member")), m, "`member`"),
                None => {
                    self.error(&here, "an override names the `member` on duty");
                    None
                }
            };
            let mut time = |k: &str| match map.get(k) {
                Some(Value::String(s)) => match parse_local(s) {
                    Some(t) => Some(crate::kpi::period::local_instant(self.tz, t)),
                    None => {
                        self.error(
                            &with(&here, key(k)),
                            format!("`{s}` is not a time like \"2026-12-29 09:00\""),
                        );
                        None
                    }
                },
                _ => {
                    self.error(
                        &here,
                        format!("an override needs `{k}`, a time like \"2026-12-29 09:00\""),
                    );
                    None
                }
            };
            let (from, to) = (time("from"), time("to"));
            let (Some(member), Some(from), Some(to)) = (member, from, to) else {
                continue;
            };
            if to <= from {
                self.error(&with(&here, key("to")), "`to` is not after `from`");
                continue;
            }
            out.push(Override { member, from, to });
        }
        out.sort_by_key(|o| (o.from, o.to));
        for w in out.windows(2) {
            if w[1].from < w[0].to {
                let message = format!(
                    "overrides for {} and {} overlap: which one is on duty?",
                    w[0].member, w[1].member
                );
                self.error(path, message);
                break;
            }
        }
        out
    }
}

pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
