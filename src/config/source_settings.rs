//! How a source's export is written and how much of it may be set aside: the CSV separators
//! (`delimiter`, `decimal_separator`) and the quarantine's limit (`max_quarantined`), each
//! typed so a value opsite cannot use is an error at its line.

use serde::Deserialize;

/// `data.<source>.max_quarantined` as written: a count or a percentage.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum QuarantineLimit {
    Count(usize),
    Written(String),
}

impl QuarantineLimit {
    /// The most rows of `read` that may be set aside, or why the setting cannot say.
    pub fn rows(&self, read: usize) -> Result<usize, String> {
        match self {
            QuarantineLimit::Count(n) => Ok(*n),
            QuarantineLimit::Written(text) => {
                let percent = (text.trim().strip_suffix('%'))
                    .and_then(|p| p.trim().parse::<f64>().ok())
                    .filter(|p| (0.0..=100.0).contains(p))
                    .ok_or_else(|| format!("`{text}`: write a count of rows (`50`) or a percentage of the rows read (`2%`)"))?;
                Ok((read as f64 * percent / 100.0).floor() as usize)
            }
        }
    }

    /// The setting as a message quotes it.
    pub fn written(&self) -> String {
        match self {
            QuarantineLimit::Count(n) => n.to_string(),
            QuarantineLimit::Written(t) => t.trim().to_string(),
        }
    }
}

/// `max_quarantined` when not set.
pub const DEFAULT_MAX_QUARANTINED: &str = "1%";

/// `data.<source>.delimiter`: the character between a CSV export's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum Delimiter {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ";")]
    Semicolon,
    #[serde(rename = "\t")]
    Tab,
    #[serde(rename = "|")]
    Pipe,
}

impl Delimiter {
    pub fn byte(self) -> u8 {
        match self {
            Delimiter::Comma => b',',
            Delimiter::Semicolon => b';',
            Delimiter::Tab => b'\t',
            Delimiter::Pipe => b'|',
        }
    }
}

/// `data.<source>.decimal_separator`: how a CSV export's numbers write their decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
pub enum DecimalSeparator {
    /// `3,871.69` (a comma groups thousands).
    #[default]
    #[serde(rename = ".")]
    Point,
    /// `3871,69` or `3.871,69` (a point or a space groups thousands).
    #[serde(rename = ",")]
    Comma,
}
