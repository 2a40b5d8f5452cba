//! The routes laid out for templates: the `escalation` shortcode's table, diagram and on-call
//! schedule, and the `oncall` shortcode's block of who to contact at the build's instant with
//! how long that holds. Words come from the word list, services' names from `labels:`.

use chrono::{Datelike, TimeZone};
use serde::Serialize;

mod diagram;

use super::duty::HORIZON_DAYS;
use super::text::href;
use super::{ContactKind, Every, Level, Route, Routes, Team};
use crate::i18n::labels::Labels;
use crate::i18n::report_words::Words;

#[derive(Debug, Serialize)]
pub struct EscalationFigure {
    pub routes: Vec<RouteView>,
    pub times_note: String,
}

#[derive(Debug, Serialize)]
pub struct RouteView {
    pub title: String,
    pub levels: Vec<LevelView>,
    /// The route drawn (inline SVG, checked by the diagram renderer), None if it cannot be.
    pub diagram: Option<String>,
    /// The rotations' coming turns and swaps, in time order per team.
    pub schedule: Vec<ScheduleRow>,
}

#[derive(Debug, Serialize)]
pub struct LevelView {
    pub name: String,
    pub team: TeamView,
    pub hours: String,
    pub outside: Option<TeamView>,
    pub escalate_after: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub name: String,
    /// `佐藤 → 鈴木 → 高橋（毎週 月 09:00 交代）`.
    pub rotation: Option<String>,
    pub contacts: Vec<ContactView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContactView {
    pub kind: &'static str,
    pub text: String,
    /// A number or an address, kept on one line.
    pub nowrap: bool,
    pub label: Option<String>,
    /// `tel:`, `mailto:` or `https:`; None for a chat channel.
    pub href: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ScheduleRow {
    pub team: String,
    pub from: String,
    pub to: String,
    pub member: String,
    pub swap: bool,
}

/// A sentence with one time in it, split so the theme keeps the time on one line.
#[derive(Debug, Serialize)]
pub struct Timed {
    pub before: String,
    pub time: String,
    pub after: String,
}

impl Timed {
    fn new(sentence: &str, time: String) -> Timed {
        let (before, after) = sentence.split_once("{time}").unwrap_or((sentence, ""));
        Timed {
            before: before.to_string(),
            time,
            after: after.to_string(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct OnCallFigure {
    pub title: String,
    pub as_of: Timed,
    /// `18:00 まで有効`, or that nothing changes within the horizon.
    pub validity: Timed,
    /// RFC 3339, for the theme's script to mark the block once it is past.
    pub valid_until: Option<String>,
    pub stale: String,
    pub levels: Vec<DutyView>,
}

#[derive(Debug, Serialize)]
pub struct DutyView {
    pub level: String,
    pub team: Option<TeamView>,
    pub member: Option<String>,
    pub outside_hours: bool,
    /// Nobody answers at this level now: from when, and who.
    pub nobody: Option<Timed>,
    pub until: Option<Timed>,
    pub escalate_after: Option<String>,
}

/// How a figure speaks: the language's words and the site's names for services.
pub struct Style<'a> {
    pub t: &'static Words,
    pub labels: &'a Labels,
    pub lang: crate::i18n::Lang,
    /// A customer edition: no rotation members' names, no internal contacts.
    pub edition: bool,
}

fn time(routes: &Routes, t: i64, s: &Style) -> String {
    let Some(d) = routes.tz.timestamp_opt(t, 0).single() else {
        return String::new();
    };
    let day = s.t.weekday(d.weekday().num_days_from_monday() as usize);
    crate::i18n::formats::fill(
        s.lang.vocabulary().formats.weekday_date_time,
        &[
            ("date", &d.format("%Y-%m-%d").to_string()),
            ("day", day),
            ("time", &d.format("%H:%M").to_string()),
        ],
    )
}

/// `30 分`, `2 時間`, `1 日`: the largest unit that divides it.
pub fn duration(secs: i64, t: &Words) -> String {
    let (n, unit) = if secs % 86_400 == 0 {
        (secs / 86_400, t.days_n)
    } else if secs % 3_600 == 0 {
        (secs / 3_600, t.hours_n)
    } else {
        ((secs + 59) / 60, t.minutes_n)
    };
    unit.replace("{n}", &n.to_string())
}

fn hhmm(secs: u32) -> String {
    format!("{:02}:{:02}", secs / 3600, secs / 60 % 60)
}

/// `月–金 09:00–12:00, 13:00–18:00（祝日・休業日を除く）`, or 24/7.
fn hours_text(level: &Level, t: &Words) -> String {
    let Some((week, holidays)) = level.hours.calendar.weekly_hours() else {
        return t.escalation_always.to_string();
    };
    let mut parts: Vec<String> = Vec::new();
    let mut d = 0;
    while d < 7 {
        if week[d].is_empty() {
            d += 1;
            continue;
        }
        let mut e = d;
        while e + 1 < 7 && week[e + 1] == week[d] {
            e += 1;
        }
        let ranges: Vec<String> = (week[d].iter())
            .map(|&(a, b)| format!("{}–{}", hhmm(a), hhmm(b)))
            .collect();
        let span = if e == d {
            t.weekday(d).to_string()
        } else {
            format!("{}–{}", t.weekday(d), t.weekday(e))
        };
        parts.push(format!("{span} {}", ranges.join(", ")));
        d = e + 1;
    }
    let mut text = parts.join("; ");
    if holidays {
        text.push_str(&format!(" ({})", t.escalation_closed_holidays));
    }
    text
}

fn contact_kind(kind: ContactKind, t: &Words) -> &'static str {
    match kind {
        ContactKind::Phone => t.escalation_contact_phone,
        ContactKind::Email => t.escalation_contact_email,
        ContactKind::Chat => t.escalation_contact_chat,
        ContactKind::Url => t.escalation_contact_url,
        ContactKind::Pager => t.escalation_contact_pager,
    }
}

fn team_view(routes: &Routes, team: &Team, s: &Style) -> TeamView {
    let rotation = team.rotation.as_ref().filter(|_| !s.edition).map(|r| {
        let start = routes.tz.from_local_datetime(&r.start).earliest();
        let at = r.start.format("%H:%M").to_string();
        let when = match r.every {
            Every::Day => s.t.escalation_rotation_day.replace("{when}", &at),
            Every::Week => {
                let day = start.map_or(0, |d| d.weekday().num_days_from_monday() as usize);
                s.t.escalation_rotation_week
                    .replace("{when}", &format!("{} {at}", s.t.weekday(day)))
            }
        };
        format!("{} ({when})", r.members.join(" → "))
    });
    TeamView {
        name: team.name.clone(),
        rotation,
        contacts: (team.contacts.iter())
            .filter(|c| !(s.edition && c.internal))
            .map(|c| ContactView {
                kind: contact_kind(c.kind, s.t),
                text: c.value.clone(),
                nowrap: matches!(c.kind, ContactKind::Phone | ContactKind::Pager),
                label: c.label.clone(),
                href: href(c.kind, &c.value),
            })
            .collect(),
    }
}

fn route_title(route: &Route, s: &Style) -> String {
    let names = if route.any {
        s.t.escalation_other_services.to_string()
    } else {
        let names: Vec<String> = route.services.iter().map(|c| s.labels.service(c)).collect();
        names.join(s.t.list_separator)
    };
    s.t.escalation_route.replace("{services}", &names)
}

/// The routes to show: one service's, or all of them.
fn chosen<'r>(routes: &'r Routes, service: Option<&str>) -> Result<Vec<&'r Route>, String> {
    match service {
        None => Ok(routes.routes.iter().collect()),
        Some(s) => routes.route_for(s).map(|r| vec![r]).ok_or_else(|| {
            let all: Vec<&str> = (routes.routes.iter())
                .flat_map(|r| r.services.iter().map(String::as_str))
                .collect();
            // Either side may hold the typo: name the close one, and where it is written.
            let hint = crate::config::keys::closest(s, all.iter().copied())
                .map(|c| format!("; `{c}` there is close: is one of them misspelt?"))
                .unwrap_or_default();
            format!(
                "no escalation route for service `{s}`: {} has routes for {}{hint}",
                routes.file,
                all.join(", ")
            )
        }),
    }
}

pub fn escalation(
    routes: &Routes,
    service: Option<&str>,
    as_of: i64,
    s: &Style,
) -> Result<EscalationFigure, String> {
    let list = chosen(routes, service)?;
    let views = list
        .iter()
        .enumerate()
        .map(|(i, route)| route_view(routes, route, i, as_of, s))
        .collect();
    Ok(EscalationFigure {
        routes: views,
        times_note: s.t.times_local.replace("{zone}", routes.tz.name()),
    })
}

fn route_view(routes: &Routes, route: &Route, index: usize, as_of: i64, s: &Style) -> RouteView {
    let title = route_title(route, s);
    let levels: Vec<LevelView> = (route.levels.iter())
        .map(|l| LevelView {
            name: l.name.clone(),
            team: team_view(routes, &routes.teams[l.team], s),
            hours: hours_text(l, s.t),
            outside: l.outside.map(|o| team_view(routes, &routes.teams[o], s)),
            escalate_after: l.escalate_after.map(|d| duration(d, s.t)),
            note: l.note.clone(),
        })
        .collect();
    let source = diagram::mermaid(&title, &levels, s.t);
    // Numbered past any page's own diagrams, so their ids never meet.
    let diagram = crate::markdown::diagrams::draw(&source, 900 + index, s.lang).ok();
    RouteView {
        title,
        levels,
        diagram,
        schedule: if s.edition {
            Vec::new()
        } else {
            schedule(routes, route, as_of, s)
        },
    }
}

fn schedule(routes: &Routes, route: &Route, as_of: i64, s: &Style) -> Vec<ScheduleRow> {
    let mut teams: Vec<usize> = (route.levels.iter())
        .flat_map(|l| [Some(l.team), l.outside])
        .flatten()
        .collect();
    teams.dedup();
    let mut seen = Vec::new();
    let mut rows = Vec::new();
    for i in teams {
        if seen.contains(&i) {
            continue;
        }
        seen.push(i);
        let team = &routes.teams[i];
        let turns = routes.turns(team, as_of, 4);
        let last = turns.last().map_or(as_of, |t| t.1);
        let swaps: Vec<(i64, i64, String, bool)> = (team.overrides.iter())
            .filter(|o| o.to > as_of && o.from < last)
            .map(|o| (o.from, o.to, o.member.clone(), true))
            .collect();
        // A turn shows the time its member is really on duty: the swaps cut out of it.
        let mut team_rows: Vec<(i64, i64, String, bool)> = Vec::new();
        for (a, b, member) in turns {
            let mut cur = a;
            for &(from, to, _, _) in swaps.iter().filter(|o| o.1 > a && o.0 < b) {
                if from > cur {
                    team_rows.push((cur, from, member.clone(), false));
                }
                cur = cur.max(to);
            }
            if cur < b {
                team_rows.push((cur, b, member, false));
            }
        }
        team_rows.extend(swaps);
        team_rows.sort_by_key(|r| (r.0, r.1));
        rows.extend(
            team_rows
                .into_iter()
                .map(|(a, b, member, swap)| ScheduleRow {
                    team: team.name.clone(),
                    from: time(routes, a, s),
                    to: time(routes, b, s),
                    member,
                    swap,
                }),
        );
    }
    rows
}

/// Who to contact at `as_of` for `service` (or the site's only route), and until when.
pub fn oncall(
    routes: &Routes,
    service: Option<&str>,
    as_of: i64,
    s: &Style,
) -> Result<OnCallFigure, String> {
    let route = match (service, routes.routes.as_slice()) {
        (Some(_), _) => chosen(routes, service)?[0],
        (None, [only]) => only,
        (None, _) => {
            let all: Vec<&str> = (routes.routes.iter())
                .flat_map(|r| r.services.iter().map(String::as_str))
                .collect();
            return Err(format!(
                "give the service, e.g. {{{{< oncall service=\"{}\" >}}}} (routes for: {})",
                all.first().copied().unwrap_or("portal"),
                all.join(", ")
            ));
        }
    };
    // Each level's next change, once: the block holds until the earliest of them.
    let untils: Vec<Option<i64>> = (route.levels.iter())
        .map(|l| routes.level_valid_until(l, as_of))
        .collect();
    let until = untils.iter().flatten().min().copied();
    let levels = (route.levels.iter().zip(untils))
        .map(|(l, u)| duty_view(routes, l, as_of, u, s))
        .collect();
    let title = match service {
        Some(code) => format!("{} — {}", s.t.oncall_title, s.labels.service(code)),
        None => s.t.oncall_title.to_string(),
    };
    Ok(OnCallFigure {
        title,
        as_of: Timed::new(s.t.oncall_as_of, time(routes, as_of, s)),
        validity: match until {
            Some(u) => Timed::new(s.t.oncall_valid_until, time(routes, u, s)),
            None => Timed::new(
                &s.t.oncall_no_change
                    .replace("{n}", &HORIZON_DAYS.to_string()),
                String::new(),
            ),
        },
        valid_until: until.and_then(|u| {
            let d = routes.tz.timestamp_opt(u, 0).single()?;
            Some(d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        }),
        stale: until.map_or_else(String::new, |u| {
            s.t.oncall_stale.replace("{time}", &time(routes, u, s))
        }),
        levels,
    })
}

/// One level's entry; `until`: when it next changes hands.
fn duty_view(
    routes: &Routes,
    level: &Level,
    as_of: i64,
    until: Option<i64>,
    s: &Style,
) -> DutyView {
    let duty = routes.duty(level, as_of);
    let nobody = duty.team.is_none().then(|| {
        let from = routes.next_open(level, as_of);
        let sentence =
            s.t.oncall_nobody
                .replace("{team}", &routes.teams[level.team].name);
        Timed::new(
            &sentence,
            from.map_or_else(String::new, |f| time(routes, f, s)),
        )
    });
    let until = (until.filter(|_| duty.team.is_some()))
        .map(|u| Timed::new(s.t.oncall_until, time(routes, u, s)));
    DutyView {
        level: level.name.clone(),
        team: duty.team.map(|i| team_view(routes, &routes.teams[i], s)),
        member: duty.member.filter(|_| !s.edition),
        outside_hours: duty.outside_hours,
        nobody,
        until,
        // A level nobody answers now is passed straight on: no time to wait there.
        escalate_after: (level.escalate_after)
            .filter(|_| duty.team.is_some())
            .map(|d| duration(d, s.t)),
    }
}
