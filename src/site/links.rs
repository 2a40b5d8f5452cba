//! Resolving a page's links against the library, and checking every recorded link once all output
//! files are known: missing pages, anchors (Japanese heading ids too) and images.

use std::collections::HashSet;
use std::path::PathBuf;

use crate::content::{urls, Library, Page};
use crate::error::{Code, Diagnostic, Location, Severity};
use crate::markdown::links::{join_relative, LinkKind, LinkResolver, LinkTarget};
use crate::markdown::Rendered;

pub struct PageLinks<'a> {
    pub lib: &'a Library,
    pub page: &'a Page,
}

impl LinkResolver for PageLinks<'_> {
    fn content_file(&self, path: &str) -> Option<(usize, String)> {
        let rel = if let Some(abs) = path.strip_prefix('/') {
            join_relative("", abs)
        } else {
            join_relative(
                &self.page.source_dir().to_string_lossy().replace('\\', "/"),
                path,
            )
        };
        let id = *self.lib.by_source.get(&PathBuf::from(rel))?;
        Some((id, self.lib.pages[id].url.clone()))
    }

    fn site_path(&self, relative: &str) -> String {
        format!("/{}", join_relative(&self.page.url, relative))
    }

    fn other_language_file(&self, path: &str) -> Option<String> {
        if self.lib.other_languages.is_empty() {
            return None;
        }
        // As on disk, from the site root: the page's own file's folder, or the content folder.
        let own = self
            .page
            .source
            .parent()
            .unwrap_or(std::path::Path::new(""));
        let base = match path.strip_prefix('/') {
            Some(_) => self.lib.content_root.clone(),
            None => own.to_string_lossy().replace('\\', "/"),
        };
        let rel = join_relative(&base, path.trim_start_matches('/'));
        self.lib.other_languages.get(&PathBuf::from(rel)).cloned()
    }

    fn language_file(&self, lang: &str, path: &str) -> Option<String> {
        let files = (self.lib.language_files.iter())
            .find(|(code, _)| code.eq_ignore_ascii_case(lang))?
            .1;
        let rel = match path.strip_prefix('/') {
            Some(abs) => join_relative("", abs),
            None => join_relative(
                &self.page.source_dir().to_string_lossy().replace('\\', "/"),
                path,
            ),
        };
        files.get(&PathBuf::from(rel)).cloned()
    }

    fn asset(&self, relative: &str) -> Option<String> {
        let rel = join_relative(
            &self.page.source_dir().to_string_lossy().replace('\\', "/"),
            relative,
        );
        let &i = self.lib.asset_by_source.get(&PathBuf::from(rel))?;
        Some(self.lib.assets[i].path.clone())
    }

    fn absolute(&self, path: &str) -> Option<String> {
        let prefix = &self.lib.url_prefix;
        if prefix.is_empty() || path.starts_with(&format!("{prefix}/")) {
            return None;
        }
        let moved = format!("{prefix}{path}");
        let as_folder = format!("{}/", moved.trim_end_matches('/'));
        let known = self.lib.by_url.contains_key(&moved)
            || self.lib.by_url.contains_key(&as_folder)
            || self.lib.assets.iter().any(|a| a.path == moved)
            || self
                .lib
                .taxonomies
                .iter()
                .any(|t| t.url == as_folder || t.terms.iter().any(|x| x.url == as_folder));
        known.then_some(moved)
    }

    fn pages_named(&self, name: &str) -> Vec<(String, String)> {
        let mut found: Vec<(String, String)> = self
            .lib
            .pages
            .iter()
            .filter(|p| page_name(p).is_some_and(|n| n.eq_ignore_ascii_case(name)))
            .map(|p| (p.source.to_string_lossy().replace('\\', "/"), p.url.clone()))
            .collect();
        found.sort();
        found
    }
}

/// The name Hugo's `ref` finds a page by: its file's stem, or its folder's name for a folder page.
fn page_name(page: &Page) -> Option<&str> {
    let stem = page.rel_path.file_stem()?.to_str()?;
    if ["_index", "index", "README", "readme"].contains(&stem) {
        page.rel_path.parent()?.file_name()?.to_str()
    } else {
        Some(stem)
    }
}

/// The file a broken content link names, as seen from the site root (`content/docs/x.md`), so two
/// links written alike in different folders are told apart.
fn missing_file(lib: &Library, page: &Page, dest: &str) -> String {
    let path = dest.split(['#', '?']).next().unwrap_or(dest);
    let path = crate::markdown::links::percent_decode(path);
    let rel = match path.strip_prefix('/') {
        Some(abs) => join_relative("", abs),
        None => join_relative(
            &page.source_dir().to_string_lossy().replace('\\', "/"),
            &path,
        ),
    };
    let dir = if lib.source_dir.as_os_str().is_empty() {
        "content".to_string()
    } else {
        lib.source_dir.to_string_lossy().replace('\\', "/")
    };
    format!("{dir}/{rel}")
}

/// What is wrong with one link: the target is missing, or it is there without the heading;
/// the content file it names, when that is what is missing.
struct Problem {
    message: String,
    anchor: bool,
    file: Option<std::path::PathBuf>,
    /// A link out of the site (`leaving` severity): not merely broken.
    leaves: bool,
}

fn missing(message: String) -> Problem {
    Problem {
        message,
        anchor: false,
        file: None,
        leaves: false,
    }
}

fn anchor(message: String) -> Problem {
    Problem {
        anchor: true,
        ..missing(message)
    }
}

/// Whether a relative link written on the page at `page_url` climbs above the site's root
/// (`../../../nankai/` from `/help/a/`): opsite resolves it at the root, a browser above it,
/// where an edition's neighbours are published (`https://reports.example.jp/nankai/`).
fn climbs_out(page_url: &str, dest: &str) -> bool {
    if dest.starts_with('/') {
        return false;
    }
    let path = dest.split(['#', '?']).next().unwrap_or("");
    let mut depth = page_url.split('/').filter(|s| !s.is_empty()).count();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if depth == 0 => return true,
            ".." => depth -= 1,
            _ => depth += 1,
        }
    }
    false
}

fn has_anchor(rendered: &Rendered, id: &str) -> bool {
    // A fragment directive (`#:~:text=…`, `#x:~:text=…`) names text, not an id: the part before
    // it is the id. `#` and `#top` scroll to the top of any page (the HTML standard).
    let id = id.split(":~:").next().unwrap_or_default();
    if id.is_empty() || id.eq_ignore_ascii_case("top") {
        return true;
    }
    rendered.heading_ids.iter().any(|h| h == id)
        // Read as a tree only when the text is there at all (or may be written escaped).
        || ((rendered.html.contains(id) || id.contains(['&', '<', '>', '"', '\'']))
            && element_ids(&rendered.html).iter().any(|e| e == id))
}

/// The ids a browser scrolls to in `html`: every element's `id` and each `<a name>` (as the
/// HTML standard has it), read as a tree with their character references decoded, so
/// `data-id="x"`, `id="x"` in text and ids inside a `<template>` (inert until script uses it)
/// are none.
fn element_ids(html: &str) -> Vec<String> {
    use lol_html::{element, rewrite_str, RewriteStrSettings};
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    let ids = RefCell::new(Vec::new());
    let in_template = Rc::new(Cell::new(0usize));
    let depth = Rc::clone(&in_template);
    let keep = |v: Option<String>| {
        if in_template.get() == 0 {
            ids.borrow_mut()
                .extend(v.map(|v| crate::html::decode_references(&v)));
        }
    };
    let settings = RewriteStrSettings::new()
        .append_element_content_handler(element!("template", move |el| {
            depth.set(depth.get() + 1);
            let after = Rc::clone(&depth);
            let closed: lol_html::EndTagHandler<'static> = Box::new(move |_end| {
                after.set(after.get().saturating_sub(1));
                Ok(())
            });
            if let Some(handlers) = el.end_tag_handlers() {
                handlers.push(closed);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("[id]", |el| {
            keep(el.get_attribute("id"));
            Ok(())
        }))
        .append_element_content_handler(element!("a[name]", |el| {
            keep(el.get_attribute("name"));
            Ok(())
        }));
    let _ = rewrite_str(html, settings);
    ids.into_inner()
}

/// Check every link of every page. `outputs` holds every output file path of the build.
/// `others` are the site's other versions, whose pages a link may name (anchors are checked
/// there too). `severity` is a broken link's, `leaving` a link's out of the site's root.
pub fn check_links(
    lib: &Library,
    rendered: &[Rendered],
    outputs: &HashSet<String>,
    others: &[(&Library, &[Rendered])],
    (severity, leaving): (Severity, Severity),
) -> Vec<Diagnostic> {
    let page_at = |path: &str| -> Option<(&Library, &[Rendered], usize)> {
        let folder = format!("{}/", path.trim_end_matches('/'));
        std::iter::once((lib, rendered))
            .chain(others.iter().copied())
            .find_map(|(l, r)| {
                let id = l.by_url.get(path).or_else(|| l.by_url.get(&folder))?;
                Some((l, r, *id))
            })
    };
    let mut out = Vec::new();
    for (id, page) in lib.pages.iter().enumerate() {
        for link in &rendered[id].links {
            let what = if link.kind == LinkKind::Image {
                "missing image"
            } else {
                "broken link"
            };
            let problem = match &link.target {
                LinkTarget::External => None,
                LinkTarget::MissingPage => {
                    let file = missing_file(lib, page, &link.dest);
                    let message = format!("{what} `{}`: no such content file ({file})", link.dest);
                    Some(Problem {
                        file: Some(file.into()),
                        ..missing(message)
                    })
                }
                LinkTarget::Anchor(a) => (!has_anchor(&rendered[id], a)).then(|| {
                    anchor(format!(
                        "broken link `{}`: no heading `#{a}` on this page",
                        link.dest
                    ))
                }),
                LinkTarget::Page {
                    page: target,
                    fragment,
                } => fragment.as_ref().and_then(|f| {
                    (!has_anchor(&rendered[*target], f)).then(|| {
                        anchor(format!(
                            "broken link `{}`: no heading `#{f}` in {}",
                            link.dest,
                            lib.pages[*target].source.display()
                        ))
                    })
                }),
                LinkTarget::SitePath { .. } if climbs_out(&page.url, &link.dest) => {
                    let message = format!(
                        "link `{}` climbs above the site's root from {}: a browser leaves the site for whatever is published beside it (in a customer edition, another customer's); link to the page itself",
                        link.dest, page.url
                    );
                    Some(Problem {
                        leaves: true,
                        ..missing(message)
                    })
                }
                LinkTarget::SitePath { path, fragment } => {
                    let file = urls::output_path(path);
                    let as_dir = format!("{}/index.html", path.trim_matches('/'));
                    if !(outputs.contains(&file) || outputs.contains(&as_dir)) {
                        Some(missing(format!(
                            "{what} `{}`: nothing is published at {path}",
                            link.dest
                        )))
                    } else {
                        match (page_at(path), fragment) {
                            (Some((l, r, t)), Some(f)) if !has_anchor(&r[t], f) => {
                                Some(anchor(format!(
                                    "broken link `{}`: no heading `#{f}` in {}",
                                    link.dest,
                                    l.pages[t].source.display()
                                )))
                            }
                            _ => None,
                        }
                    }
                }
            };
            if let Some(Problem {
                message,
                anchor,
                file,
                leaves,
            }) = problem
            {
                let code = if leaves {
                    Code::LeavesSite
                } else if anchor {
                    Code::BrokenAnchor
                } else if link.kind == LinkKind::Image {
                    Code::MissingImage
                } else {
                    Code::BrokenLink
                };
                out.push(Diagnostic {
                    severity: if leaves { leaving } else { severity },
                    location: Location::at(&page.source, link.line, None),
                    message,
                    code,
                    consequence: false,
                    follows_from: file,
                });
            }
        }
    }
    out
}
