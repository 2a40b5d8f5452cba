//! Chart images for email: mail clients do not show inline SVG, so the report's charts are drawn
//! to PNG (charts-rs, through resvg). Its bundled font has no Japanese glyphs, so a Japanese
//! font is loaded first: `email.font`, else one found in the usual system font folders; with
//! none, an error naming the package to install and the key to set.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Fonts with Japanese glyphs, in the order they are tried.
const CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/System/Library/Fonts/ヒラギノ角ゴシック W3.ttc",
    "/System/Library/Fonts/Hiragino Sans GB.ttc",
    "C:\\Windows\\Fonts\\YuGothR.ttc",
    "C:\\Windows\\Fonts\\meiryo.ttc",
    "C:\\Windows\\Fonts\\msgothic.ttc",
];

/// The font file to draw Japanese labels with.
pub fn find_font(configured: Option<&Path>, root: &Path) -> Result<PathBuf, String> {
    if let Some(p) = configured {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            root.join(p)
        };
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!(
                "email.font: no font file at {} (give a TTF, OTF or TTC with Japanese glyphs)",
                p.display()
            ))
        };
    }
    CANDIDATES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "no Japanese font found for the chart images: install one (Debian/Ubuntu: `apt-get install fonts-noto-cjk`, or fonts-ipafont-gothic) or set `email.font: /path/to/font.ttc` in site.yaml".to_string()
        })
}

/// Load the font into charts-rs once per process (later calls with another path are ignored).
pub fn load_font(path: &Path) -> Result<(), String> {
    static LOADED: OnceLock<Result<(), String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read font {}: {e}", path.display()))?;
            charts_rs::add_fonts(&[&bytes]).map_err(|e| format!("font {}: {e}", path.display()))
        })
        .clone()
}

/// An SVG chart as PNG, `width` pixels wide (height kept in proportion).
pub fn png(svg: &str, width: u32) -> Result<Vec<u8>, String> {
    charts_rs::svg_to_png_with_size(svg, Some(width), None).map_err(|e| e.to_string())
}
