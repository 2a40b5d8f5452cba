//! Which functions a theme's templates call, and which variables they read, from their syntax
//! trees: a page that a template fills with a figure function (`kpi()` …) depends on the exports
//! and the clock beside its own context, so the build keys it on them only when some template
//! calls one; a menu of site.yaml that no template reads is a misspelt name (`mian:`). Every
//! kind of node and expression is matched by name, so a new one in tera does not compile until
//! it is walked.

use std::collections::BTreeSet;

use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// What the walk meets: a function called, or a variable read (`site.menus.footer`, as tera
/// writes it, subscripts included: `site.menus["footer"]`).
enum Seen<'a> {
    Call(&'a FunctionCall),
    Variable(&'a str),
}

/// Whether any template of `tera` calls a function named in `names` (a macro of the same name,
/// `m::chart(…)`, is not one).
pub fn calls_any(tera: &tera::Tera, names: &[&str]) -> bool {
    let mut found = false;
    for template in tera.templates.values() {
        walk_nodes(&template.ast, &mut |seen| {
            if let Seen::Call(call) = seen {
                found |= names.contains(&call.name.as_str())
            }
        });
    }
    found
}

/// The menus of `site.menus` the templates of `tera` read by name, or None when one reads the
/// map whole or by a computed name (`site.menus[which]`): then any menu may be shown.
pub fn menus_read(tera: &tera::Tera) -> Option<BTreeSet<String>> {
    let mut names = Some(BTreeSet::new());
    for template in tera.templates.values() {
        walk_nodes(&template.ast, &mut |seen| {
            let Seen::Variable(variable) = seen else {
                return;
            };
            let Some((_, after)) = variable.split_once("menus") else {
                return;
            };
            let name = match after.as_bytes().first() {
                Some(b'.') => after[1..].split(['.', '[']).next().map(str::to_string),
                Some(b'[') => (after[1..].strip_prefix(['"', '\'']))
                    .and_then(|rest| rest.split(['"', '\'']).next())
                    .map(str::to_string),
                None => None,
                // `site.menus_extra`: another variable.
                Some(_) => return,
            };
            match (name, names.as_mut()) {
                (Some(name), Some(all)) => {
                    all.insert(name);
                }
                (None, _) => names = None,
                (Some(_), None) => {}
            }
        });
    }
    names
}

fn walk_nodes(nodes: &[Node], on_seen: &mut dyn FnMut(Seen)) {
    for node in nodes {
        match node {
            Node::VariableBlock(_, expr) => walk_expr(expr, on_seen),
            Node::Set(_, set) => walk_expr(&set.value, on_seen),
            Node::MacroDefinition(_, definition, _) => {
                for default in definition.args.values().flatten() {
                    walk_expr(default, on_seen);
                }
                walk_nodes(&definition.body, on_seen);
            }
            Node::FilterSection(_, section, _) => {
                walk_args(&section.filter, on_seen);
                walk_nodes(&section.body, on_seen);
            }
            Node::Block(_, block, _) => walk_nodes(&block.body, on_seen),
            Node::Forloop(_, forloop, _) => {
                walk_expr(&forloop.container, on_seen);
                walk_nodes(&forloop.body, on_seen);
                walk_nodes(forloop.empty_body.as_deref().unwrap_or_default(), on_seen);
            }
            Node::If(branches, _) => {
                for (_, condition, body) in &branches.conditions {
                    walk_expr(condition, on_seen);
                    walk_nodes(body, on_seen);
                }
                if let Some((_, body)) = &branches.otherwise {
                    walk_nodes(body, on_seen);
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
fn walk_args(call: &FunctionCall, on_seen: &mut dyn FnMut(Seen)) {
    for arg in call.args.values() {
        walk_expr(arg, on_seen);
    }
}

fn walk_expr(expr: &Expr, on_seen: &mut dyn FnMut(Seen)) {
    walk_value(&expr.val, on_seen);
    for filter in &expr.filters {
        walk_args(filter, on_seen);
    }
}

fn walk_value(value: &ExprVal, on_seen: &mut dyn FnMut(Seen)) {
    match value {
        ExprVal::FunctionCall(call) => {
            on_seen(Seen::Call(call));
            walk_args(call, on_seen);
        }
        ExprVal::Math(m) => {
            walk_expr(&m.lhs, on_seen);
            walk_expr(&m.rhs, on_seen);
        }
        ExprVal::Logic(l) => {
            walk_expr(&l.lhs, on_seen);
            walk_expr(&l.rhs, on_seen);
        }
        ExprVal::In(i) => {
            walk_expr(&i.lhs, on_seen);
            walk_expr(&i.rhs, on_seen);
        }
        ExprVal::Test(test) => {
            on_seen(Seen::Variable(&test.ident));
            test.args.iter().for_each(|a| walk_expr(a, on_seen))
        }
        ExprVal::MacroCall(call) => call.args.values().for_each(|a| walk_expr(a, on_seen)),
        ExprVal::Array(items) => items.iter().for_each(|a| walk_expr(a, on_seen)),
        ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| walk_value(v, on_seen)),
        ExprVal::Ident(variable) => on_seen(Seen::Variable(variable)),
        ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) => {}
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
    fn the_menus_read_by_name_are_found_and_a_computed_one_reads_any() {
        let read = |text: &str| {
            let mut tera = tera::Tera::default();
            tera.add_raw_template("page.html", text).unwrap();
            menus_read(&tera)
        };
        let names = |list: &[&str]| Some(list.iter().map(|n| n.to_string()).collect());
        assert_eq!(
            read("{% for m in site.menus.footer %}{{ m.name }}{% endfor %}{{ site.menus['side'] | length }}{{ site.menus_extra }}"),
            names(&["footer", "side"])
        );
        assert_eq!(
            read("{% if site.menus.legal.0.url %}x{% endif %}"),
            names(&["legal"])
        );
        assert_eq!(
            read("{% if site.menus.aside is defined %}x{% endif %}"),
            names(&["aside"])
        );
        assert_eq!(read("{{ page.title }}"), names(&[]));
        assert_eq!(read("{% for k, m in site.menus %}{% endfor %}"), None);
        assert_eq!(read("{{ site.menus[which] }}"), None);
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
