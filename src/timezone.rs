//! The site's time zone, read from `timezone:` in site.yaml. Content dates, data timestamps and
//! reporting periods all use it, so it lives apart from any one of them.

use chrono_tz::Tz;

/// `Asia/Tokyo` → the zone; an unknown name is a message for site.yaml. Spaces around the name
/// are not part of it, a full-width one (U+3000) included: it shows as nothing.
pub fn parse(name: &str) -> Result<Tz, String> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| format!("timezone: `{name}` is not a known time zone (e.g. Asia/Tokyo)"))
}
