//! Who is on duty at an instant: per level, the level's team within its hours and the
//! outside-hours team (or nobody) otherwise, with the rotation's member or an override's; and
//! until when that holds, found by trying every instant at which a level's hours, a rotation or
//! an override changes.

use chrono::{Duration, TimeZone};

use super::{Every, Level, Route, Routes, Team};
use crate::kpi::period::local_instant;

/// How far ahead a block's validity is looked for: five weeks covers a weekly rotation and the
/// longest run of Japanese holidays.
pub const HORIZON_DAYS: i64 = 35;
const HORIZON: i64 = HORIZON_DAYS * 86_400;

/// Who answers at one level at one instant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duty {
    /// Index in `Routes::teams`; None: nobody at this level now.
    pub team: Option<usize>,
    /// The rotation's member (or the override's) when the team has one.
    pub member: Option<String>,
    /// Outside the level's hours (its outside-hours team, or nobody, answers).
    pub outside_hours: bool,
}

/// A rotation's turns around `t`: the number of the turn `t` falls in (0 from `start`, negative
/// before it), when that turn began and when the next begins.
fn turn(rotation: &super::Rotation, tz: chrono_tz::Tz, t: i64) -> (i64, i64, i64) {
    let local = tz
        .timestamp_opt(t, 0)
        .single()
        .map(|d| d.naive_local())
        .unwrap_or_default();
    let days = match rotation.every {
        Every::Day => 1,
        Every::Week => 7,
    };
    // Counted on the wall clock: a handover stays at 09:00 across a change of the clocks. The
    // guess from the wall clock is then set by the instants themselves, so a handover at a time
    // the clocks skip (02:30 on a spring-forward day, read as 03:30) is the same for every `t`.
    let elapsed = (local - rotation.start).num_seconds();
    let mut k = elapsed.div_euclid(days * 86_400);
    let at = |k: i64| local_instant(tz, rotation.start + Duration::days(k * days));
    while at(k) > t {
        k -= 1;
    }
    while at(k + 1) <= t {
        k += 1;
    }
    (k, at(k), at(k + 1))
}

impl Routes {
    /// Who answers at `level` at `t`.
    pub fn duty(&self, level: &Level, t: i64) -> Duty {
        let open = !level.hours.calendar.open_spans(t, t + 1).is_empty();
        let team = if open {
            Some(level.team)
        } else {
            level.outside
        };
        Duty {
            team,
            // An edition names no members: a handover it cannot show changes nothing there.
            member: (team.filter(|_| !self.edition))
                .and_then(|i| self.member_at(&self.teams[i], t)),
            outside_hours: !open,
        }
    }

    /// The team's member on duty at `t`: an override's, else the rotation's.
    pub fn member_at(&self, team: &Team, t: i64) -> Option<String> {
        if let Some(o) = team.overrides.iter().find(|o| o.from <= t && t < o.to) {
            return Some(o.member.clone());
        }
        let rotation = team.rotation.as_ref()?;
        let (k, _, _) = turn(rotation, self.tz, t);
        // Before its start the rotation names nobody (the team still answers).
        if k < 0 {
            return None;
        }
        let n = rotation.members.len() as i64;
        Some(rotation.members[k.rem_euclid(n) as usize].clone())
    }

    /// Every instant in `(t, t + horizon]` at which `level` may change hands: its hours begin or
    /// end, or a rotation or swap of its teams turns.
    fn change_points(&self, level: &Level, t: i64) -> Vec<i64> {
        let end = t + HORIZON;
        let mut points = Vec::new();
        for (a, b) in level.hours.calendar.open_spans(t, end) {
            points.extend([a, b]);
        }
        for team in [Some(level.team), level.outside].into_iter().flatten() {
            let team = &self.teams[team];
            for o in &team.overrides {
                points.extend([o.from, o.to]);
            }
            if let Some(rotation) = &team.rotation {
                let mut next = turn(rotation, self.tz, t).2;
                while next <= end {
                    points.push(next);
                    next = turn(rotation, self.tz, next).2;
                }
            }
        }
        points.retain(|&p| p > t && p <= end);
        points.sort_unstable();
        points.dedup();
        points
    }

    /// The first instant after `t` at which someone else answers at `level`; None when nothing
    /// changes within `HORIZON_DAYS`.
    pub fn level_valid_until(&self, level: &Level, t: i64) -> Option<i64> {
        let now = self.duty(level, t);
        (self.change_points(level, t).into_iter()).find(|&p| self.duty(level, p) != now)
    }

    /// The first instant after `t` at which someone else answers at a level of `route`: the
    /// earliest of its levels' (a level changes hands only at its own points).
    pub fn valid_until(&self, route: &Route, t: i64) -> Option<i64> {
        (route.levels.iter())
            .filter_map(|l| self.level_valid_until(l, t))
            .min()
    }

    /// When the level's hours next begin after `t` (for a level nobody answers now).
    pub fn next_open(&self, level: &Level, t: i64) -> Option<i64> {
        level
            .hours
            .calendar
            .open_spans(t, t + HORIZON)
            .first()
            .map(|s| s.0)
    }

    /// The team's coming turns from the one `t` falls in: (start, end, member), `count` of them.
    pub fn turns(&self, team: &Team, t: i64, count: usize) -> Vec<(i64, i64, String)> {
        let Some(rotation) = &team.rotation else {
            return Vec::new();
        };
        let n = rotation.members.len() as i64;
        let first = local_instant(self.tz, rotation.start);
        let (mut k, mut start, mut end) = turn(rotation, self.tz, t.max(first));
        let mut out = Vec::new();
        for _ in 0..count {
            out.push((
                start,
                end,
                rotation.members[k.rem_euclid(n) as usize].clone(),
            ));
            (k, start, end) = turn(rotation, self.tz, end);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::escalation::{Hours, Rotation, Team};
    use crate::kpi::calendar::Calendar;
    use std::sync::Arc;

    fn at(tz: chrono_tz::Tz, s: &str) -> i64 {
        let naive = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        local_instant(tz, naive)
    }

    fn routes(tz: chrono_tz::Tz) -> Routes {
        let team = Team {
            id: "ops".into(),
            name: "Ops".into(),
            contacts: Vec::new(),
            rotation: Some(Rotation {
                members: vec!["Ann".into(), "Bob".into()],
                every: Every::Week,
                start: chrono::NaiveDateTime::parse_from_str("2026-03-02 09:00", "%Y-%m-%d %H:%M")
                    .unwrap(),
            }),
            overrides: Vec::new(),
        };
        Routes {
            tz,
            teams: vec![team],
            routes: Vec::new(),
            file: String::new(),
            edition: false,
        }
    }

    #[test]
    fn a_weekly_handover_stays_at_nine_across_a_change_of_the_clocks() {
        // New York moves its clocks on Sunday 2026-03-08: Bob's turn still starts at 09:00
        // local time on Monday the 9th, which is 13:00 UTC instead of 14:00.
        let tz = chrono_tz::America::New_York;
        let r = routes(tz);
        let team = &r.teams[0];
        let turns = r.turns(team, at(tz, "2026-03-05 12:00"), 3);
        assert_eq!(turns[0].1, at(tz, "2026-03-09 09:00"));
        assert_eq!(turns[0].1 - turns[0].0, 7 * 86_400 - 3_600);
        assert_eq!(turns[1].2, "Bob");
        assert_eq!(
            r.member_at(team, at(tz, "2026-03-09 08:59")).as_deref(),
            Some("Ann")
        );
        assert_eq!(
            r.member_at(team, at(tz, "2026-03-09 09:00")).as_deref(),
            Some("Bob")
        );
        // Before the first turn nobody is named, and the turns shown begin with the first.
        assert_eq!(r.member_at(team, at(tz, "2026-02-25 10:00")), None);
        let early = r.turns(team, at(tz, "2026-02-25 10:00"), 1);
        assert_eq!(
            (early[0].0, early[0].2.as_str()),
            (at(tz, "2026-03-02 09:00"), "Ann")
        );
    }

    #[test]
    fn a_handover_at_a_skipped_time_is_the_same_instant_whenever_it_is_asked() {
        // 2027-03-14 02:30 does not exist in New York; like every such time in opsite it is
        // read as 03:30 EDT. Between 03:00 and 03:30 the earlier member is still on duty.
        let tz = chrono_tz::America::New_York;
        let mut r = routes(tz);
        let rotation = r.teams[0].rotation.as_mut().unwrap();
        rotation.every = Every::Day;
        rotation.start =
            chrono::NaiveDateTime::parse_from_str("2027-03-01 02:30", "%Y-%m-%d %H:%M").unwrap();
        let team = &r.teams[0];
        let handover = at(tz, "2027-03-14 03:30");
        assert_eq!(r.turns(team, at(tz, "2027-03-13 12:00"), 1)[0].1, handover);
        let before = r.member_at(team, at(tz, "2027-03-14 03:15"));
        assert_eq!(before, r.member_at(team, at(tz, "2027-03-13 12:00")));
        assert_ne!(r.member_at(team, handover), before);
        assert_eq!(r.turns(team, at(tz, "2027-03-14 03:15"), 1)[0].1, handover);
    }

    #[test]
    fn a_level_without_an_outside_team_has_nobody_outside_its_hours() {
        let tz = chrono_tz::Asia::Tokyo;
        let r = routes(tz);
        let level = Level {
            name: "L1".into(),
            team: 0,
            hours: Hours {
                name: "always".into(),
                calendar: Arc::new(Calendar::Always),
            },
            outside: None,
            escalate_after: None,
            note: None,
        };
        let duty = r.duty(&level, at(tz, "2026-03-04 03:00"));
        assert_eq!(duty.team, Some(0));
        assert!(!duty.outside_hours);
        let route = Route {
            services: vec!["x".into()],
            any: false,
            levels: vec![level],
        };
        // Only the rotation changes anything: the next Monday 09:00.
        assert_eq!(
            r.valid_until(&route, at(tz, "2026-03-04 03:00")),
            Some(at(tz, "2026-03-09 09:00"))
        );
    }
}
