//! The names of a site's files and folders, and the fixed addresses, that modules at every level
//! need (the configuration file, the output folder's mark, the search page): kept here, below
//! all of them, so naming one does not pull in the module that owns its meaning.

/// The site's configuration file, at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The file that marks a folder as opsite's output (only such a folder is ever replaced).
pub const MARK_FILE: &str = ".opsite-output";

/// Site path of the search page.
pub const SEARCH_PAGE: &str = "/search/";

/// The search page of the site, or of an older version (`prefix` `/v/v1`).
pub fn search_page(prefix: &str) -> String {
    format!("{prefix}{SEARCH_PAGE}")
}
