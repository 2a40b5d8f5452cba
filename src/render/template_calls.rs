//! Which functions a theme's templates call, read from their syntax trees: a page that a
//! template fills with a figure function (`kpi()` …) depends on the exports and the clock
//! beside its own context, so the build keys it on them only when some template calls one.
//! Every kind of node and expression is matched by name, so a new one in tera does not
//! compile until it is walked.

use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// Whether any template of `tera` calls a function named in `names` (a macro of the same name,
/// `m::chart(…)`, is not one).
pub fn calls_any(tera: &tera::Tera, names: &[&str]) -> bool {
    let mut found = false;
    for template in tera.templates.values() {
        walk_nodes(&template.ast, &mut |call| {
            found |= names.contains(&call.name.as_str())
        });
    }
    found
}

fn walk_nodes(nodes: &[Node], on_call: &mut dyn FnMut(&FunctionCall)) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => walk_expr(expr, on_call),
            Node::Set(_, set) => walk_expr(&set.value, on_call),
            Node::MacroDefinition(_, definition, _) => {
                for default in definition.args.values().flatten() {
                    walk_expr(default, on_call);
                }
                walk_nodes(&definition.body, on_call);
            }
            Node::FilterSection(_, section, _) => {
                walk_args(&section.filter, on_call);
                walk_nodes(&section.body, on_call);
            }
            Node::Block(_, block, _) => walk_nodes(&block.body, on_call),
            Node::Forloop(_, forloop, _) => {
                walk_expr(&forloop.container, on_call);
                walk_nodes(&forloop.body, on_call);
                walk_nodes(forloop.empty_body.as_deref().unwrap_or_default(), on_call);
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    walk_expr(condition, on_call);
                    walk_nodes(body, on_call);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk_nodes(body, on_call);
                }
            }
            Node::Super
            | Node::Text(_)
            | Node::Extends(..)
            | Node::Include(..)
            | Node::ImportMacro(..)
            | Node::Raw(..)
            | Node::Break(_)
            | Node::Continue(_)
            | Node::Comment(..) => {}
        }
    }
}

/// The arguments of a filter (a filter is no function call, but its arguments may hold one).
fn walk_args(call: &FunctionCall, on_call: &mut dyn FnMut(&FunctionCall)) {
    for arg in call.args.values() {
        walk_expr(arg, on_call);
    }
}

fn walk_expr(expr: &Expr, on_call: &mut dyn FnMut(&FunctionCall)) {
    walk_value(&expr.val, on_call);
    for filter in &expr.filters {
        walk_args(filter, on_call);
    }
}

fn walk_value(value: &ExprVal, on_call: &mut dyn FnMut(&FunctionCall)) {
    match value {
        ExprVal::FunctionCall(call) => {
            on_call(call);
            walk_args(call, on_call);
        }
        ExprVal::Math(m) => {
            walk_expr(&m.lhs, on_call);
            walk_expr(&m.rhs, on_call);
        }
        ExprVal::Logic(l) => {
            walk_expr(&l.lhs, on_call);
            walk_expr(&l.rhs, on_call);
        }
        ExprVal::In(i) => {
            walk_expr(&i.lhs, on_call);
            walk_expr(&i.rhs, on_call);
        }
        ExprVal::Test(test) => test.args.iter().for_each(|a| walk_expr(a, on_call)),
        ExprVal::MacroCall(call) => call.args.values().for_each(|a| walk_expr(a, on_call)),
        ExprVal::Array(items) => items.iter().for_each(|a| walk_expr(a, on_call)),
        ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| walk_value(v, on_call)),
        ExprVal::String(_)
        | ExprVal::Int(_)
        | ExprVal::Float(_)
        | ExprVal::Bool(_)
        | ExprVal::Ident(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(text: &str) -> bool {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(vec![
            ("m.html", "{% macro kpi(id) %}{{ id }}{% endmacro %}"),
            ("page.html", text),
        ])
        .unwrap();
        calls_any(&tera, &["kpi", "periods"])
    }

    #[test]
    fn a_call_is_found_wherever_an_expression_may_stand() {
        for text in [
            "{{ kpi(id='mttr') }}",
            "{{ x | default(value=periods(kind='monthly')) }}",
            "{% set p = periods(kind='weekly') %}",
            "{% if kpi(id='a') > 1 %}x{% endif %}",
            "{% if x %}{% elif kpi(id='f') in [1, 2] %}y{% endif %}",
            "{% for p in periods(kind='weekly') %}{% endfor %}",
            "{% for p in x %}{% else %}{{ kpi(id='b') }}{% endfor %}",
            "{% block b %}{{ [1, kpi(id='c')] | length }}{% endblock %}",
            "{% filter upper %}{{ 'a' ~ kpi(id='d') }}{% endfilter %}",
            "{% macro f(a=1) %}{{ kpi(id='e') }}{% endmacro %}",
        ] {
            assert!(calls(text), "{text}");
        }
    }

    #[test]
    fn a_macro_of_the_same_name_other_functions_and_plain_text_are_not_calls() {
        for text in [
            "{% import 'm.html' as m %}{{ m::kpi(id='a') }}",
            "{{ range(end=3) | length }}",
            "kpi(id='text') {# kpi(id='comment') #}",
            "{% raw %}{{ kpi(id='raw') }}{% endraw %}",
        ] {
            assert!(!calls(text), "{text}");
        }
    }
}
