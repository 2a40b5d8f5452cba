//! How deep a YAML text nests, read with the parser serde_yaml itself uses (libyaml) and stopped
//! at the first list or map past the limit. serde_yaml collects a whole document's events before
//! its own recursion limit applies, and libyaml slows down quadratically with flow depth, so
//! 100,000 `[` took most of a minute to be refused. Stopped early the read stays linear, and the
//! same parser sees exactly the structure serde_yaml would: brackets in quoted strings, comments
//! and block scalars do not count, and indentation does (block lists and maps are levels too).

use std::marker::PhantomData;
use std::mem::MaybeUninit;

use unsafe_libyaml as sys;

/// Where the first list or map deeper than `limit` levels starts (0-based line and column,
/// columns in characters), or None when the text nests no deeper or is not valid YAML (serde_yaml
/// then reports the syntax error itself). The top-level map of a document is level 1.
pub(super) fn first_too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut events = Events::new(text)?;
    let mut depth = 0usize;
    loop {
        match events.next()? {
            (Kind::CollectionStart, mark) => {
                depth += 1;
                if depth > limit {
                    return Some((mark.line as usize, mark.column as usize));
                }
            }
            (Kind::CollectionEnd, _) => depth = depth.saturating_sub(1),
            (Kind::StreamEnd, _) => return None,
            (Kind::Other, _) => {}
        }
    }
}

enum Kind {
    CollectionStart,
    CollectionEnd,
    StreamEnd,
    Other,
}

/// libyaml's event parser over a borrowed text.
struct Events<'t> {
    /// Boxed so it never moves: for string input libyaml keeps a pointer to the parser inside it.
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    /// libyaml reported an error: the parser must not be asked again.
    failed: bool,
    _text: PhantomData<&'t str>,
}

impl<'t> Events<'t> {
    fn new(text: &'t str) -> Option<Events<'t>> {
        let mut parser = Box::new(MaybeUninit::<sys::yaml_parser_t>::uninit());
        let p = parser.as_mut_ptr();
        // SAFETY: `p` is valid, writable memory that stays where it is for the parser's life;
        // `yaml_parser_initialize` fills it (and frees what it allocated if it fails). The input
        // pointer and length come from `text`, which outlives the parser (`'t`).
        unsafe {
            if sys::yaml_parser_initialize(p).fail {
                return None;
            }
            sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(p, text.as_ptr(), text.len() as u64);
        }
        Some(Events {
            parser,
            failed: false,
            _text: PhantomData,
        })
    }

    /// The next event's kind and where it starts; None after a syntax error.
    fn next(&mut self) -> Option<(Kind, sys::yaml_mark_t)> {
        let p = self.parser.as_mut_ptr();
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        if self.failed {
            return None;
        }
        // SAFETY: the parser was initialised in `new` and is not used after an error; a parsed
        // event is read, then deleted once, before the next call.
        unsafe {
            if sys::yaml_parser_parse(p, event.as_mut_ptr()).fail {
                self.failed = true;
                return None;
            }
            let event = event.as_mut_ptr();
            let kind = match (*event).type_ {
                sys::YAML_SEQUENCE_START_EVENT | sys::YAML_MAPPING_START_EVENT => {
                    Kind::CollectionStart
                }
                sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => Kind::CollectionEnd,
                sys::YAML_STREAM_END_EVENT => Kind::StreamEnd,
                _ => Kind::Other,
            };
            let mark = (*event).start_mark;
            sys::yaml_event_delete(event);
            Some((kind, mark))
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: initialised in `new` (a failed initialisation never builds an `Events`), and
        // deleted only here.
        unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_flow_and_block_levels_from_the_top_level_map() {
        assert_eq!(first_too_deep("a: [[1]]\n", 3), None);
        assert_eq!(first_too_deep("a: [[1]]\n", 2), Some((0, 4)));
        assert_eq!(first_too_deep("a:\n  b:\n    - c\n", 2), Some((2, 4)));
        assert_eq!(first_too_deep("a:\n- - - x\n", 3), Some((1, 4)));
    }

    #[test]
    fn brackets_in_strings_comments_and_block_scalars_are_text() {
        let text = "a: \"[[[[\"\nb: '{{{{' # [[[[\nc: |\n  [[[[[[\n  {{{{{\nd: x[[[[\n";
        assert_eq!(first_too_deep(text, 1), None);
    }

    #[test]
    fn a_syntax_error_is_left_to_the_parser() {
        assert_eq!(first_too_deep("a: [1, 2\n", 5), None);
        assert_eq!(first_too_deep("a: [[[[[[\n", 5), Some((0, 7)));
    }

    #[test]
    fn a_hundred_thousand_brackets_are_refused_at_once() {
        let text = format!("a: {}", "[".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(first_too_deep(&text, 64), Some((0, 66)));
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }
}
