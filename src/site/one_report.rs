//! One report's view for a document (a PDF, a mail), without building the site: the content is
//! read and assembled (no page rendered, no search index, nothing written), the report set
//! computed once for every audience, the period's commentary rendered as the site's report page
//! renders it, and the view made by the same function as that page's. The internal report and
//! each customer edition's, so a document cannot differ from the page it prints.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;

use super::bodies::BodyRenderer;
use super::editions::{config_for, content_for, select, Selection};
use super::stages::{compile_templates, effective_config};
use super::{
    assemble_edition, edition_steps::unrendered, escalation, reports, Assembled, Edition, Run,
    Shared,
};
use crate::config::customers::CustomerConfig;
use crate::config::SiteConfig;
use crate::content::source::ContentSources;
use crate::error::Diagnostics;
use crate::kpi::period::PeriodKind;
use crate::markdown::HighlightCache;
use crate::render::i18n::UiStrings;
use crate::reports::views::{page_view, ReportPageView};
use crate::reports::ReportSet;

/// The figures of the audiences a run of documents is for, computed once.
pub struct ReportSource<'a> {
    run: Run<'a>,
    config: SiteConfig,
    /// The site's own report set (with every customer's), when the run prints the internal
    /// report.
    internal: Option<Arc<ReportSet>>,
    /// The report sets of the customers the run prints for.
    customers: Vec<crate::reports::CustomerReports>,
    routes: crate::escalation::SiteRoutes,
    cache: Arc<HighlightCache>,
    /// What the run writes (`PDF`, `mail`), for messages.
    document: &'static str,
    /// Warnings of the views made so far (a draft commentary left out), for the run to print.
    warnings: std::sync::Mutex<Vec<crate::error::Diagnostic>>,
    /// The default language's content and settings.
    content: std::sync::OnceLock<(ContentSources, SiteConfig)>,
    /// That content assembled whole, and what each customer's edition holds of it.
    selection: std::sync::OnceLock<(Assembled, Selection)>,
}

/// Where a report's problems stop it: those of site.yaml, the data, the templates and the
/// period's commentary (a document is not refused for a broken link on another page).
pub type Problems = Diagnostics;

impl<'a> ReportSource<'a> {
    /// The report sets a run needs: the site's own when `internal`, and those of `customers`
    /// (slugs); the problems instead when the data or its settings have errors.
    pub fn compute(
        run: Run<'a>,
        internal: bool,
        customers: &[&str],
        document: &'static str,
    ) -> Result<ReportSource<'a>, Problems> {
        let mut diags = Diagnostics::default();
        let config = effective_config(run.sources, run.opts);
        let as_of = run.opts.now.timestamp();
        let (set, customer_sets) = match internal {
            true => {
                let set = reports::compute(run.sources, &config, as_of, &mut diags).map(Arc::new);
                let wanted = (set.iter().flat_map(|s| s.customers.iter()))
                    .filter(|c| customers.contains(&c.slug.as_str()))
                    .cloned()
                    .collect();
                (set, Some(wanted))
            }
            false => {
                let sets =
                    reports::compute_customers(run.sources, &config, as_of, customers, &mut diags);
                (None, sets)
            }
        };
        let routes = escalation::routes(run.sources, &config, &mut Diagnostics::default());
        match customer_sets {
            Some(customer_sets) if !diags.iter().any(|d| d.is_error()) => Ok(ReportSource {
                run,
                config,
                internal: set,
                customers: customer_sets,
                routes,
                document,
                // The figures' own warnings (an indicator and a target that judge one figure
                // differently) are the documents' too, as `build` gives them.
                warnings: std::sync::Mutex::new(diags.iter().cloned().collect()),
                cache: Arc::new(HighlightCache::from_previous(
                    run.sources.highlight_cache.clone(),
                )),
                content: std::sync::OnceLock::new(),
                selection: std::sync::OnceLock::new(),
            }),
            _ => Err(diags),
        }
    }

    /// `data.tickets.covers.from`: where the site's periods start, when the site says so.
    pub fn tickets_covered_from(&self) -> Option<chrono::NaiveDate> {
        (self.config.kpi.data.tickets.as_ref())
            .and_then(|t| t.covers.as_ref())
            .map(|c| c.from)
    }

    /// The warnings of the figures and of the views made so far, each once.
    pub fn take_warnings(&self) -> Vec<crate::error::Diagnostic> {
        let mut all = std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()));
        let mut seen = std::collections::HashSet::new();
        all.retain(|d| seen.insert(d.to_string()));
        all
    }

    /// The published periods of `kind` the run's first audience has (to say which exist).
    pub fn published(&self, kind: PeriodKind) -> &[crate::reports::PeriodData] {
        match (&self.internal, self.customers.first()) {
            (Some(set), _) => set.published(kind),
            (None, Some(c)) => c.set.published(kind),
            (None, None) => &[],
        }
    }

    /// The default language's content and settings (reports are in the default language).
    fn content(&self) -> &(ContentSources, SiteConfig) {
        self.content.get_or_init(|| {
            let languages = self.config.languages();
            if languages.is_empty() {
                return (self.run.sources.content.clone(), self.config.clone());
            }
            let parts = super::languages::split_versions(
                &[&self.run.sources.content],
                &languages,
                &mut Diagnostics::default(),
            );
            let configs = super::languages::language_configs(&self.config, &languages);
            (parts[0][0].clone(), configs[0].clone())
        })
    }

    /// The content assembled whole, and what each customer's edition holds of it.
    fn selection(&self) -> &(Assembled, Selection) {
        self.selection.get_or_init(|| {
            let (content, config) = self.content();
            let whole = Edition {
                content,
                versions: None,
                language: None,
            };
            let full = self.assemble(&whole, config);
            let selection = select(&full.lib, &full.commentary, &config.customers, content);
            (full, selection)
        })
    }

    fn assemble(&self, edition: &Edition, config: &SiteConfig) -> Assembled {
        assemble_edition(
            self.run.sources,
            edition,
            config,
            self.run.opts,
            self.run.progress,
        )
    }

    /// The internal report of `kind` for the period `label`, as the internal site's page shows
    /// it; None when the data has no such report.
    pub fn internal(
        &self,
        kind: PeriodKind,
        label: &str,
    ) -> Result<Option<ReportPageView>, Problems> {
        let (content, config) = self.content();
        let edition = Edition {
            content,
            versions: None,
            language: None,
        };
        let assembled = self.assemble(&edition, config);
        let set = self.internal.clone();
        self.view(
            &edition,
            assembled,
            config.clone(),
            set,
            self.routes.clone(),
            kind,
            label,
        )
    }

    /// `customer`'s report of `kind` for `label`, as its edition's page shows it; None when its
    /// edition has no such report.
    pub fn customer(
        &self,
        customer: &CustomerConfig,
        kind: PeriodKind,
        label: &str,
    ) -> Result<Option<ReportPageView>, Problems> {
        let (content, config) = self.content();
        let (full, selection) = self.selection();
        let unreadable = unreadable_commentary(&full.diags, kind, label, &customer.slug);
        if unreadable.iter().next().is_some() {
            return Err(unreadable);
        }
        let keep: &BTreeSet<PathBuf> = &selection.files[&customer.slug];
        let content = content_for(content, &full.lib, keep);
        let edition_config = config_for(config, customer, &full.lib, keep);
        let edition = Edition {
            content: &content,
            versions: None,
            language: None,
        };
        let assembled = self.assemble(&edition, &edition_config);
        let set = (self.customers.iter())
            .find(|c| c.slug == customer.slug)
            .map(|c| Arc::clone(&c.set));
        let routes = self.routes.for_edition(customer.services.as_deref());
        self.view(
            &edition,
            assembled,
            edition_config,
            set,
            routes,
            kind,
            label,
        )
    }

    /// The view of one report page of an assembled edition: only the period's commentary is
    /// rendered.
    #[allow(clippy::too_many_arguments)]
    fn view(
        &self,
        edition: &Edition,
        assembled: Assembled,
        config: SiteConfig,
        set: Option<Arc<ReportSet>>,
        routes: crate::escalation::SiteRoutes,
        kind: PeriodKind,
        label: &str,
    ) -> Result<Option<ReportPageView>, Problems> {
        let mut diags = assembled.diags;
        let Some(set) = set else {
            return Ok(None);
        };
        let Some(index) = (set.published(kind).iter()).position(|d| d.period.label == label) else {
            return Ok(None);
        };
        let templates = compile_templates(
            self.run.sources,
            &config,
            &Some(Arc::clone(&set)),
            &mut diags,
        );
        let shared = Shared {
            report_set: Some(Arc::clone(&set)),
            escalation: routes,
            new_snapshots: Vec::new(),
            cache: Arc::clone(&self.cache),
            templates: templates.clone(),
            data_time: Default::default(),
        };
        let built = unrendered(
            self.run.sources,
            edition,
            assembled.lib,
            config,
            self.run.opts,
            shared,
        );
        let Some(templates) = templates else {
            return Err(diags);
        };
        // The period's own commentary only; the others are the site's business.
        let (commentary, _notes) = crate::reports::status_notes::take(assembled.commentary);
        let of_period = |raw: &crate::content::page::RawPage| {
            commentary_of_period(&raw.rel_path, kind, label).is_some()
        };
        let mine: Vec<_> = commentary.into_iter().filter(of_period).collect();
        let pictures = self.pictures(edition.content, &mine, &mut diags);
        let slugs: Vec<&str> = (self.config.customers.iter())
            .map(|c| c.slug.as_str())
            .collect();
        let rules = reports::CommentaryRules {
            edition: set.customer.is_some(),
            drafts: false,
            document: Some(self.document),
            slugs: &slugs,
        };
        let commentary = reports::read_commentary(mine, &set, rules, &mut diags);
        let figures = built.figure_data.figures();
        let bodies = BodyRenderer {
            lib: &built.lib,
            config: &built.config,
            templates: &templates,
            ui: UiStrings::for_language(&built.config.language),
            cache: &built.cache,
            figures: &figures,
            kept: None,
        };
        let commentary = bodies.commentary(commentary, &mut diags);
        if diags.iter().any(|d| d.is_error()) {
            return Err(diags);
        }
        if let Ok(mut w) = self.warnings.lock() {
            w.extend(diags.into_iter());
        }
        let c = commentary.first().map(|(c, html)| (c, html.clone()));
        let mut view = page_view(&set, kind, index, c, &built.config.language);
        view.pictures = pictures;
        Ok(Some(view))
    }

    /// The pictures the period's commentary shows from its folder, read as the site reads its
    /// content files (`editions::select` gives an edition the same ones).
    fn pictures(
        &self,
        content: &ContentSources,
        commentary: &[crate::content::page::RawPage],
        diags: &mut Diagnostics,
    ) -> Vec<(String, Arc<Vec<u8>>)> {
        let folder = self.run.sources.root.join(content.shown_dir());
        let shown = (commentary.iter())
            .flat_map(|raw| super::customer_files::commentary_files(raw, &content.assets));
        shown
            .filter_map(|path| {
                let name = path.to_string_lossy().replace('\\', "/");
                let bytes = match content.asset_bytes.get(&path) {
                    Some(bytes) => Arc::clone(bytes),
                    None => match self.run.sources.reader.file(folder.join(&path)).read() {
                        Ok(bytes) => Arc::new(bytes),
                        Err(e) => {
                            diags.push(crate::error::Diagnostic::error(
                                crate::error::Code::Content,
                                crate::error::Location::file(content.shown_dir().join(&path)),
                                e,
                            ));
                            return None;
                        }
                    },
                };
                Some((name, bytes))
            })
            .collect()
    }
}

/// The errors of `slug`'s commentary for the report of `kind` and `label` that could not be
/// read (its front matter broken): such a file is in no edition's content, and the document
/// must not go out without it, as the build stops for it.
fn unreadable_commentary(
    diags: &Diagnostics,
    kind: PeriodKind,
    label: &str,
    slug: &str,
) -> Diagnostics {
    let content = std::path::Path::new(crate::layout::SiteFolder::Content.name());
    let its = |file: &std::path::Path| {
        let rel = file.strip_prefix(content).unwrap_or(file);
        commentary_of_period(rel, kind, label) == Some(Some(slug))
    };
    let mut out = Diagnostics::default();
    for d in diags
        .iter()
        .filter(|d| d.is_error() && its(&d.location.file))
    {
        out.push(d.clone());
    }
    out
}

/// Whether the content file `rel` is commentary on the report of `kind` for `label`
/// (`reports/monthly/2026-10.md`, or a customer's `reports/monthly/2026-10/<slug>.md`): the
/// customer's part when it is one.
fn commentary_of_period<'a>(
    rel: &'a std::path::Path,
    kind: PeriodKind,
    label: &str,
) -> Option<Option<&'a str>> {
    let (k, customer) = crate::reports::commentary::place_of(rel)?;
    let named = match customer {
        None => rel.file_stem(),
        Some(_) => rel.parent().and_then(|p| p.file_name()),
    };
    let of_label = (named.and_then(|s| s.to_str())).is_some_and(|s| s.eq_ignore_ascii_case(label));
    (k == kind && of_label).then_some(customer)
}
