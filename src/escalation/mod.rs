//! Escalation routes and on-call duty from data (`data/escalation.yaml`, or `escalation:` in
//! site.yaml): teams with their contacts and rotations, and per service the levels L1, L2, L3
//! with the team on duty within the level's hours (a business calendar), the team outside them
//! and the time after which a case goes up a level. Read once per build into typed routes
//! (`parse`), asked who is on duty at an instant and until when (`duty`), checked against the
//! services the data names (`check`) and laid out for the `escalation` and `oncall` shortcodes
//! (`view`). Pure: the text comes in, values and located problems go out.

pub mod check;
pub mod duty;
mod parse;
mod parse_routes;
mod text;
pub mod view;

use std::sync::Arc;

use chrono_tz::Tz;

use crate::kpi::calendar::Calendar;

pub use parse::{read, Place};

/// Where routes are read from when site.yaml has no `escalation:` section.
pub const DEFAULT_FILE: &str = "data/escalation.yaml";

/// A build's routes: none written, written with mistakes (reported; the shortcodes then draw
/// nothing rather than part of them), or ready.
#[derive(Debug, Clone, Default)]
pub enum SiteRoutes {
    #[default]
    None,
    Failed,
    Ready(Arc<Routes>),
}

impl SiteRoutes {
    /// What a customer edition shows (see `Routes::for_edition`).
    pub fn for_edition(&self, services: Option<&[String]>) -> SiteRoutes {
        match self {
            SiteRoutes::Ready(r) => SiteRoutes::Ready(Arc::new(r.for_edition(services))),
            other => other.clone(),
        }
    }
}

/// The routes of a site, checked: every team a level names exists, every calendar is known.
#[derive(Debug, Clone)]
pub struct Routes {
    pub tz: Tz,
    /// Sorted by id.
    pub teams: Vec<Team>,
    /// As written; at most one names `*` (every service no other route names).
    pub routes: Vec<Route>,
    /// The file they were read from, as the site's writer names it (`data/escalation.yaml`).
    pub file: String,
    /// Cut for a customer edition: no internal contacts, no members' names.
    pub edition: bool,
}

#[derive(Debug, Clone)]
pub struct Team {
    pub id: String,
    pub name: String,
    pub contacts: Vec<Contact>,
    pub rotation: Option<Rotation>,
    /// Someone else on duty for a while (a swap, a holiday), in time order.
    pub overrides: Vec<Override>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    Phone,
    Email,
    Chat,
    Url,
    Pager,
}

impl ContactKind {
    pub const ALL: [(&'static str, ContactKind); 5] = [
        ("phone", ContactKind::Phone),
        ("email", ContactKind::Email),
        ("chat", ContactKind::Chat),
        ("url", ContactKind::Url),
        ("pager", ContactKind::Pager),
    ];
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub kind: ContactKind,
    pub value: String,
    pub label: Option<String>,
    /// Not shown in customer editions (an engineer's own phone).
    pub internal: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Every {
    Day,
    Week,
}

/// Members take turns: the first from `start` (site time), each for a day or a week, handing
/// over at the same wall-clock time.
#[derive(Debug, Clone)]
pub struct Rotation {
    pub members: Vec<String>,
    pub every: Every,
    pub start: chrono::NaiveDateTime,
}

#[derive(Debug, Clone)]
pub struct Override {
    pub member: String,
    /// UTC seconds, `[from, to)`.
    pub from: i64,
    pub to: i64,
}

#[derive(Debug, Clone)]
pub struct Route {
    /// The services it is for (empty when `any`).
    pub services: Vec<String>,
    /// `services: "*"`: every service no other route names.
    pub any: bool,
    /// L1 first.
    pub levels: Vec<Level>,
}

#[derive(Debug, Clone)]
pub struct Level {
    /// `L1`, `L2` …
    pub name: String,
    /// Index in `Routes::teams`.
    pub team: usize,
    pub hours: Hours,
    /// The team that answers outside `hours` (None: nobody at this level then).
    pub outside: Option<usize>,
    /// Seconds after which an unresolved case goes to the next level.
    pub escalate_after: Option<i64>,
    pub note: Option<String>,
}

/// A level's hours: a calendar of `calendars:` or `always`.
#[derive(Debug, Clone)]
pub struct Hours {
    pub name: String,
    pub calendar: Arc<Calendar>,
}

impl Routes {
    /// The route a service follows: its own, else the `*` route.
    pub fn route_for(&self, service: &str) -> Option<&Route> {
        (self.routes.iter())
            .find(|r| r.services.iter().any(|s| s == service))
            .or_else(|| self.routes.iter().find(|r| r.any))
    }

    /// The routes a customer edition shows: those of its services (a `*` route stays when one
    /// of its services has no route of its own), each naming only the customer's services,
    /// without internal contacts. `services` None: every route.
    pub fn for_edition(&self, services: Option<&[String]>) -> Routes {
        let mut out = self.clone();
        out.edition = true;
        for team in &mut out.teams {
            team.contacts.retain(|c| !c.internal);
        }
        let Some(services) = services else {
            return out;
        };
        let unrouted: Vec<String> = (services.iter())
            .filter(|s| !self.routes.iter().any(|r| r.services.contains(s)))
            .cloned()
            .collect();
        out.routes.retain_mut(|r| {
            if r.any {
                // Named by the customer's own services: "other services" would hint at others'.
                r.any = false;
                r.services = unrouted.clone();
            } else {
                r.services.retain(|s| services.contains(s));
            }
            !r.services.is_empty()
        });
        out
    }
}
