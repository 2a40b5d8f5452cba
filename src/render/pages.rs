//! Rendering every HTML file of the site through tera, in parallel. The navigation of each
//! section is made once (`nav`) and marked for every page in it.

use crate::layout::SiteFolder;
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use super::nav::{Current, NavFragments, NavSettings, NavTree, SectionNav, WrittenNav};
use super::urls::{finalize_urls, UrlMode};
use super::views::{
    LinkView, PageSummaryView, PageView, SectionView, SiteContext, SiteView, ViewEnv,
};
use super::{tera_message, Templates};
use crate::content::{urls, PageKind, SectionId};
use crate::error::{Code, Diagnostic, Location};
use crate::output_file::{KeptFile, OutputContent, OutputFile, PreviousRenders, RenderKey};

#[derive(Serialize)]
struct PageContext<'a> {
    site: SiteContext<'a>,
    page: PageView<'a>,
    section: Option<SectionView<'a>>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
}

/// What lets a build keep the pages the last one rendered from the same inputs: the key of
/// everything every page shares (`Reuse::new`) and the last build's pages.
pub struct Reuse<'a> {
    shared: blake3::Hasher,
    previous: &'a PreviousRenders,
}

impl<'a> Reuse<'a> {
    /// `inputs`: the bytes of what the renderer does not show in a page's context but renders
    /// with (opsite's version, the templates, how URLs are written); the site's view is added
    /// here, once.
    pub fn new(renderer: &PageRenderer, inputs: &[&[u8]], previous: &'a PreviousRenders) -> Self {
        let mut shared = blake3::Hasher::new();
        for part in inputs {
            crate::digest::hash_part(&mut shared, part);
        }
        crate::digest::hash_serialized(&mut shared, renderer.site);
        crate::digest::hash_serialized(&mut shared, renderer.env.words);
        Reuse { shared, previous }
    }

    /// The key of a page: the shared inputs, its path, its template and its whole context but
    /// the site's view (the same for every page but for the path, which is in the key).
    fn key_of(&self, output_path: &str, template: &str, ctx: &PageContext) -> RenderKey {
        let versions = ctx.site.versions.as_ref();
        let languages = ctx.site.languages.as_ref();
        let own = (versions, &ctx.page, &ctx.section, ctx.nav);
        match languages {
            Some(languages) => self.key_for(output_path, template, &(own, languages)),
            None => self.key_for(output_path, template, &own),
        }
    }

    /// The key of the file at `output_path` rendered through `template` from the shared inputs
    /// and `own`: what its context holds besides the site's view.
    pub(super) fn key_for(
        &self,
        output_path: &str,
        template: &str,
        own: &impl Serialize,
    ) -> RenderKey {
        let mut h = self.shared.clone();
        for part in [output_path.as_bytes(), template.as_bytes()] {
            crate::digest::hash_part(&mut h, part);
        }
        crate::digest::hash_serialized(&mut h, own);
        h.finalize().as_bytes()[..16].try_into().expect("16 bytes")
    }

    /// Every file the last build rendered from `key` (a report page and its downloads are made
    /// from one key, which holds the page's path), when each is still as it wrote it; sorted
    /// by path.
    pub(super) fn kept_all(&self, key: &RenderKey) -> Option<Vec<(String, KeptFile)>> {
        let paths = self.previous.by_key.get(key)?;
        let mut kept: Vec<(String, KeptFile)> = (paths.iter())
            .map(|p| Some((p.clone(), self.kept(p, key)?)))
            .collect::<Option<_>>()?;
        kept.sort_by(|a, b| a.0.cmp(&b.0));
        Some(kept)
    }

    /// The last build's file at `path`, when it was rendered from `key`.
    fn kept(&self, path: &str, key: &RenderKey) -> Option<KeptFile> {
        self.previous
            .by_path
            .get(path)
            .filter(|(k, _)| k == key)
            .map(|(_, kept)| *kept)
    }
}

#[derive(Serialize)]
struct NavContext<'a> {
    #[serde(flatten)]
    nav: &'a NavTree,
    ui: &'a crate::i18n::site_words::UiWords,
}

#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
    pages: Vec<PageSummaryView<'a>>,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    name: &'a str,
    label: String,
    /// The list page's address; none when `taxonomy_lists: false` leaves it out.
    url: Option<&'a str>,
    terms: Vec<TermView<'a>>,
}

#[derive(Serialize)]
struct ListContext<'a> {
    site: SiteContext<'a>,
    taxonomy: TaxonomyView<'a>,
    term: Option<TermView<'a>>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    /// For templates that show a page title in `<title>`.
    title: String,
    breadcrumbs: Vec<LinkView>,
}

#[derive(Serialize)]
struct SimpleContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    title: &'a str,
    target: Option<&'a str>,
}

pub struct PageRenderer<'a> {
    pub env: ViewEnv<'a>,
    pub templates: &'a Templates,
    pub site: &'a SiteView,
    pub url_mode: &'a UrlMode,
    /// This version's switcher (versioned sites).
    pub switcher: Option<&'a crate::versions::Switcher>,
    /// This language's switcher (bilingual sites).
    pub languages: Option<&'a crate::languages::Switcher>,
}

impl PageRenderer<'_> {
    /// `site` for the page at `output_path`.
    pub(super) fn site_at(&self, output_path: &str) -> SiteContext<'_> {
        SiteContext {
            view: self.site,
            versions: self.switcher.map(|s| s.view(output_path)),
            languages: self.languages.map(|s| s.view(output_path)),
        }
    }

    pub(super) fn finish(&self, path: String, html: String, origin: PathBuf) -> OutputFile {
        let html = self.finished(&path, html);
        OutputFile::bytes(path, html.into_bytes(), origin)
    }

    /// A page's HTML as written at `path`: its site paths as this build writes URLs.
    pub(super) fn finished(&self, path: &str, html: String) -> String {
        match self.url_mode {
            // Site paths are already what the output needs.
            UrlMode::Absolute { base_path } if base_path == "/" => html,
            mode => finalize_urls(&html, path, mode),
        }
    }

    /// The navigation per section (and, unless compact, per section page with sections below
    /// it). With the built-in navigation templates its markup is written once per section;
    /// a site's own is rendered here once per section, so its errors are told once.
    pub fn nav_fragments(&self) -> Result<NavFragments, Diagnostic> {
        let lib = self.env.lib;
        let settings = NavSettings::from_params(&self.env.config.params);
        // A site with `nav:` has one tree, the nav's, for every section.
        let nav = &self.env.config.nav;
        let nav_tree = (!nav.is_empty()).then(|| self.env.nav_tree_of(&nav.entries));
        let make = |s: SectionId, expand_below: bool| -> Result<SectionNav, Diagnostic> {
            let tree = NavTree {
                home: self.site.home_url.clone(),
                home_current: false,
                tree: match &nav_tree {
                    None => self.env.nav_tree(s, settings, expand_below),
                    Some(tree) => tree.clone(),
                },
            };
            let written = if self.templates.builtin_nav {
                Some(WrittenNav::write(&tree, self.env.ui))
            } else {
                self.render_nav(&tree)?;
                None
            };
            Ok(SectionNav { tree, written })
        };
        let pages = (0..lib.sections.len())
            .into_par_iter()
            .map(|s| make(s, false))
            .collect::<Result<Vec<SectionNav>, Diagnostic>>()?;
        let section_pages = (0..lib.sections.len())
            .into_par_iter()
            .map(|s| {
                let one_tree = !self.env.config.nav.is_empty();
                if one_tree || settings.compact || lib.sections[s].subsections.is_empty() {
                    Ok(None)
                } else {
                    make(s, true).map(Some)
                }
            })
            .collect::<Result<Vec<Option<SectionNav>>, Diagnostic>>()?;
        Ok(NavFragments {
            pages,
            section_pages,
        })
    }

    fn render_nav(&self, tree: &NavTree) -> Result<String, Diagnostic> {
        let ctx = NavContext {
            nav: tree,
            ui: self.env.words,
        };
        tera::Context::from_serialize(&ctx)
            .and_then(|c| self.templates.render("partials/nav.html", &c))
            .map_err(|e| template_error("partials/nav.html", &e))
    }

    /// The navigation's HTML with `current` marked (None: nothing is).
    pub(super) fn nav_html(
        &self,
        nav: &SectionNav,
        current: Option<&Current>,
    ) -> Result<String, Diagnostic> {
        match (&nav.written, current) {
            (Some(written), _) => Ok(written.html_for(current)),
            (None, Some(current)) => self.render_nav(&nav.tree.marked(current)),
            (None, None) => self.render_nav(&nav.tree),
        }
    }

    fn layout_candidates(&self, id: usize) -> Vec<String> {
        let lib = self.env.lib;
        let p = &lib.pages[id];
        let page_type = p.front.page_type.clone().unwrap_or_else(|| {
            lib.section_chain(p.section)
                .get(1)
                .and_then(|&s| lib.sections[s].dir.to_str().map(str::to_string))
                .unwrap_or_default()
        });
        let mut c = Vec::new();
        let kind_template = match p.kind {
            PageKind::Page => "page.html",
            PageKind::Section | PageKind::Home => "section.html",
        };
        if let Some(layout) = &p.front.layout {
            if !page_type.is_empty() {
                c.push(format!("{page_type}/{layout}.html"));
            }
            c.push(format!("{layout}.html"));
        }
        if p.kind == PageKind::Home {
            c.push("index.html".into());
        }
        if !page_type.is_empty() {
            c.push(format!("{page_type}/{kind_template}"));
        }
        c.push(kind_template.into());
        c
    }

    /// The content pages (regular, section and home) that `wanted` picks by id.
    pub fn content_pages(
        &self,
        navs: &NavFragments,
        wanted: &(dyn Fn(usize) -> bool + Sync),
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        self.content_pages_reusing(navs, wanted, None)
            .into_iter()
            .map(|r| r.map(|(file, _)| file))
            .collect()
    }

    /// `content_pages`, each page with the key of what it was rendered from; with `reuse`, a
    /// page whose key is the one the last build rendered it from is not rendered again but
    /// kept (`OutputContent::Kept`).
    pub fn content_pages_reusing(
        &self,
        navs: &NavFragments,
        wanted: &(dyn Fn(usize) -> bool + Sync),
        reuse: Option<&Reuse>,
    ) -> Vec<Result<(OutputFile, Option<RenderKey>), Diagnostic>> {
        let lib = self.env.lib;
        (0..lib.pages.len())
            .into_par_iter()
            .filter(|&id| !lib.pages[id].front.not_rendered && wanted(id))
            .map(|id| self.content_page(id, navs, reuse))
            .collect()
    }

    fn content_page(
        &self,
        id: usize,
        navs: &NavFragments,
        reuse: Option<&Reuse>,
    ) -> Result<(OutputFile, Option<RenderKey>), Diagnostic> {
        let lib = self.env.lib;
        let p = &lib.pages[id];
        let candidates = self.layout_candidates(id);
        let Some(template) = self.templates.pick(&candidates) else {
            return Err(Diagnostic::error(
                Code::Template,
                Location::file(&p.source),
                format!("no template found (looked for {})", candidates.join(", ")),
            ));
        };
        let current = Current {
            url: &p.url,
            title: p.link_title(),
            section: p.section,
        };
        let nav = self.nav_html(navs.for_page(lib, id), Some(&current))?;
        let section = lib.section_for_index(id).map(|s| self.env.section(s));
        let ctx = PageContext {
            site: self.site_at(&p.output_path),
            page: self.env.page(id),
            section,
            nav: &nav,
            ui: self.env.words,
        };
        let key = reuse.map(|r| r.key_of(&p.output_path, template, &ctx));
        if let Some(kept) = key.and_then(|k| reuse?.kept(&p.output_path, &k)) {
            let file = OutputFile {
                path: p.output_path.clone(),
                content: OutputContent::Kept(kept),
                origin: p.source.clone(),
            };
            return Ok((file, key));
        }
        let html = tera::Context::from_serialize(&ctx)
            .and_then(|c| self.templates.render(template, &c))
            .map_err(|e| {
                Diagnostic::error(
                    Code::Template,
                    Location::file(&p.source),
                    format!("template {template}: {}", tera_message(&e)),
                )
            })?;
        Ok((
            self.finish(p.output_path.clone(), html, p.source.clone()),
            key,
        ))
    }

    /// Term list pages (`/tags/`) and term pages (`/tags/ITIL/`) that `wanted` picks by
    /// taxonomy and term (None: the taxonomy's list page).
    pub fn taxonomy_pages(
        &self,
        home_nav: &SectionNav,
        wanted: &(dyn Fn(usize, Option<usize>) -> bool + Sync),
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let lib = self.env.lib;
        let mut jobs: Vec<(usize, Option<usize>)> = Vec::new();
        for (t, tax) in lib.taxonomies.iter().enumerate() {
            if tax.terms.is_empty() {
                continue;
            }
            if self.env.config.taxonomy_lists {
                jobs.push((t, None));
            }
            jobs.extend((0..tax.terms.len()).map(|i| (t, Some(i))));
        }
        jobs.retain(|&(t, term)| wanted(t, term));
        jobs.into_par_iter()
            .map(|(t, term)| {
                let tax = &lib.taxonomies[t];
                let term_view = |i: usize, with_pages: bool| {
                    let term = &tax.terms[i];
                    TermView {
                        name: &term.name,
                        url: &term.url,
                        count: term.pages.len(),
                        pages: if with_pages {
                            term.pages
                                .iter()
                                .map(|&p| super::views::summary_view(lib, self.env.rendered, p))
                                .collect()
                        } else {
                            Vec::new()
                        },
                    }
                };
                let label = self.env.ui.taxonomy_label(&tax.name);
                let taxonomy = TaxonomyView {
                    name: &tax.name,
                    label: label.clone(),
                    url: self.env.config.taxonomy_lists.then_some(tax.url.as_str()),
                    terms: (0..tax.terms.len()).map(|i| term_view(i, false)).collect(),
                };
                let home = LinkView {
                    title: self.env.ui.home.to_string(),
                    url: format!("{}/", lib.url_prefix),
                };
                let (template, url, title, breadcrumbs) = match term {
                    None => ("taxonomy.html", tax.url.clone(), label.clone(), vec![home]),
                    Some(i) => (
                        "term.html",
                        tax.terms[i].url.clone(),
                        tax.terms[i].name.clone(),
                        // The list page's link only where the list page is written.
                        std::iter::once(home)
                            .chain(self.env.config.taxonomy_lists.then(|| LinkView {
                                title: label.clone(),
                                url: tax.url.clone(),
                            }))
                            .collect(),
                    ),
                };
                let nav = self.nav_html(home_nav, Some(&Current::link(&url)))?;
                let ctx = ListContext {
                    site: self.site_at(&urls::output_path(&url)),
                    taxonomy,
                    term: term.map(|i| term_view(i, true)),
                    nav: &nav,
                    ui: self.env.words,
                    title,
                    breadcrumbs,
                };
                let origin = self.env.config.source_file.clone();
                let html = tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render(template, &c))
                    .map_err(|e| template_error(template, &e))?;
                Ok(self.finish(urls::output_path(&url), html, origin))
            })
            .collect()
    }

    /// `404.html` and one redirect page per alias.
    pub fn extra_pages(&self, home_nav: &SectionNav) -> Vec<Result<OutputFile, Diagnostic>> {
        let lib = self.env.lib;
        let mut out = Vec::new();
        let nav = match self.nav_html(home_nav, None) {
            Ok(nav) => nav,
            Err(e) => return vec![Err(e)],
        };
        // One 404 page for the site, and one per language of a bilingual site (`/en/404.html`,
        // for a server to show under `/en/`): an older version (`/v/<name>/`) has none of its own.
        let own_404 = lib.url_prefix.is_empty()
            || self
                .languages
                .is_some_and(|l| l.language_prefix() == lib.url_prefix);
        if own_404 {
            let path = format!("{}/404.html", lib.url_prefix)
                .trim_start_matches('/')
                .to_string();
            let ctx = SimpleContext {
                site: self.site_at(&path),
                nav: &nav,
                ui: self.env.words,
                title: self.env.ui.not_found_title,
                target: None,
            };
            out.push(
                tera::Context::from_serialize(&ctx)
                    .and_then(|c| self.templates.render("404.html", &c))
                    .map_err(|e| template_error("404.html", &e))
                    .map(|html| self.finish(path.clone(), html, PathBuf::from("404.html"))),
            );
        }
        if let Some(page) = self.search_page(&nav) {
            out.push(page);
        }
        if let Some(page) = self.alerts_page(&nav) {
            out.push(page);
        }
        for (id, p) in lib.pages.iter().enumerate() {
            for alias in &p.aliases {
                let path = urls::output_path(&alias.path);
                // The template gets the final URL (the meta refresh is not an attribute the URL
                // pass rewrites), so the page is written as rendered.
                let target = match self.url_mode {
                    UrlMode::Relative => super::urls::relative(&p.url, &path),
                    UrlMode::Absolute { base_path } => {
                        format!("{}{}", base_path.trim_end_matches('/'), p.url)
                    }
                };
                let ctx = SimpleContext {
                    site: self.site_at(&path),
                    nav: "",
                    ui: self.env.words,
                    title: &lib.pages[id].title,
                    target: Some(&target),
                };
                out.push(
                    tera::Context::from_serialize(&ctx)
                        .and_then(|c| self.templates.render("alias.html", &c))
                        .map_err(|e| {
                            Diagnostic::error(
                                Code::Template,
                                Location::file(&p.source),
                                format!("alias {}: {}", alias.written, tera_message(&e)),
                            )
                        })
                        .map(|html| OutputFile::bytes(path, html.into_bytes(), p.source.clone())),
                );
            }
        }
        out
    }
}

/// One alert of the alerts' index: its runbook and its own address.
#[derive(Serialize)]
struct AlertView<'a> {
    name: &'a str,
    title: &'a str,
    url: &'a str,
    address: String,
}

#[derive(Serialize)]
struct AlertsContext<'a> {
    site: SiteContext<'a>,
    nav: &'a str,
    ui: &'a crate::i18n::site_words::UiWords,
    title: &'a str,
    alerts: Vec<AlertView<'a>>,
}

impl PageRenderer<'_> {
    /// The alerts' index at `/runbooks/alerts/`, when a runbook names an alert (`alerts.index`
    /// off, or a page of the site's own there, leaves it out).
    fn alerts_page(&self, nav: &str) -> Option<Result<OutputFile, Diagnostic>> {
        let lib = self.env.lib;
        let claims = &lib.alerts;
        let url = format!("{}{}", lib.url_prefix, crate::content::alerts::ALERTS_PATH);
        if claims.is_empty() || !self.env.config.alerts.index || lib.by_url.contains_key(&url) {
            return None;
        }
        let alerts = claims
            .iter()
            .map(|(name, &id)| AlertView {
                name,
                title: &lib.pages[id].title,
                url: &lib.pages[id].url,
                address: format!(
                    "{}{}",
                    lib.url_prefix,
                    crate::content::alerts::alert_path(name)
                ),
            })
            .collect();
        let path = urls::output_path(&url);
        let ctx = AlertsContext {
            site: self.site_at(&path),
            nav,
            ui: self.env.words,
            title: self.env.ui.alerts_title,
            alerts,
        };
        let origin = self.env.config.source_file.clone();
        Some(
            tera::Context::from_serialize(&ctx)
                .and_then(|c| self.templates.render("alerts.html", &c))
                .map_err(|e| template_error("alerts.html", &e))
                .map(|html| self.finish(path, html, origin)),
        )
    }

    /// The search page at `/search/`: with the index on, unless the site has a page of its own
    /// there (which then wins) or a theme without `search.html`.
    fn search_page(&self, home_nav: &str) -> Option<Result<OutputFile, Diagnostic>> {
        let search = self.site.search.as_ref()?;
        let has_template = self
            .templates
            .tera
            .get_template_names()
            .any(|n| n == "search.html");
        if self.env.lib.by_url.contains_key(&search.url) || !has_template {
            return None;
        }
        let ctx = SimpleContext {
            site: self.site_at(&urls::output_path(&search.url)),
            nav: home_nav,
            ui: self.env.words,
            title: self.env.ui.search,
            target: None,
        };
        let origin = self.env.config.source_file.clone();
        Some(
            tera::Context::from_serialize(&ctx)
                .and_then(|c| self.templates.render("search.html", &c))
                .map_err(|e| template_error("search.html", &e))
                .map(|html| self.finish(urls::output_path(&search.url), html, origin)),
        )
    }
}

pub fn template_error(template: &str, e: &tera::Error) -> Diagnostic {
    Diagnostic::error(
        Code::Template,
        Location::file(PathBuf::from(SiteFolder::Templates.name()).join(template)),
        tera_message(e),
    )
}
