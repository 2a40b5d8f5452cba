//! The routes and their levels read for `parse`'s reader: which services each route is for,
//! its levels in order with their teams, hours and times to escalate.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::Value;

use super::parse::{key, kind_of, with, Reader};
use super::{Hours, Level, Route, Team};
use crate::config::keys::{closest, Step};
use crate::kpi::calendar::{parse_duration, Calendar};

impl Reader<'_> {
    pub(super) fn routes(&mut self, v: &Value, teams: &[Team]) -> Vec<Route> {
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
                let first = *seen.entry(s.clone()).or_insert(i);
                if first != i {
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
                    format!("`{name}` is not a level: levels are L1, L2, L3 … up to L9"),
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
                Err(_) => {
                    let m = format!("`{s}` is not a time to escalate like 30m, 2h or 1d (more than nothing, at most ten years)");
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
