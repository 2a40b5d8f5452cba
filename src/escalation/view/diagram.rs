//! A route as Mermaid source: one box per level (its team, and the outside-hours team), linked
//! by the time after which a case goes up. Names are the writer's text: the characters Mermaid
//! reads as syntax inside a label are swapped for look-alikes (the table beside the drawing
//! keeps them exact), and the renderer's SVG is checked like any diagram's.

use super::LevelView;
use crate::i18n::report_words::Words;

/// A label's text safe inside `["…"]` and `|…|`, at most 80 characters.
fn label(text: &str) -> String {
    let long = text.chars().count() > 80;
    let text: String = text
        .chars()
        .map(|c| match c {
            '"' => '”',
            '|' => '｜',
            '<' => '‹',
            '>' => '›',
            '`' => '’',
            '#' => '＃',
            '&' => '＆',
            ';' => '；',
            // `--` and `==` start a link even inside a quoted label.
            '-' => '‐',
            '=' => '＝',
            '[' => '［',
            ']' => '］',
            '{' => '｛',
            '}' => '｝',
            c if c.is_control() => ' ',
            c => c,
        })
        .take(80)
        .collect();
    // Cut long names (the table beside the drawing has them whole), saying so.
    match long {
        true => format!("{}…", text.chars().take(79).collect::<String>()),
        false => text,
    }
}

pub fn mermaid(title: &str, levels: &[LevelView], t: &Words) -> String {
    let mut out = String::from("flowchart LR\n");
    out.push_str(&format!("  accTitle: {}\n", label(title)));
    for (i, l) in levels.iter().enumerate() {
        let mut text = format!("{} {}", l.name, label(&l.team.name));
        if let Some(o) = &l.outside {
            text.push_str(&format!(" / {}: {}", t.escalation_outside, label(&o.name)));
        }
        out.push_str(&format!("  L{i}[\"{text}\"]\n"));
    }
    for i in 1..levels.len() {
        let prev = &levels[i - 1];
        match &prev.escalate_after {
            Some(after) => out.push_str(&format!(
                "  L{} -->|{}| L{i}\n",
                i - 1,
                label(&t.escalation_unresolved.replace("{time}", after))
            )),
            None => out.push_str(&format!("  L{} --> L{i}\n", i - 1)),
        }
    }
    out
}
