//! Source settings that serde accepts but that cannot work: a `timestamp_format` chrono cannot
//! read, a field mapped to an empty list of columns, `covers.from` outside the years opsite works
//! with. Each is an error at its line in site.yaml, found before any export is read, so the
//! cause comes first instead of one row error per line of the export.

use super::Collector;
use crate::config::keys::Step;
use crate::config::kpi::{ColumnNames, DataConfig, SourceConfig};
use crate::error::{Code, Diagnostic};
use crate::kpi::zone::LocalZone;
use std::collections::BTreeMap;

/// The time zone each source's local times are read in: the site's, or the source's own
/// `timezone` (metrics exported in UTC beside tickets in local time).
pub(crate) struct Zones {
    site: LocalZone,
    own: BTreeMap<String, LocalZone>,
}

impl Zones {
    pub(crate) fn of(&self, cfg: &SourceConfig) -> &LocalZone {
        cfg.timezone
            .as_ref()
            .and_then(|name| self.own.get(name))
            .unwrap_or(&self.site)
    }
}

/// Check every configured source, and make the zones they are read in; none when any setting
/// is wrong (the errors are in `c`).
pub(crate) fn check_all(d: &DataConfig, site: LocalZone, c: &mut Collector) -> Option<Zones> {
    let before = c.errors.len();
    let mut zones = Zones {
        site,
        own: BTreeMap::new(),
    };
    for (path, label, cfg) in sources(d) {
        let Some(name) = &cfg.timezone else { continue };
        match crate::timezone::parse(name) {
            Ok(tz) => {
                zones
                    .own
                    .entry(name.clone())
                    .or_insert_with(|| LocalZone::new(tz));
            }
            Err(e) => push_error(
                c,
                &path,
                &label,
                "timezone",
                e.trim_start_matches("timezone: ").to_string(),
            ),
        }
    }
    check_settings(d, c);
    (c.errors.len() == before).then_some(zones)
}

/// Every source configured: where it is in site.yaml, its name in messages, its settings.
fn sources(d: &DataConfig) -> Vec<(Vec<Step>, String, &SourceConfig)> {
    (d.sources().into_iter())
        .map(|(key, index, source)| match index {
            None => (vec![Step::Key(key.into())], key.to_string(), source),
            Some(k) => (
                vec![Step::Key(key.into()), Step::Index(k)],
                format!("{key}[{k}]"),
                source,
            ),
        })
        .collect()
}

/// Every setting of every source checked (the errors go into `c`).
fn check_settings(d: &DataConfig, c: &mut Collector) {
    let events_configured = d.ticket_events.is_some();
    for (path, label, cfg) in sources(d) {
        check(&path, &label, cfg, events_configured, c);
    }
    for (k, m) in d.metrics.iter().enumerate() {
        if m.service.is_some() && m.is_mapped("service") {
            let path = [Step::Key("metrics".into()), Step::Index(k)];
            let message = "the source gives service both here and under columns; keep one";
            push_error(
                c,
                &path,
                &format!("metrics[{k}]"),
                "service",
                message.into(),
            );
        }
    }
}

/// An error at `data.<path>.<setting>` (a dotted setting such as `columns.resolved` is found at
/// its own line when it has one), saying `data.<label>.<first part of setting>: <message>`.
fn push_error(c: &mut Collector, path: &[Step], label: &str, setting: &str, message: String) {
    let mut keys = vec![Step::Key("data".into())];
    keys.extend_from_slice(path);
    keys.extend(setting.split('.').map(|k| Step::Key(k.into())));
    let at = c.config_key(&keys);
    let setting = setting.split('.').next().unwrap_or(setting);
    c.errors.push(Diagnostic::error(
        Code::Config,
        at,
        format!("data.{label}.{setting}: {message}"),
    ));
}

fn check(
    path: &[Step],
    name: &str,
    cfg: &SourceConfig,
    events_configured: bool,
    c: &mut Collector,
) {
    if let Some(f) = &cfg.timestamp_format {
        if let Err(m) = format_problem(f) {
            push_error(c, path, name, "timestamp_format", m);
        }
    }
    check_columns(path, name, cfg, events_configured, c);
    if let Some(Err(e)) = cfg.max_quarantined.as_ref().map(|l| l.rows(0)) {
        push_error(c, path, name, "max_quarantined", e);
    }
    // CSV settings on an export that is Parquet would be silently ignored.
    let parquet =
        (cfg.files.list().iter()).any(|g| super::read::is_parquet(std::path::Path::new(g)));
    for (set, setting) in [
        (cfg.delimiter.is_some(), "delimiter"),
        (cfg.decimal_separator.is_some(), "decimal_separator"),
    ] {
        if set && parquet {
            let message = "is for CSV exports; a Parquet file has typed columns: remove it".into();
            push_error(c, path, name, setting, message);
        }
    }
    let fields = super::ticket_rows::EXCLUDE_FIELDS.len();
    if cfg.exclude.0.len() > fields {
        let message = format!(
            "{} conditions; at most {fields} (a condition's values may list many)",
            cfg.exclude.0.len()
        );
        push_error(c, path, name, "exclude", message);
    }
    for (n, rule) in cfg.exclude.0.iter().enumerate() {
        if rule.column.trim().is_empty() || rule.values.is_empty() {
            let message = "each condition names a column and the values that leave a row out: {column: Status, values: [Cancelled, Test]}";
            push_error(c, path, name, &format!("exclude.{n}"), message.into());
        }
    }
    if let Some(values) = &cfg.first_contact_values {
        if values.iter().all(|v| v.trim().is_empty()) {
            let message = "lists no value: every ticket would read as not resolved at first contact; list the export's yes values, or remove it for the default".into();
            push_error(c, path, name, "first_contact_values", message);
        } else if !cfg.is_mapped("first_contact") {
            let mut keys = vec![Step::Key("data".into())];
            keys.extend_from_slice(path);
            keys.push(Step::Key("first_contact_values".into()));
            let at = c.config_key(&keys);
            let message = format!("data.{name}.first_contact_values: is not read: columns maps no first_contact column");
            c.warnings
                .push(Diagnostic::warning(Code::Config, at, message));
        }
    }
    if let Some(covers) = &cfg.covers {
        use chrono::Datelike;
        let (first, last) = crate::kpi::zone::LocalZone::year_range();
        if !(first..=last).contains(&covers.from.year()) {
            let message = format!(
                "from {} is outside the years {first} to {last} opsite works with",
                covers.from
            );
            push_error(c, path, name, "covers", message);
        }
    }
}

/// Each field under `columns`: one the source has, naming at least one column, and
/// `first_status` only where it can work.
fn check_columns(
    path: &[Step],
    name: &str,
    cfg: &SourceConfig,
    events_configured: bool,
    c: &mut Collector,
) {
    let fields = fields_of(path);
    for (field, columns) in &cfg.columns {
        let setting = format!("columns.{field}");
        if (name, field.as_str()) == ("tickets", "status") {
            let at = c.setting_key(path, "columns");
            c.warnings.push(Diagnostic::warning(
                Code::Config,
                at,
                "data.tickets.columns: status is not read: statuses count only from the status history (data.ticket_events); remove it",
            ));
            continue;
        }
        if !fields.contains(&field.as_str()) {
            // `resolved` for `resolved_at` is too far for the spelling distance.
            let hint = crate::config::keys::closest(field, fields.iter().copied())
                .or_else(|| {
                    fields
                        .iter()
                        .copied()
                        .find(|f| f.starts_with(field.as_str()))
                })
                .map(|f| format!(" (did you mean {f}?)"))
                .unwrap_or_default();
            let message = format!(
                "{field} is not a field of this source{hint}; its fields are {}",
                fields.join(", ")
            );
            push_error(c, path, name, &setting, message);
            continue;
        }
        let problem = match columns {
            ColumnNames::FirstStatus { .. }
                if name != "tickets" || !["responded_at", "reopened_at"].contains(&field.as_str()) =>
            {
                Some(format!("{field}: first_status derives tickets' responded_at and reopened_at alone"))
            }
            ColumnNames::FirstStatus { first_status } if first_status.is_empty() => {
                Some(format!("{field}: first_status names no status"))
            }
            ColumnNames::FirstStatus { .. } if !events_configured => Some(
                format!("{field}: first_status reads the status history: data.ticket_events is not configured"),
            ),
            ColumnNames::FirstStatus { .. } => None,
            _ if columns.all().is_empty() => Some(format!(
                "{field} names no column (an empty list); name one, or leave {field} out"
            )),
            _ => None,
        };
        if let Some(message) = problem {
            push_error(c, path, name, &setting, message);
        }
    }
}

/// The canonical fields a source's `columns` may map (the README's list).
fn fields_of(path: &[Step]) -> &'static [&'static str] {
    match path.first() {
        Some(Step::Key(k)) => match k.as_str() {
            "tickets" => &[
                "id",
                "priority",
                "opened_at",
                "responded_at",
                "resolved_at",
                "category",
                "tier",
                "title",
                "customer",
                "reopened_at",
                "first_contact",
            ],
            "ticket_events" => &["id", "status", "at", "seq"],
            "downtime" => &["service", "start", "end", "planned"],
            "surveys" => &["at", "csat", "nps"],
            "api_usage" => &["date", "user", "calls", "cost"],
            _ => &["at", "value", "service", "name"],
        },
        _ => &[],
    }
}

/// Why chrono cannot use `format` to read times, if it cannot.
fn format_problem(format: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if format.trim().is_empty() {
        return Err("is empty; write a chrono format such as \"%d/%m/%Y %H:%M\"".into());
    }
    if StrftimeItems::new(format).any(|i| matches!(i, Item::Error)) {
        return Err(format!(
            "{format:?} is not a format chrono can read (a `%` must start a known specifier such as %Y %m %d %H %M %S; write %% for a percent sign)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::format_problem;

    #[test]
    fn formats_chrono_cannot_read_are_named() {
        assert!(format_problem("%d/%m/%Y %H:%M").is_ok());
        assert!(format_problem("%Y年%m月%d日 %H時%M分").is_ok());
        assert!(format_problem("100%% %Y").is_ok());
        assert!(format_problem("%Q").is_err());
        assert!(format_problem("%d/%m/%Y %H:%M%").is_err());
        assert!(format_problem(" ").is_err());
    }
}
