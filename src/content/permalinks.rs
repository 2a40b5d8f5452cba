//! Hugo's `permalinks`: the address of a section's regular pages made from a pattern
//! (`blog: /:section/:year/:month/:day/:slugorcontentbasename/`), so links a Hugo tree writes
//! to its posts' dated addresses reach them. A page's own `url` wins.

use std::path::Path;

use chrono::Datelike;

use super::front_matter::PageDate;
use super::urls;

/// What a pattern is filled from.
pub struct PermalinkPage<'a> {
    /// Relative to the content folder (`blog/2024-first/index.md`).
    pub rel_path: &'a Path,
    /// The file stands for its folder (a bundle's `index.md`).
    pub stands_for_folder: bool,
    pub title: &'a str,
    pub slug: Option<&'a str>,
    pub date: Option<PageDate>,
}

/// The pattern for a regular page at `rel_path`, from the site's patterns by section
/// (`SiteConfig::permalink_patterns`): the one keyed by its section's path (`docs/guides`),
/// else by its top-level section (`blog`).
pub fn pattern_for<'a>(
    patterns: &[(&str, &'a str)],
    rel_path: &Path,
    stands_for_folder: bool,
) -> Option<&'a str> {
    let lookup = |key: &str| patterns.iter().find(|(k, _)| *k == key).map(|(_, p)| *p);
    let mut dir = rel_path.parent()?;
    if stands_for_folder {
        dir = dir.parent()?;
    }
    let dir = dir.to_string_lossy().replace('\\', "/");
    let top = dir.split('/').next().filter(|t| !t.is_empty())?;
    lookup(&dir)
        .or_else(|| lookup(&format!("/{dir}")))
        .or_else(|| lookup(top))
        .or_else(|| lookup(&format!("/{top}")))
}

/// The pattern filled in, as a site path (`/blog/2024/05/01/first/`).
pub fn expand(pattern: &str, page: &PermalinkPage) -> String {
    // Hugo's date for a page without one is year 1, January 1st (a Monday).
    let date = page
        .date
        .map(|d| d.date_naive())
        .or_else(|| chrono::NaiveDate::from_ymd_opt(1, 1, 1))
        .unwrap_or_default();
    let (base, sections) = names(page);
    let section = sections.split('/').next().unwrap_or("").to_string();
    let slug = page
        .slug
        .filter(|s| !s.trim().is_empty())
        .map(urls::segment);
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(at) = rest.find(':') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let len = after
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(after.len());
        let token = &after[..len];
        let value = match token {
            "year" => format!("{:04}", date.year()),
            "month" => format!("{:02}", date.month()),
            "monthname" => date.format("%B").to_string().to_lowercase(),
            "day" => format!("{:02}", date.day()),
            "weekday" => date.weekday().num_days_from_sunday().to_string(),
            "weekdayname" => date.format("%A").to_string().to_lowercase(),
            "yearday" => format!("{:03}", date.ordinal()),
            "section" => section.clone(),
            "sections" => sections.clone(),
            "title" => urls::title_segment(page.title),
            "slug" => slug
                .clone()
                .unwrap_or_else(|| urls::title_segment(page.title)),
            "filename" | "contentbasename" => urls::segment(&base),
            "slugorfilename" | "slugorcontentbasename" => {
                slug.clone().unwrap_or_else(|| urls::segment(&base))
            }
            _ => format!(":{token}"),
        };
        out.push_str(&value);
        rest = &after[len..];
    }
    out.push_str(rest);
    let mut path = urls::from_front_matter(&out)
        .unwrap_or_else(|_| format!("/{}", out.trim_start_matches('/')));
    if !path.ends_with('/') && Path::new(&path).extension().is_none() {
        path.push('/');
    }
    path
}

/// The page's base name (the file's stem, or a bundle's folder) and its folders below the
/// content folder (`blog/news`).
fn names(page: &PermalinkPage) -> (String, String) {
    let named = if page.stands_for_folder {
        page.rel_path.parent().and_then(Path::file_name)
    } else {
        page.rel_path.file_stem()
    };
    let base = named
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut sections = page
        .rel_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    if page.stands_for_folder {
        sections.pop();
    }
    (base, sections.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page<'a>(
        rel: &'a str,
        folder: bool,
        slug: Option<&'a str>,
        date: Option<&str>,
    ) -> PermalinkPage<'a> {
        PermalinkPage {
            rel_path: Path::new(rel),
            stands_for_folder: folder,
            title: "First Post! 初投稿",
            slug,
            date: date.map(|d| crate::content::front_matter::parse_date(d).unwrap()),
        }
    }

    #[test]
    fn hugo_tokens_fill_the_pattern() {
        let p = page(
            "blog/news/first-post/index.md",
            true,
            None,
            Some("2024-05-01T10:00:00+09:00"),
        );
        assert_eq!(
            expand("/:section/:year/:month/:day/:slugorcontentbasename/", &p),
            "/blog/2024/05/01/first-post/"
        );
        assert_eq!(
            expand("/:sections/:title", &p),
            "/blog/news/first-post-初投稿/"
        );
        assert_eq!(
            expand(":year/:monthname/:yearday/:filename/", &p),
            "/2024/may/122/first-post/"
        );
        let s = page("posts/a.md", false, Some("Hello World"), None);
        assert_eq!(
            expand("/:section/:year/:slug/", &s),
            "/posts/0001/hello-world/"
        );
        assert_eq!(
            expand("/:slugorfilename/:unknown/", &s),
            "/hello-world/:unknown/"
        );
    }

    #[test]
    fn every_token_the_configuration_allows_is_filled() {
        let p = page(
            "blog/a.md",
            false,
            Some("s"),
            Some("2024-05-01T10:00:00+09:00"),
        );
        for token in crate::config::PERMALINK_TOKENS {
            let out = expand(&format!("/:{token}/"), &p);
            assert!(!out.contains(':') && out.len() > 2, "{token}: {out}");
        }
    }

    #[test]
    fn the_pattern_is_found_by_section() {
        let patterns =
            |yaml: &str| crate::config::SiteConfig::parse(yaml, Path::new("site.yaml")).unwrap();
        let site = patterns("permalinks: {blog: /b/:slug/, docs/guides: /g/:filename/}\n");
        let m = site.permalink_patterns();
        assert_eq!(
            pattern_for(&m, Path::new("blog/x/y.md"), false),
            Some("/b/:slug/")
        );
        assert_eq!(
            pattern_for(&m, Path::new("docs/guides/y.md"), false),
            Some("/g/:filename/")
        );
        assert_eq!(
            pattern_for(&m, Path::new("blog/x/index.md"), true),
            Some("/b/:slug/")
        );
        assert_eq!(pattern_for(&m, Path::new("y.md"), false), None);
        let site = patterns("permalinks: {page: {posts: /:year/:slug/}, section: {posts: /p/}}\n");
        let nested = site.permalink_patterns();
        assert_eq!(
            pattern_for(&nested, Path::new("posts/a.md"), false),
            Some("/:year/:slug/")
        );
    }
}
