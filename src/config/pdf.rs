//! `pdf:` in site.yaml: who a printed report is from (the name and logo on its cover).

use std::path::PathBuf;

use serde::Deserialize;

use super::keys::Shape::{self, Any, Keys};

pub const SHAPE: Shape = Keys(&[("author", Any), ("logo", Any)]);

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PdfConfig {
    /// The service provider's name on the cover and in the document's metadata
    /// (「株式会社サンプル運用サービス」); the site's title when not set.
    pub author: Option<String>,
    /// An image (PNG, JPEG or SVG) for the cover, relative to the site root.
    pub logo: Option<PathBuf>,
}
