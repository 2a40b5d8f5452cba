//! opsite: text is measured without fonts. The published crate loads the system's fonts to
//! measure labels and writes a copy of the chosen font under `~/.cache/mmdr/`: the layout then
//! depends on the machine's fonts, and a build writes outside its site. Here every measurement
//! answers "unknown", so the crate's own estimate is used (a wide, CJK, character is one em, the
//! others by class): the same bytes on every machine, and nothing written.

pub fn measure_text_width(_text: &str, _font_size: f32, _font_family: &str) -> Option<f32> {
    None
}

pub fn average_char_width(_font_family: &str, _font_size: f32) -> Option<f32> {
    None
}
