//! `opsite kpi --explain TICKET`: one ticket's clocks printed for a person, from
//! `kpi::explain` (the engine's own rules for one ticket).

use std::process::ExitCode;

use anyhow::anyhow;
use chrono::TimeZone;
use chrono_tz::Tz;

use crate::cli::KpiArgs;
use crate::config::kpi::KpiConfig;
use crate::kpi::explain::{explain, Explanation, Outcome};
use crate::kpi::period::Period;
use crate::kpi::tables::DataSet;

pub fn run(
    id: &str,
    args: &KpiArgs,
    config: &KpiConfig,
    data: &DataSet,
    (config_text, set_aside): (&str, SetAside),
) -> anyhow::Result<ExitCode> {
    if !matches!(args.format, crate::cli::KpiFormat::Table) {
        return Err(anyhow!(
            "--explain prints text for a person; --format does not apply to it"
        ));
    }
    let tz = crate::timezone::parse(&config.timezone).map_err(|e| anyhow!(e))?;
    let now = chrono::Utc::now().timestamp();
    let as_of = match (&args.as_of, &args.period) {
        (Some(s), _) => super::parse_as_of(s, tz).map_err(|e| anyhow!(e))?,
        (None, Some(p)) if !p.eq_ignore_ascii_case("all") => {
            let p = Period::parse(p, tz).map_err(|e| anyhow!("--period {e}"))?;
            now.min(p.end)
        }
        _ => now,
    };
    match explain(config, data, tz, id, as_of) {
        Err(errors) => {
            for e in &errors {
                eprintln!("{}", super::located(config_text, e));
            }
            Ok(ExitCode::from(1))
        }
        Ok(None) => {
            let known = data.tickets.id.iter();
            let hint = crate::config::keys::closest(id.trim(), known)
                .map(|c| format!(" (did you mean `{c}`?)"))
                .unwrap_or_default();
            Err(anyhow!(
                "--explain `{}`: no ticket has that id{hint}{}",
                id.trim(),
                set_aside.note()
            ))
        }
        Ok(Some(x)) => {
            print!("{}", text(&x, tz, as_of));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The ticket rows this run set aside, which `--explain` does not search: an id unknown to it
/// may be among them. (Which cell of a set-aside row is its id is not kept: a quarantined row's
/// other cells may name other tickets, so they are not searched either.)
pub struct SetAside {
    /// Rows quarantined (`.opsite/rejects/tickets.csv`).
    pub quarantined: usize,
    /// Rows left out by `data.tickets.exclude` (not kept anywhere).
    pub excluded: usize,
}

impl SetAside {
    /// `; 1 row(s) of tickets quarantined (…) and 2 left out by …, not searched`, or nothing.
    fn note(&self) -> String {
        let quarantined = (self.quarantined > 0).then(|| {
            format!(
                "{} quarantined (in {}/tickets.csv)",
                self.quarantined,
                crate::data::REJECTS_DIR
            )
        });
        let excluded = (self.excluded > 0)
            .then(|| format!("{} left out by data.tickets.exclude", self.excluded));
        let parts: Vec<String> = quarantined.into_iter().chain(excluded).collect();
        match parts.is_empty() {
            true => String::new(),
            false => format!("; row(s) of tickets {}: not searched", parts.join(" and ")),
        }
    }
}

/// The explanation as lines of text, times in the site's zone.
fn text(x: &Explanation, tz: Tz, as_of: i64) -> String {
    let at = |t: i64| {
        tz.timestamp_opt(t, 0).single().map_or_else(
            || t.to_string(),
            |d| d.format("%Y-%m-%d %H:%M:%S").to_string(),
        )
    };
    let maybe = |t: Option<i64>| t.map_or_else(|| "—".to_string(), at);
    let mut out = format!(
        "{}  priority {}  terms: {}\n  opened     {}\n  responded  {}\n  resolved   {}\n  as of      {} ({})\n",
        x.id,
        x.priority,
        x.contract.as_deref().map_or("sla (top level)".to_string(), |c| format!("contract {c}")),
        at(x.opened),
        maybe(x.responded),
        maybe(x.resolved),
        at(as_of),
        tz.name()
    );
    // The outcomes the reopen rate and first-contact resolution count, where mapped.
    if let Some(reopened) = x.reopened {
        out.push_str(&format!("  reopened   {}\n", maybe(reopened)));
    }
    if let Some(first) = x.first_contact {
        out.push_str(&format!(
            "  first contact  {}\n",
            if first { "yes" } else { "no" }
        ));
    }
    out.push_str(
        "  status events, in the order the rules take them (time, seq, the export's order):\n",
    );
    if x.events.is_empty() {
        out.push_str("    (none)\n");
    }
    for e in &x.events {
        let mark = if e.pauses { "   ← paused status" } else { "" };
        let seq = if e.seq != 0 {
            format!("  seq {}", e.seq)
        } else {
            String::new()
        };
        out.push_str(&format!("    {}{seq}  {}{mark}\n", at(e.at), e.status));
    }
    out.push_str("  paused:");
    if x.paused.is_empty() {
        out.push_str(" never\n");
    } else {
        out.push('\n');
        for &(a, b) in &x.paused {
            let end = if b >= i64::MAX / 8 {
                "(still paused)".to_string()
            } else {
                at(b)
            };
            out.push_str(&format!("    {} – {end}\n", at(a)));
        }
    }
    if x.clocks.is_empty() {
        out.push_str("  no SLA target is set for this priority\n");
    }
    for c in &x.clocks {
        let on = if c.business {
            "business hours"
        } else {
            "around the clock"
        };
        let outcome = match c.outcome {
            Outcome::Met => "met",
            Outcome::Breached => "breached",
            Outcome::Pending => "pending (undecided at the cut)",
            Outcome::NotOpened => "not counted yet (the ticket opens after the cut)",
        };
        out.push_str(&format!(
            "  {} clock: {} on {on}; counted {} until {}; deadline {} → {outcome}\n",
            c.kind.name(),
            duration(c.target_seconds, !c.business),
            duration(c.counted_seconds, !c.business),
            match c.stop {
                Some(s) if s <= c.deadline && s <= as_of => format!("the stop at {}", at(s)),
                _ if c.deadline <= as_of => "the deadline".to_string(),
                _ => "the cut".to_string(),
            },
            if c.deadline >= i64::MAX / 8 {
                "never (the calendar is never open)".to_string()
            } else {
                at(c.deadline)
            },
        ));
    }
    out
}

/// `2 h 30 min`, `45 min 10 s`, `1 d 2 h`: to the second, as the clocks count, so a clock
/// breached by a few seconds reads so.
/// Open hours of a business calendar are not days (3 business days of 9 h are `27 h`, not
/// `1 d 3 h`): `days` is false for them.
fn duration(secs: i64, days: bool) -> String {
    if (1..60).contains(&secs) {
        return format!("{secs} s");
    }
    let (d, h, m, s) = match days {
        true => (
            secs / 86_400,
            secs % 86_400 / 3600,
            secs % 3600 / 60,
            secs % 60,
        ),
        false => (0, secs / 3600, secs % 3600 / 60, secs % 60),
    };
    let mut parts = Vec::new();
    if d > 0 {
        parts.push(format!("{d} d"));
    }
    if h > 0 {
        parts.push(format!("{h} h"));
    }
    if m > 0 || parts.is_empty() {
        parts.push(format!("{m} min"));
    }
    if s > 0 {
        parts.push(format!("{s} s"));
    }
    parts.join(" ")
}
