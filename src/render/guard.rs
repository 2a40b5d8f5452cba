//! Bounds on one template render, so a runaway template is a located error instead of a crash or
//! an exhausted machine. Tera has no limits of its own: `range(end=100000000)` built a list of a
//! hundred million numbers (9 GB), `range` with `step_by=0` never ended, and a macro that calls
//! itself recursed until the stack overflowed, which aborts the process (a preview server too).
//! Here: `range` is replaced by one that hands out at most `RANGE_BUDGET` numbers per render, every
//! macro body counts its depth and stops past `MAX_MACRO_DEPTH`, and the output of a render stops
//! at `MAX_OUTPUT_BYTES`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;

use serde_json::Value;
use tera::ast::{Expr, ExprVal, FunctionCall, Node, WS};
use tera::Tera;

use super::theme::TemplateSource;

/// Numbers `range` may hand out during one render, all calls together: loops over ranges nested
/// in each other are bounded too.
pub const RANGE_BUDGET: usize = 1_000_000;

/// How deep macros may call macros (a macro calling itself counts each time). The default theme's
/// navigation goes one level per folder; each level takes some stack, and 100 stay far inside
/// the stack of a worker thread.
pub const MAX_MACRO_DEPTH: usize = 100;

/// The largest output one render may produce (a page, a navigation fragment, a shortcode).
pub const MAX_OUTPUT_BYTES: usize = 100_000_000;

const ENTER_MACRO: &str = "__opsite_enter_macro";
const LEAVE_MACRO: &str = "__opsite_leave_macro";

/// What the render running on this thread has used, and the first limit it went past.
#[derive(Default)]
struct Usage {
    range_numbers: usize,
    macro_depth: usize,
    exceeded: Option<String>,
}

thread_local! {
    /// Tera calls functions with their arguments only; the render they belong to is the one
    /// running on this thread.
    static USAGE: RefCell<Option<Usage>> = const { RefCell::new(None) };
}

/// Note the first limit a render goes past; its message replaces tera's.
fn exceed(message: String) -> tera::Error {
    USAGE.with(|u| {
        if let Some(usage) = u.borrow_mut().as_mut() {
            usage.exceeded.get_or_insert(message.clone());
        }
    });
    tera::Error::msg(message)
}

/// Render `name` with the limits above. A limit gone past is the error, in plain words.
pub fn render(tera: &Tera, name: &str, context: &tera::Context) -> tera::Result<String> {
    // A render inside a render (none today) keeps the outer one's usage apart.
    let outer = USAGE.with(|u| u.replace(Some(Usage::default())));
    let mut output = CappedOutput::default();
    let result = tera.render_to(name, context, &mut output);
    let usage = USAGE.with(|u| u.replace(outer)).unwrap_or_default();
    if let Some(message) = usage.exceeded {
        return Err(tera::Error::msg(message));
    }
    if output.overflowed {
        return Err(tera::Error::msg(format!(
            "the output of {name} grew past {} MB, the limit of one rendered template: does a loop run away?",
            MAX_OUTPUT_BYTES / 1_000_000
        )));
    }
    result?;
    String::from_utf8(output.bytes)
        .map_err(|e| tera::Error::msg(format!("the output of {name} is not UTF-8: {e}")))
}

/// Render a template written in the site's configuration (an email subject), without escaping,
/// with the same limits; `source.origin` names where it is written, for errors in its macros.
pub fn render_one_off(source: &TemplateSource, context: &tera::Context) -> tera::Result<String> {
    let mut tera = Tera::default();
    tera.add_raw_template(&source.name, &source.text)?;
    register(&mut tera);
    count_macro_depth(&mut tera, std::slice::from_ref(source));
    render(&tera, &source.name, context)
}

/// A render's output, refusing to grow past `MAX_OUTPUT_BYTES`.
#[derive(Default)]
struct CappedOutput {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl Write for CappedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.overflowed = true;
            return Err(std::io::Error::other("output limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Replace tera's `range` with the bounded one and register the macro depth counters.
pub fn register(tera: &mut Tera) {
    tera.register_function("range", bounded_range);
    // Templates never read the environment: it holds the relay's password and other secrets.
    tera.register_function("get_env", |_: &HashMap<String, Value>| {
        Err(tera::Error::msg(
            "`get_env` is not available: templates do not read the environment",
        ))
    });
    tera.register_function(ENTER_MACRO, enter_macro);
    tera.register_function(LEAVE_MACRO, leave_macro);
}

/// Tera's `range` (`end`, optional `start` and `step_by`), charged to the render's budget.
fn bounded_range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let number = |key: &str, default: Option<usize>| -> tera::Result<usize> {
        match args.get(key) {
            Some(v) => v.as_u64().map(|n| n as usize).ok_or_else(|| {
                tera::Error::msg(format!(
                    "Function `range` received {key}={v} but `{key}` can only be a number"
                ))
            }),
            None => default.ok_or_else(|| {
                tera::Error::msg("Function `range` was called without a `end` argument")
            }),
        }
    };
    let start = number("start", Some(0))?;
    let end = number("end", None)?;
    let step_by = number("step_by", Some(1))?;
    if start > end {
        return Err(tera::Error::msg(
            "Function `range` was called with a `start` argument greater than the `end` one",
        ));
    }
    if step_by == 0 {
        return Err(tera::Error::msg(
            "Function `range` was called with `step_by=0`, which never reaches `end`",
        ));
    }
    let count = (end - start).div_ceil(step_by);
    let used = USAGE.with(|u| {
        let mut u = u.borrow_mut();
        match u.as_mut() {
            Some(usage) => {
                usage.range_numbers = usage.range_numbers.saturating_add(count);
                usage.range_numbers
            }
            None => count,
        }
    });
    if used > RANGE_BUDGET {
        return Err(exceed(format!(
            "range(start={start}, end={end}, step_by={step_by}) would make this render loop over more than {RANGE_BUDGET} numbers from `range` (the limit of one render)"
        )));
    }
    Ok(Value::Array(
        (start..end).step_by(step_by).map(Value::from).collect(),
    ))
}

fn enter_macro(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let depth = USAGE.with(|u| {
        u.borrow_mut().as_mut().map_or(0, |usage| {
            usage.macro_depth += 1;
            usage.macro_depth
        })
    });
    if depth > MAX_MACRO_DEPTH {
        let which = args
            .get("macro")
            .and_then(Value::as_str)
            .unwrap_or("a macro");
        return Err(exceed(format!(
            "{which} runs more than {MAX_MACRO_DEPTH} macro calls deep (the limit): does it call itself without end?"
        )));
    }
    Ok(Value::String(String::new()))
}

fn leave_macro(_: &HashMap<String, Value>) -> tera::Result<Value> {
    USAGE.with(|u| {
        if let Some(usage) = u.borrow_mut().as_mut() {
            usage.macro_depth = usage.macro_depth.saturating_sub(1);
        }
    });
    Ok(Value::String(String::new()))
}

/// Make every macro body count its depth: a call to the enter counter first (naming the macro and
/// where it is defined), one to the leave counter last. Tera gives no other hook into a macro
/// call; its parsed templates are public (if hidden from its documentation) and opsite pins tera's
/// version, so the AST is edited here once, before any render.
pub fn count_macro_depth(tera: &mut Tera, sources: &[TemplateSource]) {
    for (name, template) in tera.templates.iter_mut() {
        let text = sources
            .iter()
            .find(|s| &s.name == name)
            .map(|s| (s.text.as_str(), s.origin.display().to_string()));
        for (macro_name, definition) in template.macros.iter_mut() {
            let place = match &text {
                Some((text, origin)) => match macro_line(text, macro_name) {
                    Some(line) => format!("{origin}:{line}"),
                    None => origin.clone(),
                },
                None => name.clone(),
            };
            let label = format!("macro `{macro_name}` ({place})");
            definition
                .body
                .insert(0, counter_call(ENTER_MACRO, Some(label)));
            definition.body.push(counter_call(LEAVE_MACRO, None));
        }
    }
}

/// `{{ counter(macro="…") }}`, which renders as nothing.
fn counter_call(function: &str, label: Option<String>) -> Node {
    let args = label
        .map(|l| ("macro".to_string(), Expr::new(ExprVal::String(l))))
        .into_iter()
        .collect();
    Node::VariableBlock(
        WS::default(),
        Expr::new(ExprVal::FunctionCall(FunctionCall {
            name: function.to_string(),
            args,
        })),
    )
}

/// The line (1-based) of `{% macro name(` in a template's text.
fn macro_line(text: &str, name: &str) -> Option<usize> {
    text.match_indices("macro").find_map(|(at, _)| {
        let rest = text[at + "macro".len()..].trim_start();
        let after = rest.strip_prefix(name)?;
        let opens_tag = text[..at].trim_end().trim_end_matches('-').ends_with("{%");
        (opens_tag && after.trim_start().starts_with('('))
            .then(|| text[..at].matches('\n').count() + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn templates(files: &[(&str, &str)]) -> Tera {
        let mut tera = Tera::default();
        tera.add_raw_templates(files.to_vec()).unwrap();
        register(&mut tera);
        let sources: Vec<TemplateSource> = files
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                text: text.to_string(),
                origin: PathBuf::from("templates").join(name),
            })
            .collect();
        count_macro_depth(&mut tera, &sources);
        tera
    }

    fn nested(depth: usize) -> tera::Context {
        let mut tree = serde_json::json!([]);
        for _ in 0..depth {
            tree = serde_json::json!([{ "children": tree }]);
        }
        tera::Context::from_serialize(serde_json::json!({ "tree": tree })).unwrap()
    }

    const TREE: &str = "{% macro tree(nodes) %}<ul>{% for n in nodes %}<li>{{ self::tree(nodes=n.children) }}</li>{% endfor %}</ul>{% endmacro tree %}";

    #[test]
    fn a_macro_that_calls_itself_forever_is_an_error_naming_it() {
        let tera = templates(&[
            (
                "m.html",
                "\n{% macro down(n) %}{{ self::down(n=n+1) }}{% endmacro down %}",
            ),
            (
                "page.html",
                "{% import \"m.html\" as m %}{{ m::down(n=0) }}",
            ),
        ]);
        let e = render(&tera, "page.html", &tera::Context::new()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "macro `down` (templates/m.html:2) runs more than 100 macro calls deep (the limit): does it call itself without end?"
        );
    }

    #[test]
    fn recursion_as_deep_as_the_limit_renders_on_a_worker_thread_stack() {
        let tera = templates(&[
            ("m.html", TREE),
            (
                "nav.html",
                "{% import \"m.html\" as m %}{{ m::tree(nodes=tree) }}",
            ),
        ]);
        // Rayon's workers, which render pages, run on 2 MiB stacks.
        let html = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || render(&tera, "nav.html", &nested(MAX_MACRO_DEPTH - 1)))
            .unwrap()
            .join()
            .unwrap()
            .unwrap();
        assert_eq!(html.matches("<ul>").count(), MAX_MACRO_DEPTH);
    }

    #[test]
    fn range_is_bounded_per_render_and_refuses_a_zero_step() {
        let tera = templates(&[
            ("big.html", "{% for i in range(end=100000000) %}x{% endfor %}"),
            ("nested.html", "{% for i in range(end=2000) %}{% for j in range(end=2000) %}{% endfor %}{% endfor %}"),
            ("zero.html", "{% for i in range(end=5, step_by=0) %}x{% endfor %}"),
            ("ok.html", "{% for i in range(start=1, end=10, step_by=3) %}{{ i }}{% endfor %}"),
        ]);
        let ctx = tera::Context::new();
        let e = render(&tera, "big.html", &ctx).unwrap_err().to_string();
        assert!(e.contains("more than 1000000 numbers"), "{e}");
        let e = render(&tera, "nested.html", &ctx).unwrap_err().to_string();
        assert!(e.contains("more than 1000000 numbers"), "{e}");
        assert!(render(&tera, "zero.html", &ctx).is_err());
        assert_eq!(render(&tera, "ok.html", &ctx).unwrap(), "147");
        // The budget is per render.
        assert_eq!(render(&tera, "ok.html", &ctx).unwrap(), "147");
    }

    #[test]
    fn output_past_the_limit_is_an_error() {
        let tera = templates(&[(
            "wide.html",
            "{% for i in range(end=1000) %}{{ s }}{% endfor %}",
        )]);
        let mut ctx = tera::Context::new();
        ctx.insert("s", &"x".repeat(MAX_OUTPUT_BYTES / 500));
        let e = render(&tera, "wide.html", &ctx).unwrap_err().to_string();
        assert!(e.contains("grew past 100 MB"), "{e}");
    }
}
