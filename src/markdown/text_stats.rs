//! Word count and reading time that work for Japanese (counted by character) and English (by word).

/// Japanese readers manage about 500 characters a minute, English readers about 200 words.
const CJK_CHARS_PER_MINUTE: usize = 500;
const WORDS_PER_MINUTE: usize = 200;

#[derive(Debug, Default)]
pub struct WordCounter {
    words: usize,
    cjk: usize,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F)
}

impl WordCounter {
    pub fn add(&mut self, text: &str) {
        let mut in_word = false;
        for c in text.chars() {
            if is_cjk(c) {
                self.cjk += 1;
                in_word = false;
            } else if c.is_alphanumeric() {
                if !in_word {
                    self.words += 1;
                }
                in_word = true;
            } else {
                in_word = false;
            }
        }
    }

    /// Reading time in whole minutes, at least one.
    pub fn minutes(&self) -> usize {
        let m = self.cjk as f64 / CJK_CHARS_PER_MINUTE as f64
            + self.words as f64 / WORDS_PER_MINUTE as f64;
        (m.ceil() as usize).max(1)
    }

    /// Words plus CJK characters, each CJK character counted as one.
    pub fn total(&self) -> usize {
        self.words + self.cjk
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_japanese_by_character_and_english_by_word() {
        let mut w = WordCounter::default();
        w.add("日次点検 and weekly review");
        assert_eq!(w.total(), 4 + 3);
    }
}
