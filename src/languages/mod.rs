//! Bilingual sites. Each language listed in `site.yaml` `languages:` is built from its own share
//! of the content through the same pipeline (the default language at the site root, the others
//! under `/<code>/`). This module holds what is particular to languages: cutting the content into
//! each language's (a folder each, or Hugo's `page.en.md` names), and the switcher's view of each
//! page: the same page in every other language (linked by `translationKey` or by the same path in
//! the content), else that language's home, with the `hreflang` alternates, computed from every
//! language's pages before any page is rendered.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Serialize;

use crate::config::languages::{Language, LanguageContent};
use crate::content::source::{ContentSources, SourceFile};
use crate::content::{urls, Library};
use crate::error::{Code, Diagnostic, Location};

/// `page.en.md` → (`page.md`, `en`) when `en` is one of `codes`.
fn language_of_name(rel: &Path, codes: &[&str]) -> Option<(PathBuf, String)> {
    let name = rel.file_name()?.to_str()?;
    let (stem, ext) = name.rsplit_once('.')?;
    let (base, code) = stem.rsplit_once('.')?;
    let code = codes.iter().find(|c| c.eq_ignore_ascii_case(code))?;
    if base.is_empty() {
        return None;
    }
    Some((
        rel.with_file_name(format!("{base}.{ext}")),
        code.to_string(),
    ))
}

/// Each language's share of `content` (in the order of `languages`), and the problems of
/// cutting it: a file in no language, two files for one page.
pub fn split(
    content: &ContentSources,
    languages: &[Language],
) -> (Vec<ContentSources>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let folder_of = |l: &Language| match &l.content {
        LanguageContent::Folder(f) => Some(PathBuf::from(f)),
        LanguageContent::Suffix => None,
    };
    let folders: Vec<Option<PathBuf>> = languages.iter().map(folder_of).collect();
    let suffixed: Vec<&str> = languages
        .iter()
        .filter(|l| l.content == LanguageContent::Suffix)
        .map(|l| l.code.as_str())
        .collect();
    let index_of = |code: &str| languages.iter().position(|l| l.code == code);
    let default_takes_rest = languages[0].content == LanguageContent::Suffix;
    let mut out: Vec<ContentSources> = folders
        .iter()
        .map(|f| ContentSources {
            dir: match f {
                Some(f) => content.shown_dir().join(f),
                None => content.dir.clone(),
            },
            ..Default::default()
        })
        .collect();
    // Which language a path of the content belongs to, and its path there.
    let place = |rel: &Path| -> Vec<(usize, PathBuf)> {
        for (i, f) in folders.iter().enumerate() {
            if let Some(f) = f {
                if let Ok(rest) = rel.strip_prefix(f) {
                    return vec![(i, rest.to_path_buf())];
                }
            }
        }
        Vec::new()
    };
    let all_codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
    let mut homeless = Vec::new();
    // Each language's pages so far: path there → the file's name on disk.
    let mut seen: Vec<HashMap<PathBuf, PathBuf>> = vec![HashMap::new(); languages.len()];
    for file in &content.files {
        let shown = |rel: &Path| content.shown_dir().join(rel);
        let (i, rel) = match place(&file.rel_path).into_iter().next() {
            Some((i, rest)) => {
                // `page.en.md` inside Japanese's folder: neither language's page as meant.
                if let Some((_, code)) = language_of_name(&rest, &all_codes) {
                    diags.push(Diagnostic::warning(
                        Code::Content,
                        Location::file(shown(&file.rel_path)),
                        format!(
                            "names the language `{code}` but lies in the folder of `{}`; not built: move it to {code}'s pages, or take `.{code}` out of its name",
                            languages[i].code
                        ),
                    ));
                    continue;
                }
                (i, rest)
            }
            None => match language_of_name(&file.rel_path, &suffixed) {
                Some((rel, code)) => (index_of(&code).unwrap_or(0), rel),
                None if default_takes_rest => (0, file.rel_path.clone()),
                None => {
                    homeless.push(file.rel_path.clone());
                    continue;
                }
            },
        };
        let on_disk = shown(&file.rel_path);
        if let Some(first) = seen[i].get(&rel) {
            diags.push(Diagnostic::error(
                Code::Content,
                Location::file(&on_disk),
                format!(
                    "is the same page of `{}` as {}; keep one of the two",
                    languages[i].code,
                    first.display()
                ),
            ));
            continue;
        }
        seen[i].insert(rel.clone(), on_disk);
        let target = &mut out[i];
        if folders[i].is_none() && rel != file.rel_path {
            target
                .shown_names
                .insert(rel.clone(), file.rel_path.clone());
        }
        target.files.push(SourceFile {
            rel_path: rel,
            text: file.text.clone(),
        });
    }
    for dir in &content.dirs {
        match place(dir).into_iter().next() {
            Some((i, rest)) if !rest.as_os_str().is_empty() => out[i].dirs.push(rest),
            Some(_) => {}
            None => {
                for (i, l) in languages.iter().enumerate() {
                    let is_a_folder = folders.iter().flatten().any(|f| f.starts_with(dir));
                    if l.content == LanguageContent::Suffix && !is_a_folder {
                        out[i].dirs.push(dir.clone());
                    }
                }
            }
        }
    }
    share_assets(content, languages, &folders, &mut out);
    if let Some(first) = homeless.first() {
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        diags.push(Diagnostic::warning(
            Code::Content,
            Location::file(content.shown_dir().join(first)),
            format!(
                "in no language, not built ({} file{} like it): move it into a language's folder, or name it page.<code>.md ({})",
                homeless.len(),
                if homeless.len() == 1 { "" } else { "s" },
                codes.join(", ")
            ),
        ));
    }
    out.iter_mut().for_each(tidy);
    (out, diags)
}

/// The content's other files (images) into the languages: those in a language's folder to it;
/// shared ones to the default language (when it takes the shared content), and to each other
/// language that has a page in their folder.
fn share_assets(
    content: &ContentSources,
    languages: &[Language],
    folders: &[Option<PathBuf>],
    out: &mut [ContentSources],
) {
    let default_takes_rest = languages[0].content == LanguageContent::Suffix;
    for asset in &content.assets {
        let own = folders.iter().enumerate().find_map(|(i, f)| {
            let rest = asset.strip_prefix(f.as_ref()?).ok()?;
            Some((i, rest.to_path_buf()))
        });
        let targets: Vec<(usize, PathBuf)> = match own {
            Some(t) => vec![t],
            None => (0..languages.len())
                .filter(|&i| folders[i].is_none())
                .filter(|&i| {
                    (i == 0 && default_takes_rest)
                        || (out[i].files.iter()).any(|f| f.rel_path.parent() == asset.parent())
                })
                .map(|i| (i, asset.clone()))
                .collect(),
        };
        for (i, rel) in targets {
            if let Some(bytes) = content.asset_bytes.get(asset) {
                out[i].asset_bytes.insert(rel.clone(), Arc::clone(bytes));
            }
            out[i].assets.push(rel);
        }
    }
}

/// A language's files in a stable order, without repeats of folders and other files.
fn tidy(part: &mut ContentSources) {
    part.files.sort_by(|a, b| a.rel_path.cmp(&b.rel_path));
    part.assets.sort();
    part.assets.dedup();
    part.dirs.sort();
    part.dirs.dedup();
}

/// The switcher as templates see it: `site.languages`.
#[derive(Debug, Clone, Serialize)]
pub struct LanguagesView {
    /// The language of this page.
    pub current: String,
    pub current_name: String,
    pub list: Vec<LanguageLinkView>,
    /// `<link rel="alternate" hreflang>`: this page in each language that has it, and
    /// `x-default` for the default language's.
    pub alternates: Vec<AlternateView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LanguageLinkView {
    pub code: String,
    pub name: String,
    /// This page in that language, or that language's home.
    pub url: String,
    pub current: bool,
    /// That language has this page (false: the link goes to its home).
    pub translated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlternateView {
    pub hreflang: String,
    /// A full address when the site has one (`base_url` with a host), else a site path.
    pub href: String,
}

/// What identifies one page across languages: its `translationKey`, else its path in the
/// language's content (`sop/daily.md`); generated pages (taxonomies, reports, search) by their
/// address inside the language's folder.
fn content_keys(lib: &Library) -> Vec<(String, String)> {
    lib.pages
        .iter()
        .filter(|p| !p.front.not_rendered)
        .map(|p| {
            let key = match p
                .front
                .translation_key
                .as_ref()
                .filter(|k| !k.trim().is_empty())
            {
                Some(k) => format!("key:{k}"),
                None if !p.rel_path.as_os_str().is_empty() => {
                    format!("file:{}", p.rel_path.to_string_lossy().replace('\\', "/"))
                }
                None => format!("path:{}", p.logical_path),
            };
            (p.output_path.clone(), key)
        })
        .collect()
}

/// One language's pages for the switchers: output path → key, key → output path, and every
/// other page it publishes.
#[derive(Debug, Default)]
struct Pages {
    key_of: HashMap<String, String>,
    path_of: HashMap<String, String>,
    published: HashSet<String>,
}

/// Every language's pages (of one version), known once all are assembled.
#[derive(Debug)]
pub struct LanguagePages {
    languages: Vec<Language>,
    /// Output folder of each language (`""`, `en/`), with a version's folder after it.
    folders: Vec<String>,
    pages: Vec<Pages>,
    /// `base_url`, for full addresses in `hreflang` links (None: the site has no host).
    base_url: Option<String>,
}

impl LanguagePages {
    /// `libs[i]`: language i's library; `extra[i]`: its other published output paths (search,
    /// taxonomies, reports); `folders[i]`: where its pages are (`en/`, `en/v/v1/`).
    pub fn new(
        languages: &[Language],
        libs: &[&Library],
        extra: Vec<HashSet<String>>,
        folders: Vec<String>,
        base_url: &str,
    ) -> LanguagePages {
        let pages = libs
            .iter()
            .zip(extra)
            .map(|(lib, published)| {
                let keys = content_keys(lib);
                Pages {
                    path_of: keys.iter().map(|(p, k)| (k.clone(), p.clone())).collect(),
                    key_of: keys.into_iter().collect(),
                    published,
                }
            })
            .collect();
        LanguagePages {
            languages: languages.to_vec(),
            folders,
            pages,
            base_url: crate::config::customers::place(base_url)
                .is_some()
                .then(|| base_url.trim_end_matches('/').to_string()),
        }
    }

    /// `output_path` of language `from` in language `to`, when `to` has it.
    fn counterpart(&self, from: usize, output_path: &str, to: usize) -> Option<String> {
        if from == to {
            return Some(output_path.to_string());
        }
        if let Some(key) = self.pages[from].key_of.get(output_path) {
            if let Some(p) = self.pages[to].path_of.get(key) {
                return Some(p.clone());
            }
            if !key.starts_with("path:") {
                return None;
            }
        }
        let rest = output_path.strip_prefix(self.folders[from].as_str())?;
        let there = format!("{}{rest}", self.folders[to]);
        let t = &self.pages[to];
        (t.published.contains(&there) || t.key_of.contains_key(&there)).then_some(there)
    }

    fn full(&self, site_path: &str) -> String {
        match &self.base_url {
            Some(b) => format!("{b}{site_path}"),
            None => site_path.to_string(),
        }
    }

    /// The alternates of `output_path` (language `from`): (hreflang, site path) for each
    /// language that has the page, for the sitemap.
    pub fn alternates(&self, from: usize, output_path: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = (0..self.languages.len())
            .filter_map(|to| {
                let p = self.counterpart(from, output_path, to)?;
                Some((self.languages[to].code.clone(), urls::site_path(&p)))
            })
            .collect();
        if let Some((_, default)) = out.first().filter(|(c, _)| *c == self.languages[0].code) {
            out.push(("x-default".into(), default.clone()));
        }
        if out.iter().filter(|(c, _)| c != "x-default").count() < 2 {
            // The page is in one language only: no alternates to name.
            out.clear();
        }
        out
    }
}

/// One language's switcher (of one version).
#[derive(Debug, Clone)]
pub struct Switcher {
    pub pages: Arc<LanguagePages>,
    pub current: usize,
}

impl Switcher {
    /// The folder of this switcher's language (`""`, `/en`).
    pub fn language_prefix(&self) -> &str {
        &self.pages.languages[self.current].prefix
    }

    /// The switcher and the `hreflang` links of the page at `output_path`.
    pub fn view(&self, output_path: &str) -> LanguagesView {
        let all = &*self.pages;
        let found: Vec<Option<String>> = (0..all.languages.len())
            .map(|to| all.counterpart(self.current, output_path, to))
            .collect();
        let list = all
            .languages
            .iter()
            .zip(&found)
            .zip(&all.folders)
            .enumerate()
            .map(|(i, ((l, f), folder))| LanguageLinkView {
                code: l.code.clone(),
                name: crate::i18n::language_name(&l.code, l.name.as_deref()),
                url: match f {
                    Some(p) => urls::site_path(p),
                    None => urls::site_path(&format!("{folder}index.html")),
                },
                current: i == self.current,
                translated: f.is_some(),
            })
            .collect();
        let mut alternates: Vec<AlternateView> = all
            .languages
            .iter()
            .zip(&found)
            .filter_map(|(l, f)| {
                Some(AlternateView {
                    hreflang: l.code.clone(),
                    href: all.full(&urls::site_path(f.as_ref()?)),
                })
            })
            .collect();
        if let Some(d) = &found[0] {
            alternates.push(AlternateView {
                hreflang: "x-default".into(),
                href: all.full(&urls::site_path(d)),
            });
        }
        if found.iter().flatten().count() < 2 {
            // The page is in one language only: no alternates to name.
            alternates.clear();
        }
        let lang = &all.languages[self.current];
        LanguagesView {
            current: lang.code.clone(),
            current_name: crate::i18n::language_name(&lang.code, lang.name.as_deref()),
            list,
            alternates,
        }
    }
}

/// The folder of language `i` with a version's folder (`en/` + `v/v1/`).
pub fn folder(language: &Language, version_prefix: &str) -> String {
    let p = format!("{}{version_prefix}", language.prefix);
    match p.trim_start_matches('/') {
        "" => String::new(),
        p => format!("{p}/"),
    }
}
