//! Chart images for email: mail clients do not show inline SVG, so the report's charts are drawn
//! to PNG (charts-rs, through resvg). Its bundled font has no Japanese glyphs, so a Japanese
//! font is loaded first: `email.font` when the site names one, else the one opsite carries
//! (`crate::fonts`).

use std::sync::OnceLock;

use crate::fonts::Font;

/// Load the font into charts-rs once per process (later calls with another font are ignored).
pub fn load_font(font: &Font) -> Result<(), String> {
    static LOADED: OnceLock<Result<(), String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            let bytes = font.bytes()?;
            charts_rs::add_fonts(&[&bytes]).map_err(|e| format!("font {font:?}: {e}"))
        })
        .clone()
}

/// An SVG chart as PNG, `width` pixels wide (height kept in proportion).
pub fn png(svg: &str, width: u32) -> Result<Vec<u8>, String> {
    charts_rs::svg_to_png_with_size(svg, Some(width), None).map_err(|e| e.to_string())
}
