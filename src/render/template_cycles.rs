//! Include, extends and import cycles between templates, found before tera links the templates
//! and before anything renders. Tera follows an extends chain until it comes back to the template
//! it started from, so a chain that loops further up (a site `base.html` that extends
//! `base.html`, under the theme's `page.html`) recursed until the stack overflowed and killed the
//! process; include and import cycles did the same while rendering. Each cycle is one error at
//! the first template's reference to the next, naming every template file in the cycle.

use std::collections::BTreeMap;

use tera::ast::Node;
use tera::Template;

use super::theme::TemplateSource;
use crate::error::{Code, Diagnostic, Location};

/// How one template reaches another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reference {
    Extends,
    Includes,
    Imports,
}

impl Reference {
    fn verb(self) -> &'static str {
        match self {
            Reference::Extends => "extends",
            Reference::Includes => "includes",
            Reference::Imports => "imports macros from",
        }
    }
}

/// Every cycle among `parsed` (template source, its parsed form), one error each.
pub(super) fn find(parsed: &[(&TemplateSource, Template)]) -> Vec<Diagnostic> {
    let index: BTreeMap<&str, usize> = parsed
        .iter()
        .enumerate()
        .map(|(i, (source, _))| (source.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<(usize, Reference)>> = parsed
        .iter()
        .map(|(_, template)| references(template, &index))
        .collect();
    cycles(&edges)
        .into_iter()
        .map(|cycle| describe(&cycle, parsed))
        .collect()
}

/// The templates `template` reaches, by index: its parent, its macro imports, and for each
/// include the first named template that exists (the one tera renders).
fn references(template: &Template, index: &BTreeMap<&str, usize>) -> Vec<(usize, Reference)> {
    let mut out = Vec::new();
    if let Some(&i) = template.parent.as_deref().and_then(|p| index.get(p)) {
        out.push((i, Reference::Extends));
    }
    for (file, _) in &template.imported_macro_files {
        if let Some(&i) = index.get(file.as_str()) {
            out.push((i, Reference::Imports));
        }
    }
    let mut includes = Vec::new();
    collect_includes(&template.ast, &mut includes);
    for names in includes {
        if let Some(&i) = names.iter().find_map(|n| index.get(n.as_str())) {
            out.push((i, Reference::Includes));
        }
    }
    out
}

/// The name lists of every `{% include %}` in `nodes`, inside blocks, loops, conditions, filter
/// sections and macro bodies too. An explicit stack: the depth of a template's tags is the
/// author's to choose.
fn collect_includes<'a>(nodes: &'a [Node], out: &mut Vec<&'a Vec<String>>) {
    let mut pending: Vec<&'a [Node]> = vec![nodes];
    while let Some(nodes) = pending.pop() {
        for node in nodes {
            match node {
                Node::Include(_, names, _) => out.push(names),
                Node::Block(_, block, _) => pending.push(&block.body),
                Node::MacroDefinition(_, definition, _) => pending.push(&definition.body),
                Node::FilterSection(_, section, _) => pending.push(&section.body),
                Node::Forloop(_, forloop, _) => {
                    pending.push(&forloop.body);
                    if let Some(empty) = &forloop.empty_body {
                        pending.push(empty);
                    }
                }
                Node::If(branches, _) => {
                    pending.extend(branches.conditions.iter().map(|(_, _, body)| &body[..]));
                    if let Some((_, body)) = &branches.otherwise {
                        pending.push(body);
                    }
                }
                _ => {}
            }
        }
    }
}

/// Each cycle found by a depth-first walk (one per edge back into the current path), as the
/// steps around it: (template, how it reaches the next one). Iterative, so a long chain of
/// templates cannot overflow the stack either.
fn cycles(edges: &[Vec<(usize, Reference)>]) -> Vec<Vec<(usize, Reference)>> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![State::New; edges.len()];
    let mut found = Vec::new();
    for start in 0..edges.len() {
        if state[start] != State::New {
            continue;
        }
        // (template, index of its next edge); `path` holds how each step left its template.
        let mut stack = vec![(start, 0usize)];
        let mut path: Vec<(usize, Reference)> = Vec::new();
        state[start] = State::OnPath;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let Some(&(to, how)) = edges[node].get(*next) else {
                state[node] = State::Done;
                stack.pop();
                path.pop();
                continue;
            };
            *next += 1;
            match state[to] {
                State::New => {
                    path.push((node, how));
                    state[to] = State::OnPath;
                    stack.push((to, 0));
                }
                State::OnPath => {
                    let from = path
                        .iter()
                        .position(|&(n, _)| n == to)
                        .unwrap_or(path.len());
                    let mut cycle = path[from..].to_vec();
                    cycle.push((node, how));
                    found.push(cycle);
                }
                State::Done => {}
            }
        }
    }
    found
}

/// One error for a cycle, at the reference its first template (by name) makes to the next.
fn describe(cycle: &[(usize, Reference)], parsed: &[(&TemplateSource, Template)]) -> Diagnostic {
    let first = (0..cycle.len())
        .min_by_key(|&i| &parsed[cycle[i].0].0.name)
        .unwrap_or(0);
    let steps: Vec<(usize, Reference)> = cycle[first..]
        .iter()
        .chain(&cycle[..first])
        .copied()
        .collect();
    let source = |i: usize| parsed[i].0;
    let (start, how) = steps[0];
    let next = steps.get(1).map_or(start, |s| s.0);
    let origin = |i: usize| source(i).origin.display().to_string();
    let mut message = format!("template cycle: {} {}", origin(start), how.verb());
    for &(node, how) in &steps[1..] {
        message.push_str(&format!(" {}, which {}", origin(node), how.verb()));
    }
    message.push_str(&format!(" {}", origin(start)));
    if steps.len() == 1 && how == Reference::Extends {
        message.push_str(&format!(
            "; a site or theme template replaces the one of the same name, so it cannot extend it: copy the theme's {} and change the copy",
            source(start).name
        ));
    } else {
        message.push_str("; rendering it would never end");
    }
    let (line, column) = reference_position(&source(start).text, &source(next).name);
    Diagnostic::error(
        Code::Template,
        Location::at(&source(start).origin, line, Some(column)),
        message,
    )
}

/// Line and column (1-based) of the first quoted `name` in a template's text, else its start.
fn reference_position(text: &str, name: &str) -> (usize, usize) {
    let found = ['"', '\'', '`']
        .iter()
        .filter_map(|q| text.find(&format!("{q}{name}{q}")))
        .min();
    let Some(at) = found else { return (1, 1) };
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn check(files: &[(&str, &str)]) -> Vec<String> {
        let sources: Vec<TemplateSource> = files
            .iter()
            .map(|(name, text)| TemplateSource {
                name: name.to_string(),
                text: text.to_string(),
                origin: PathBuf::from("templates").join(name),
            })
            .collect();
        let parsed: Vec<(&TemplateSource, Template)> = sources
            .iter()
            .map(|s| (s, Template::new(&s.name, None, &s.text).unwrap()))
            .collect();
        find(&parsed).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_template_that_extends_itself_under_another_is_one_error() {
        let errors = check(&[
            (
                "page.html",
                "{% extends \"base.html\" %}{% block main %}{% endblock %}",
            ),
            ("base.html", "{% extends \"base.html\" %}\nx"),
        ]);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("templates/base.html:1:12: error: template cycle: templates/base.html extends templates/base.html; a site or theme template replaces"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn include_and_import_cycles_name_every_file() {
        let errors = check(&[
            ("a.html", "{% include \"b.html\" %}"),
            ("b.html", "{% if x %}{% for i in y %}{% include [\"missing.html\", \"a.html\"] %}{% endfor %}{% endif %}"),
            ("m.html", "{% import \"n.html\" as n %}{% macro f() %}{% endmacro %}"),
            ("n.html", "{% import \"m.html\" as m %}"),
        ]);
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(
            errors[0],
            "templates/a.html:1:12: error: template cycle: templates/a.html includes templates/b.html, which includes templates/a.html; rendering it would never end"
        );
        assert!(errors[1].contains("templates/m.html imports macros from templates/n.html, which imports macros from templates/m.html"), "{}", errors[1]);
    }

    #[test]
    fn shared_partials_are_no_cycle() {
        let errors = check(&[
            ("base.html", "{% include \"nav.html\" %}{% block main %}{% endblock %}"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{% include \"nav.html\" %}{% endblock %}"),
            ("nav.html", "{% import \"macros.html\" as m %}{{ m::tree(n=1) }}"),
            ("macros.html", "{% macro tree(n) %}{% if n < 3 %}{{ self::tree(n=n+1) }}{% endif %}{% endmacro %}"),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
