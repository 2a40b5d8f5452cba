//! The Japanese font opsite carries, so chart images and PDFs draw Japanese text on a machine
//! with no Japanese font installed, and look the same on every machine: a subset of Noto Sans
//! CJK JP Regular (SIL Open Font License 1.1, `src/fonts/OFL.txt`) made by
//! `scripts/make-font.py`. A site may name its own font file instead (`email.font`).

use std::path::{Path, PathBuf};

/// The bundled font's bytes (TrueType outlines).
pub const BUNDLED: &[u8] = include_bytes!("NotoSansJP-opsite.ttf");

/// Its bold face, for printed documents (a browser emboldening the regular face by drawing
/// would leave its glyphs as pictures in the PDF).
pub const BUNDLED_BOLD: (&str, &[u8]) = (
    "NotoSansJP-opsite-Bold.ttf",
    include_bytes!("NotoSansJP-opsite-Bold.ttf"),
);

/// The name CSS gives the font in documents opsite prints (never a system font's name, so a
/// machine's own fonts cannot take its place).
pub const CSS_FAMILY: &str = "opsite-sans-jp";

/// The font to draw Japanese text with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Font {
    Bundled,
    /// A file the site names (absolute, or joined to the site root).
    File(PathBuf),
}

impl Font {
    /// `configured` (relative to the site root) when given, which must then exist; else the
    /// bundled font.
    pub fn chosen(configured: Option<&Path>, root: &Path, key: &str) -> Result<Font, String> {
        let Some(p) = configured else {
            return Ok(Font::Bundled);
        };
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        };
        if p.is_file() {
            Ok(Font::File(p))
        } else {
            Err(format!(
                "{key}: no font file at {} (give a TTF, OTF or TTC with Japanese glyphs, or leave the key out to use the font opsite carries)",
                p.display()
            ))
        }
    }

    /// The font's bytes.
    pub fn bytes(&self) -> Result<std::borrow::Cow<'static, [u8]>, String> {
        match self {
            Font::Bundled => Ok(BUNDLED.into()),
            Font::File(p) => std::fs::read(p)
                .map(Into::into)
                .map_err(|e| format!("cannot read font {}: {e}", p.display())),
        }
    }

    /// The file name a printed document refers to it by.
    pub fn file_name(&self) -> String {
        match self {
            Font::Bundled => "NotoSansJP-opsite.ttf".into(),
            Font::File(p) => format!(
                "site-font.{}",
                p.extension()
                    .and_then(|e| e.to_str())
                    .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
                    .unwrap_or("ttf")
            ),
        }
    }
}
