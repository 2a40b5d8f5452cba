//! A report page as a build holds it: its address, title and kind, and its view, made only when
//! something reads it. Computing a view (tables, charts, every figure written out) is most of a
//! report page's cost; a customer's page says what its view is made from (`inputs`), so a build
//! can keep the page its last build made from the same inputs without computing the view.

use std::sync::{Arc, OnceLock};

use super::commentary::Commentary;
use super::views::{page_title, page_view, ReportPageView};
use super::ReportSet;
use crate::kpi::period::PeriodKind;

/// One published period's page.
pub struct ReportPage {
    /// Site path of the page.
    pub url: String,
    /// The page's title (the commentary's, else the report's heading), as its view has it.
    pub title: String,
    pub kind: PeriodKind,
    /// Everything the view is made from, hashed, when the set can say what that is (a
    /// customer's, whose figures come from `ReportSet::inputs` and site.yaml alone; site.yaml
    /// is in every page's key). None: the view itself keys the page.
    pub inputs: Option<[u8; 32]>,
    set: Arc<ReportSet>,
    index: usize,
    commentary: Option<(Commentary, String)>,
    language: String,
    view: OnceLock<ReportPageView>,
}

impl ReportPage {
    /// The page of the `index`th published period of `kind` in `set`, with its period's
    /// commentary (and that commentary's rendered body).
    pub fn new(
        set: &Arc<ReportSet>,
        kind: PeriodKind,
        index: usize,
        commentary: Option<(&Commentary, String)>,
        language: &str,
    ) -> ReportPage {
        let d = &set.published(kind)[index];
        let inputs = set.inputs.as_deref().map(|own| {
            let mut h = blake3::Hasher::new();
            crate::digest::hash_part(&mut h, b"report page view 1");
            crate::digest::hash_part(&mut h, own.as_bytes());
            crate::digest::hash_debug(&mut h, &(kind, index, &d.url, language));
            crate::digest::hash_debug(&mut h, &commentary);
            *h.finalize().as_bytes()
        });
        ReportPage {
            url: d.url.clone(),
            title: page_title(set, kind, index, commentary.as_ref().map(|c| c.0), language),
            kind,
            inputs,
            set: Arc::clone(set),
            index,
            commentary: commentary.map(|(c, html)| (c.clone(), html)),
            language: language.to_string(),
            view: OnceLock::new(),
        }
    }

    /// The page's view, computed the first time it is asked for.
    pub fn view(&self) -> &ReportPageView {
        self.view.get_or_init(|| {
            let commentary = (self.commentary.as_ref()).map(|(c, html)| (c, html.clone()));
            page_view(&self.set, self.kind, self.index, commentary, &self.language)
        })
    }
}
