//! The names of a site's files and folders, and the fixed addresses, that modules at every level
//! need (the configuration file, the output folder's mark, the search page): kept here, below
//! all of them, so naming one does not pull in the module that owns its meaning.

/// The site's configuration file, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The file that marks a folder as opsite's output (only such a folder is ever replaced).
pub const MARK_FILE: &str = ".opsite-output";

/// The folders of the content folder whose files are one report's own commentary (the internal
/// report's, or a customer's in `<period>/<slug>.md`).
pub const COMMENTARY_FOLDERS: [&str; 3] =
    ["reports/weekly", "reports/monthly", "reports/quarterly"];

/// Site path of the search page.
pub const SEARCH_PAGE: &str = "/search/";

/// The search page of the site, or of an older version (`prefix` `/v/v1`).
pub fn search_page(prefix: &str) -> String {
    format!("{prefix}{SEARCH_PAGE}")
}

/// A folder of a site, by name. Every set of folders opsite needs (where the output may not go,
/// what the preview watches, where the pages may not be …) is derived from what each holds, so
/// a new folder is placed once, here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteFolder {
    /// The pages, unless `content_dir` names another folder.
    Content,
    Data,
    Static,
    Themes,
    Templates,
    /// The site's own words, beside the theme's.
    I18n,
    /// A Hugo site's configuration folder (`config/_default/hugo.toml`).
    HugoConfig,
    /// A Hugo site's templates.
    HugoLayouts,
    /// Older versions' content.
    Versions,
    Output,
    /// Customer editions.
    Editions,
    /// Mail written by `opsite email`.
    Mail,
    /// Documents written by `opsite pdf`.
    Pdf,
    /// opsite's caches.
    Cache,
    Git,
}

/// What a folder holds, which decides every set it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Markdown pages people write.
    Pages,
    /// Files people write that make the site (static files, templates, words, configuration).
    SiteFiles,
    /// Exports opsite reads; never published.
    Data,
    /// Other versions' pages.
    VersionPages,
    /// What a build writes and replaces whole.
    Built,
    /// Documents for people (mail, PDFs) that commands write.
    Documents,
    /// The state of tools (caches, git).
    ToolState,
}

impl SiteFolder {
    pub const ALL: [SiteFolder; 15] = [
        SiteFolder::Content,
        SiteFolder::Data,
        SiteFolder::Static,
        SiteFolder::Themes,
        SiteFolder::Templates,
        SiteFolder::I18n,
        SiteFolder::HugoConfig,
        SiteFolder::HugoLayouts,
        SiteFolder::Versions,
        SiteFolder::Output,
        SiteFolder::Editions,
        SiteFolder::Mail,
        SiteFolder::Pdf,
        SiteFolder::Cache,
        SiteFolder::Git,
    ];

    /// Its name at the site root.
    pub const fn name(self) -> &'static str {
        match self {
            SiteFolder::Content => "content",
            SiteFolder::Data => "data",
            SiteFolder::Static => "static",
            SiteFolder::Themes => "themes",
            SiteFolder::Templates => "templates",
            SiteFolder::I18n => "i18n",
            SiteFolder::HugoConfig => "config",
            SiteFolder::HugoLayouts => "layouts",
            SiteFolder::Versions => "versions",
            SiteFolder::Output => "output",
            SiteFolder::Editions => "editions",
            SiteFolder::Mail => "mail",
            SiteFolder::Pdf => "pdf",
            SiteFolder::Cache => ".opsite",
            SiteFolder::Git => ".git",
        }
    }

    pub const fn holds(self) -> Holds {
        match self {
            SiteFolder::Content => Holds::Pages,
            SiteFolder::Static
            | SiteFolder::Themes
            | SiteFolder::Templates
            | SiteFolder::I18n
            | SiteFolder::HugoConfig
            | SiteFolder::HugoLayouts => Holds::SiteFiles,
            SiteFolder::Data => Holds::Data,
            SiteFolder::Versions => Holds::VersionPages,
            SiteFolder::Output | SiteFolder::Editions => Holds::Built,
            SiteFolder::Mail | SiteFolder::Pdf => Holds::Documents,
            SiteFolder::Cache | SiteFolder::Git => Holds::ToolState,
        }
    }

    /// The folder named `name` at the site root, if it is one of these.
    pub fn named(name: &str) -> Option<SiteFolder> {
        SiteFolder::ALL.into_iter().find(|f| f.name() == name)
    }

    /// What people wrote or tools keep: an output inside would overwrite it.
    pub fn holds_sources(self) -> bool {
        !matches!(self.holds(), Holds::Built | Holds::Documents)
    }

    /// What a build reads: the preview rebuilds when it changes.
    pub fn is_read_by_builds(self) -> bool {
        matches!(
            self.holds(),
            Holds::Pages | Holds::SiteFiles | Holds::Data | Holds::VersionPages
        )
    }

    /// Never published or copied into a site (a link to a file in it publishes nothing).
    pub fn is_private(self) -> bool {
        matches!(
            self.holds(),
            Holds::Data | Holds::Built | Holds::Documents | Holds::ToolState
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_folder_has_a_name_of_its_own() {
        for f in SiteFolder::ALL {
            assert_eq!(SiteFolder::named(f.name()), Some(f));
        }
        assert_eq!(SiteFolder::named("docs"), None);
    }

    /// What a reader of the sets expects of a few folders, so a wrong `holds` shows.
    #[test]
    fn the_sets_follow_what_each_folder_holds() {
        let read: Vec<&str> = (SiteFolder::ALL.into_iter())
            .filter(|f| f.is_read_by_builds())
            .map(SiteFolder::name)
            .collect();
        assert!(read.contains(&"i18n") && read.contains(&"static") && read.contains(&"data"));
        assert!(!read.contains(&"output") && !read.contains(&".git"));
        assert!(SiteFolder::Editions.is_private() && SiteFolder::Mail.is_private());
        assert!(!SiteFolder::Static.is_private() && !SiteFolder::Content.is_private());
        assert!(SiteFolder::I18n.holds_sources() && SiteFolder::Cache.holds_sources());
        assert!(!SiteFolder::Output.holds_sources() && !SiteFolder::Pdf.holds_sources());
    }
}
