//! The routes' YAML (already parsed into a value) read into typed routes. Each mistake is a
//! diagnostic at the line of the key that holds it, with the closest known word where one is
//! near; the reading goes on past a mistake, so one run reports all of them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use chrono_tz::Tz;
use serde_json::{Map, Value};

use super::text::{contact_problem, parse_local};
use super::{Contact, ContactKind, Every, Hours, Level, Override, Rotation, Route, Routes, Team};
use crate::config::keys::{closest, locate, Step};
use crate::error::{Code, Diagnostic, Location};
use crate::kpi::calendar::{parse_duration, Calendar};

/// Where the routes are written: the file, its text, and the keys above them (`escalation`
/// in site.yaml; none in their own file).
pub struct Place<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub prefix: Vec<Step>,
}

impl Place<'_> {
    pub fn at(&self, path: &[Step]) -> Location {
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

fn key(k: &str) -> Step {
    Step::Key(k.to_string())
}

fn with(path: &[Step], step: Step) -> Vec<Step> {
    let mut p = path.to_vec();
    p.push(step);
    p
}

struct Reader<'a> {
    place: &'a Place<'a>,
    calendars: &'a BTreeMap<String, Arc<Calendar>>,
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
    fn error(&mut self, path: &[Step], message: impl Into<String>) {
        let at = self.place.at(path);
        self.diags
            .push(Diagnostic::error(Code::Config, at, message));
    }

    fn warning(&mut self, path: &[Step], message: impl Into<String>) {
        let at = self.place.at(path);
        self.diags
            .push(Diagnostic::warning(Code::Config, at, message));
    }

    /// Unknown keys of a map, each a warning at its line with the closest known one.
    fn unknown_keys(&mut self, path: &[Step], map: &Map<String, Value>, known: &[&str]) {
        for k in map.keys().filter(|k| !known.contains(&k.as_str())) {
            let hint = closest(k, known.iter().copied())
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_else(|| format!(" (known: {})", known.join(", ")));
            let at = self.place.at(&with(path, key(k)));
            self.diags.push(Diagnostic::warning(
                Code::UnknownKey,
                at,
                format!("unknown key `{k}`{hint}"),
            ));
        }
    }

    fn map<'v>(
        &mut self,
        path: &[Step],
        v: &'v Value,
        what: &str,
    ) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            _ => {
                self.error(path, format!("{what} is a map of keys, not {}", kind_of(v)));
                None
            }
        }
    }

    /// A text value; numbers are refused where a leading zero or a plus sign would be lost.
    fn text(&mut self, path: &[Step], v: &Value, what: &str) -> Option<String> {
        match v {
            Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Value::String(_) => {
                self.error(path, format!("{what} is empty"));
                None
            }
            Value::Number(n) => {
                self.error(path, format!("{what} is written as a number ({n}), which loses a leading + or 0: put it in quotes as you dial it, e.g. \"+81 3-1234-5678\""));
                None
            }
            _ => {
                self.error(path, format!("{what} is a text, not {}", kind_of(v)));
                None
            }
        }
    }

    fn document(&mut self, doc: &Value) -> Option<Routes> {
        let top = self.map(&[], doc, "the escalation routes")?;
        self.unknown_keys(&[], top, &["teams", "routes"]);
        let teams = match top.get("teams") {
            Some(v) => self.teams(v),
            None => {
                self.error(&[], "no `teams:`: name the teams a route hands cases to (teams: {desk: {name: …, contacts: […]}})");
                Vec::new()
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
        for (id, value) in map {
            let here = with(&path, key(id));
            if let Some(team) = self.team(&here, id, value) {
                out.push(team);
            }
        }
        out
    }

    fn team(&mut self, path: &[Step], id: &str, v: &Value) -> Option<Team> {
        let map = self.map(path, v, &format!("team `{id}`"))?;
        self.unknown_keys(path, map, &["name", "contacts", "rotation", "overrides"]);
        let name = match map.get("name") {
            Some(n) => self.text(&with(path, key("name")), n, "`name`")?,
            None => id.to_string(),
        };
        let contacts = match map.get("contacts") {
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
        let rotation = match map.get("rotation") {
            Some(r) => Some(self.rotation(&with(path, key("rotation")), r)?),
            None => None,
        };
        let overrides = match map.get("overrides") {
            Some(o) => self.overrides(&with(path, key("overrides")), o),
            None => Vec::new(),
        };
        Some(Team {
            id: id.to_string(),
            name,
            contacts,
            rotation,
            overrides,
        })
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
                    self.error(path, format!("a contact has one of {} (with a `label` if you like), e.g. {{phone: \"03-1234-5678\", label: 内線}}", kinds.join(", ")));
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
                    "`rotation` needs `members`, a list of who takes turns ([佐藤, 鈴木])",
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
            self.error(path, "`overrides` is a list ([{member: 田中, from: \"2026-12-29 09:00\", to: \"2027-01-04 09:00\"}])");
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

    fn routes(&mut self, v: &Value, teams: &[Team]) -> Vec<Route> {
        let path = [key("routes")];
        let Value::Array(items) = v else {
            self.error(&path, format!("`routes` is a list of routes ([{{services: [portal], levels: {{L1: {{team: desk}}}}}}]), not {}", kind_of(v)));
            return Vec::new();
        };
        let mut out: Vec<Route> = Vec::new();
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let here = with(&path, Step::Index(i));
            let Some(route) = self.route(&here, item, teams) else {
                continue;
            };
            for s in route
                .services
                .iter()
                .chain(route.any.then(|| "*".to_string()).iter())
            {
                if let Some(first) = seen.insert(s.clone(), i) {
                    let message = format!("service `{s}` already has a route (routes[{first}]): a service follows one route");
                    self.error(&with(&here, key("services")), message);
                }
            }
            out.push(route);
        }
        out
    }

    fn route(&mut self, path: &[Step], v: &Value, teams: &[Team]) -> Option<Route> {
        let map = self.map(path, v, "a route")?;
        self.unknown_keys(path, map, &["services", "levels"]);
        let at = with(path, key("services"));
        let services: Vec<String> = match map.get("services") {
            Some(Value::String(s)) => vec![s.trim().to_string()],
            Some(Value::Array(list)) => (list.iter().enumerate())
                .filter_map(|(i, s)| self.text(&with(&at, Step::Index(i)), s, "a service"))
                .collect(),
            _ => {
                self.error(path, "a route names its `services` ([portal, api], or \"*\" for every other service)");
                return None;
            }
        };
        let any = services.iter().any(|s| s == "*");
        if any && services.len() > 1 {
            self.error(&at, "`*` stands for every service without a route of its own: give it a route of its own");
        }
        let levels = match map.get("levels") {
            Some(l) => self.levels(&with(path, key("levels")), l, teams)?,
            None => {
                self.error(path, "a route needs `levels` (levels: {L1: {team: desk, hours: business}, L2: {team: ops}})");
                return None;
            }
        };
        Some(Route {
            services: services.into_iter().filter(|s| s != "*").collect(),
            any,
            levels,
        })
    }

    fn levels(&mut self, path: &[Step], v: &Value, teams: &[Team]) -> Option<Vec<Level>> {
        let map = self.map(path, v, "`levels`")?;
        // Every level written (read or not), so one mistake does not also report a gap.
        let mut written: Vec<u32> = Vec::new();
        let mut numbered = Vec::new();
        for (name, value) in map {
            let here = with(path, key(name));
            let n = name
                .strip_prefix(['L', 'l'])
                .and_then(|n| n.parse::<u32>().ok());
            let Some(n) = n.filter(|n| (1..=9).contains(n)) else {
                self.error(
                    &here,
                    format!("`{name}` is not a level: levels are L1, L2, L3 …"),
                );
                continue;
            };
            written.push(n);
            if let Some(level) = self.level(&here, &format!("L{n}"), value, teams) {
                numbered.push((n, level));
            }
        }
        written.sort_unstable();
        if let Some(gap) = (1..).zip(&written).find(|(i, n)| *i != **n) {
            self.error(
                path,
                format!("levels skip L{}: number them L1, L2, L3 … in turn", gap.0),
            );
        }
        if written.is_empty() {
            self.error(path, "a route needs at least L1");
            return None;
        }
        numbered.sort_by_key(|(n, _)| *n);
        if let Some((n, last)) = numbered.last().filter(|(n, _)| Some(n) == written.last()) {
            if last.escalate_after.is_some() {
                let at = with(&with(path, key(&format!("L{n}"))), key("escalate_after"));
                self.warning(
                    &at,
                    format!("L{n} is the last level: there is nobody to escalate to after it"),
                );
            }
        }
        Some(numbered.into_iter().map(|(_, l)| l).collect())
    }

    fn team_index(&mut self, path: &[Step], v: &Value, teams: &[Team]) -> Option<usize> {
        let id = self.text(path, v, "a team")?;
        let found = teams.iter().position(|t| t.id == id);
        if found.is_none() {
            let hint = closest(&id, teams.iter().map(|t| t.id.as_str()))
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_else(|| {
                    let ids: Vec<&str> = teams.iter().map(|t| t.id.as_str()).collect();
                    format!(" (teams: {})", ids.join(", "))
                });
            self.error(path, format!("no team `{id}` under `teams:`{hint}"));
        }
        found
    }

    fn level(&mut self, path: &[Step], name: &str, v: &Value, teams: &[Team]) -> Option<Level> {
        let map = self.map(path, v, &format!("`{name}`"))?;
        self.unknown_keys(
            path,
            map,
            &["team", "hours", "outside_hours", "escalate_after", "note"],
        );
        let team = match map.get("team") {
            Some(t) => self.team_index(&with(path, key("team")), t, teams),
            None => {
                self.error(
                    path,
                    format!("`{name}` needs the `team` that answers at this level"),
                );
                None
            }
        };
        let hours = self.hours(&with(path, key("hours")), map.get("hours"));
        let outside = match map.get("outside_hours") {
            Some(t) => Some(self.team_index(&with(path, key("outside_hours")), t, teams)?),
            None => None,
        };
        if outside.is_some()
            && hours
                .as_ref()
                .is_some_and(|h| matches!(*h.calendar, Calendar::Always))
        {
            let at = with(path, key("outside_hours"));
            self.warning(&at, format!("`{name}` is answered at all hours (`hours` is `always`): its `outside_hours` team is never on duty"));
        }
        let escalate_after = match map.get("escalate_after") {
            None => None,
            Some(Value::String(s)) => match parse_duration(s, &Calendar::Always) {
                Ok(secs) => Some(secs),
                Err(m) => {
                    self.error(&with(path, key("escalate_after")), m);
                    None
                }
            },
            Some(other) => {
                let at = with(path, key("escalate_after"));
                self.error(
                    &at,
                    format!("`escalate_after` is a duration like 30m or 2h, not {other}"),
                );
                None
            }
        };
        let note = match map.get("note") {
            Some(n) => self.text(&with(path, key("note")), n, "`note`"),
            None => None,
        };
        Some(Level {
            name: name.to_string(),
            team: team?,
            hours: hours?,
            outside,
            escalate_after,
            note,
        })
    }

    fn hours(&mut self, path: &[Step], v: Option<&Value>) -> Option<Hours> {
        let name = match v {
            None => "always".to_string(),
            Some(v) => self.text(path, v, "`hours`")?,
        };
        let name = if matches!(name.as_str(), "24x7" | "24/7") {
            "always".to_string()
        } else {
            name
        };
        match self.calendars.get(&name) {
            Some(c) => Some(Hours {
                name,
                calendar: Arc::clone(c),
            }),
            None => {
                let names: Vec<&str> = self.calendars.keys().map(String::as_str).collect();
                let hint = closest(&name, names.iter().copied())
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                self.error(path, format!("no calendar `{name}`: {hint}hours are `always` or a calendar under `calendars:` in site.yaml ({})", names.join(", ")));
                None
            }
        }
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "empty",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a map",
    }
}
