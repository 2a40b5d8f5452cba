//! `content_rules`: where a tree written for MkDocs or Hugo reads its pages differently from a
//! site written for opsite (a title, an address's case, a front-matter block that does not
//! parse, two files for one address). Each rule is a key `opsite init` writes, so a tree built
//! from its own configuration and the same tree with the written `site.yaml` build the same bytes,
//! while a site written for opsite keeps opsite's rules.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ContentRules {
    pub titles: Titles,
    pub url_case: UrlCase,
    pub front_matter_errors: FrontMatterErrors,
    pub same_address: SameAddress,
}

/// `content_rules.titles`: where a page's title comes from.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Titles {
    /// Front matter `title`, else the first `# heading` (a comment above it allowed), else the
    /// file name; `nav:` titles only the navigation's link.
    #[default]
    Opsite,
    /// MkDocs' order: the `nav:` entry's title, then front matter `title`, then a `# heading`
    /// that is the page's first block, then the file name with `-` and `_` as spaces
    /// (capitalised when all lower case; `index.md` and `README.md` are `Index`).
    Mkdocs,
}

/// `content_rules.url_case`: the case of addresses made from file names and terms.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum UrlCase {
    /// Pages' addresses lower-cased (`Generators-Git.md` is `/generators-git/`), terms' as
    /// written (`/tags/ITIL/`).
    #[default]
    Opsite,
    /// Every address lower-cased, terms' too (`/categories/disk/`), as Hugo publishes them.
    Lower,
    /// As the file is named (`Generators-Git.md` is `/Generators-Git/`), as MkDocs publishes it.
    Keep,
}

/// `content_rules.front_matter_errors`: a page whose front-matter block does not parse.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum FrontMatterErrors {
    /// An error at its line: the build stops.
    #[default]
    Error,
    /// A warning at its line, and the block is shown as the page's text, as MkDocs shows it.
    Text,
}

/// `content_rules.same_address`: two files that would be published at one address.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum SameAddress {
    /// An error naming both.
    #[default]
    Error,
    /// MkDocs' choice, with a warning naming both: a folder's `README.md` or `index.md` over
    /// `p.md` beside the folder, and `index.md` over `README.md` in one folder.
    Mkdocs,
    /// Hugo's, with a warning naming both: a section's `_index.md` over `check.md` beside it.
    Hugo,
}
