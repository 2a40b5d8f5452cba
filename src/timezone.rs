//! The site's time zone, read from `timezone:` in site.yaml. Content dates, data timestamps and
//! reporting periods all use it, so it lives apart from any one of them.

use chrono_tz::Tz;

/// `Asia/Tokyo` → the zone; an unknown name is a message for site.yaml.
pub fn parse(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>()
        .map_err(|_| format!("timezone: `{name}` is not a known time zone (e.g. Asia/Tokyo)"))
}
