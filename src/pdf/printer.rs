//! Printing documents: one headless Chromium for a run, the private temporary folder each
//! document is printed from, several documents side by side, and a report's contents numbered
//! from where a print put its sections.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::chromium::Print;
use super::{chromium, destinations, set_dates, set_element_names, Document};

/// A printed document.
pub struct Printed {
    pub pdf: Vec<u8>,
    /// What it asked for from outside its own files and was not given (a page's image on
    /// another server, a `file://` path): the document is printed without it.
    pub refused: Vec<String>,
}

/// How many times a document is printed at most to number its contents: the first print, one
/// with the numbers, and two more should showing them move what they number.
const NUMBERING_ROUNDS: usize = 3;

/// Documents printed at once. Most of a print is the browser's processes handing the page on to
/// each other, not work for a core: on 2 cores, 101 customers' monthly reports took 37.0 s two
/// at a time, 32.4 s four and 31.8 s eight (BENCHMARKS.md).
const SIDE_BY_SIDE: usize = 8;

/// The page of a document's folder printed first, and the one printed again with the page
/// numbers the first print gave its contents.
const FIRST_PAGE: &str = "document.html";
const PAGE_WITH_NUMBERS: &str = "document-with-page-numbers.html";

/// Whether a document is printed again, with its contents' page numbers: no; as its tab holds
/// it (the numbers set in the page); or with its HTML rendered again and loaded.
#[derive(Clone, Copy, PartialEq)]
enum Again {
    No,
    AsItIs,
    Load,
}

/// A document being printed: its folder and its tab.
struct Placed {
    dir: PathBuf,
    tab: chromium::Tab,
}

/// A headless Chromium and the private folder documents are printed from.
pub struct Printer {
    browser: chromium::Browser,
    work: PathBuf,
    /// Tabs done with their documents, for the next ones.
    idle_tabs: Vec<chromium::Tab>,
    /// Large files every document carries (the fonts, a logo), written once into the private
    /// folder and linked into each document's own: 4.6 MB of fonts was written out again for
    /// each of a hundred customers' reports.
    written_once: HashMap<blake3::Hash, PathBuf>,
}

/// Files at least this large are written once a run and linked into each document's folder.
const SHARED_FROM_BYTES: usize = 64 * 1024;

impl Printer {
    /// Find and start Chromium.
    pub fn start() -> Result<Printer, String> {
        let binary = chromium::find()?;
        let work = private_folder()?;
        match chromium::Browser::start(&binary, &work) {
            Ok(browser) => Ok(Printer {
                browser,
                work,
                idle_tabs: Vec::new(),
                written_once: HashMap::new(),
            }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&work);
                stop_if_signalled();
                Err(e)
            }
        }
    }

    /// The PDF of `doc`.
    pub fn print(&mut self, doc: &Document) -> Result<Printed, String> {
        (self.print_all(&[doc]).pop()).unwrap_or_else(|| Err("nothing was printed".into()))
    }

    /// The PDFs of `docs`, in their order, printed `SIDE_BY_SIDE` at a time (a page loads while
    /// another lays out); a document whose contents give page numbers is printed again in its
    /// tab.
    pub fn print_all(&mut self, docs: &[&Document]) -> Vec<Result<Printed, String>> {
        let mut printed = Vec::with_capacity(docs.len());
        for few in docs.chunks(SIDE_BY_SIDE) {
            printed.extend(self.print_side_by_side(few));
        }
        printed
    }

    /// `docs` printed at once, each from a folder and in a tab of its own.
    fn print_side_by_side(&mut self, docs: &[&Document]) -> Vec<Result<Printed, String>> {
        let placed: Vec<Result<Placed, String>> = docs.iter().map(|doc| self.place(doc)).collect();
        // A document whose contents are numbered is printed again: its first print is a draft.
        let first = |i: usize| match docs[i].with_pages.is_some() && !docs[i].contents.is_empty() {
            true => Print::Draft,
            false => Print::Final,
        };
        let mut pdfs = self.print_placed(&placed, |_| Some(Some(FIRST_PAGE)), first);
        // The contents' page numbers, from where the last print put each section, until a print
        // puts every section where the numbers it shows say (a style that moves the sections
        // once numbers are shown would otherwise make them wrong).
        let mut numbered_with: Vec<Option<HashMap<String, usize>>> = vec![None; docs.len()];
        for _ in 0..NUMBERING_ROUNDS {
            let mut again = vec![Again::No; docs.len()];
            for (i, doc) in docs.iter().enumerate() {
                let (Some(_), Ok(last), Ok(at)) = (&doc.with_pages, &pdfs[i], &placed[i]) else {
                    continue;
                };
                let pages = destinations::pages(last);
                if numbered_with[i].as_ref() == Some(&pages) {
                    continue;
                }
                match self.number(doc, at, &pages) {
                    Ok(how) => again[i] = how,
                    Err(e) => pdfs[i] = Err(e),
                }
                numbered_with[i] = Some(pages);
            }
            if again.iter().all(|a| *a == Again::No) {
                break;
            }
            let which = |i: usize| match again[i] {
                Again::No => None,
                Again::AsItIs => Some(None),
                Again::Load => Some(Some(PAGE_WITH_NUMBERS)),
            };
            let next = self.print_placed(&placed, which, |_| Print::Final);
            for (i, pdf) in next.into_iter().enumerate() {
                if again[i] != Again::No {
                    pdfs[i] = pdf;
                }
            }
        }
        for (i, numbered) in numbered_with.iter().enumerate() {
            let moved = (pdfs[i].as_ref().ok())
                .is_some_and(|pdf| numbered.as_ref() != Some(&destinations::pages(pdf)));
            if numbered.is_some() && moved {
                pdfs[i] = Err("the contents' page numbers move the sections they number (a style that changes the layout once they are shown?), so they cannot be right".into());
            }
        }
        (placed.into_iter().zip(pdfs).zip(docs))
            .map(|((at, pdf), doc)| {
                let at = at?;
                // A tab that printed serves the next document; one that failed (a page that
                // never loaded, a print that timed out) is closed.
                let mut refused = match pdf {
                    Ok(_) => {
                        let refused = self.browser.done_with(&at.tab);
                        self.idle_tabs.push(at.tab);
                        refused
                    }
                    Err(_) => self.browser.close_tab(at.tab),
                };
                let _ = std::fs::remove_dir_all(&at.dir);
                let mut seen = std::collections::HashSet::new();
                refused.retain(|url| seen.insert(url.clone()));
                let mut pdf = pdf?;
                set_dates(&mut pdf, doc.dated);
                set_element_names(&mut pdf);
                Ok(Printed { pdf, refused })
            })
            .collect()
    }

    /// Give `doc`'s contents the pages its sections start on: set in the page its tab holds
    /// when each line's number names its section (`data-page-of`), else (a site's own template
    /// without it) rendered again into a page to load.
    fn number(
        &mut self,
        doc: &Document,
        at: &Placed,
        pages: &HashMap<String, usize>,
    ) -> Result<Again, String> {
        if doc.contents.is_empty() {
            return Ok(Again::No);
        }
        let named = self.browser.number_contents(&at.tab, pages)?;
        if let Some(unknown) = named.iter().find(|id| !doc.contents.contains(*id)) {
            return Err(format!("the contents name a section `{unknown}` (data-page-of) that the document does not have; templates/pdf/report.html gives each line `data-page-of=\"{{{{ s.id }}}}\"`"));
        }
        if doc.contents.iter().all(|id| named.contains(id)) {
            return Ok(Again::AsItIs);
        }
        let with_pages = (doc.with_pages.as_ref()).ok_or("the document has no contents")?;
        let page = at.dir.join(PAGE_WITH_NUMBERS);
        let html = with_pages(pages)?;
        std::fs::write(&page, html).map_err(|e| format!("{}: {e}", page.display()))?;
        Ok(Again::Load)
    }

    /// `doc`'s HTML and files written into a folder of its own, and a tab opened for it.
    fn place(&mut self, doc: &Document) -> Result<Placed, String> {
        // Named by what it holds, not by its place in the run: a page naming another document's
        // folder (`../doc-1/`) would otherwise read its own when printed alone, and another's
        // (refused) in a batch, and the same report would print two ways. Only a second
        // document of the same HTML in one run gets a number.
        let named = blake3::hash(doc.html.as_bytes()).to_hex();
        let mut dir = self.work.join(format!("doc-{}", &named[..16]));
        for again in 2.. {
            if !dir.exists() {
                break;
            }
            dir = self.work.join(format!("doc-{}-{again}", &named[..16]));
        }
        let written = (|| {
            std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            for (rel, bytes) in &doc.files {
                let path = dir.join(rel);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("{}: {e}", parent.display()))?;
                }
                self.write_file(&path, bytes)?;
            }
            let page = dir.join(FIRST_PAGE);
            std::fs::write(&page, &doc.html).map_err(|e| format!("{}: {e}", page.display()))
        })();
        let dir = std::path::absolute(&dir).unwrap_or(dir);
        let tab = written.and_then(|()| match self.idle_tabs.pop() {
            Some(tab) => {
                self.browser.reuse_tab(&tab, &dir);
                Ok(tab)
            }
            None => self.browser.open_tab(&dir),
        });
        match tab {
            Ok(tab) => Ok(Placed { dir, tab }),
            Err(e) => {
                let _ = std::fs::remove_dir_all(&dir);
                Err(e)
            }
        }
    }

    /// `bytes` at `path` in a document's folder: a large file as a link to the one copy the
    /// run wrote (a tab reads only inside its own folder, and the link is there), else, or when
    /// a link cannot be made, written.
    fn write_file(&mut self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        let written =
            |p: &Path| std::fs::write(p, bytes).map_err(|e| format!("{}: {e}", p.display()));
        if bytes.len() < SHARED_FROM_BYTES {
            return written(path);
        }
        let key = blake3::hash(bytes);
        let once = match self.written_once.get(&key) {
            Some(once) => once.clone(),
            None => {
                let once = self
                    .work
                    .join(format!("shared-{}", self.written_once.len()));
                written(&once)?;
                self.written_once.insert(key, once.clone());
                once
            }
        };
        std::fs::hard_link(&once, path).or_else(|_| written(path))
    }

    /// The page `which` names in each placed document's folder (loaded first), or the page its
    /// tab holds (`Some(None)`), printed side by side as `print` says; a document it names
    /// nothing of is left out (its answer is an error no one reads).
    fn print_placed(
        &mut self,
        placed: &[Result<Placed, String>],
        which: impl Fn(usize) -> Option<Option<&'static str>>,
        print: impl Fn(usize) -> Print,
    ) -> Vec<Result<Vec<u8>, String>> {
        let chosen: Vec<(usize, &Placed, Option<&str>)> = (placed.iter().enumerate())
            .filter_map(|(i, at)| Some((i, at.as_ref().ok()?, which(i)?)))
            .collect();
        let urls: Vec<(usize, &chromium::Tab, String)> = (chosen.iter())
            .filter_map(|(i, at, page)| Some((*i, &at.tab, file_url(&at.dir.join((*page)?)))))
            .collect();
        let pages: Vec<(&chromium::Tab, &str)> = (urls.iter())
            .map(|(_, tab, url)| (*tab, url.as_str()))
            .collect();
        let mut loaded: HashMap<usize, Result<(), String>> = (urls.iter().map(|(i, _, _)| *i))
            .zip(self.browser.load_all(&pages))
            .collect();
        let ready: Vec<(usize, &chromium::Tab)> = (chosen.iter())
            .filter(|(i, _, _)| loaded.get(i).is_none_or(|l| l.is_ok()))
            .map(|(i, at, _)| (*i, &at.tab))
            .collect();
        let tabs: Vec<(&chromium::Tab, Print)> =
            (ready.iter()).map(|(i, tab)| (*tab, print(*i))).collect();
        let mut printed: HashMap<usize, Result<Vec<u8>, String>> = (ready.iter().map(|(i, _)| *i))
            .zip(self.browser.print_all(&tabs))
            .collect();
        let mut out: Vec<Result<Vec<u8>, String>> = (placed.iter())
            .map(|at| match at {
                Ok(_) => Err("not printed".into()),
                Err(e) => Err(e.clone()),
            })
            .collect();
        for (i, _, _) in &chosen {
            out[*i] = match loaded.remove(i) {
                Some(Err(e)) => Err(e),
                _ => printed
                    .remove(i)
                    .unwrap_or_else(|| Err("not printed".into())),
            };
        }
        out
    }

    /// Close the browser and remove the private folder (as dropping it does).
    pub fn finish(self) {}
}

impl Drop for Printer {
    fn drop(&mut self) {
        self.browser.close();
        let _ = std::fs::remove_dir_all(&self.work);
        stop_if_signalled();
    }
}

/// Stopped by a signal (the browser's folder removed): the run ends now, as asked.
fn stop_if_signalled() {
    if chromium::STOPPED.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("stopped by a signal; no PDF written");
        std::process::exit(130);
    }
}

/// A new folder only this user can read, under the system's temporary folder. Folders that
/// runs stopped by a signal left behind (their process is gone) are removed first.
fn private_folder() -> Result<PathBuf, String> {
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::temp_dir();
    remove_abandoned(&base);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    for attempt in 0..100u32 {
        let dir = base.join(format!(
            "opsite-pdf-{}-{nanos}-{attempt}",
            std::process::id()
        ));
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot make a temporary folder in {}: {e}",
                    base.display()
                ))
            }
        }
    }
    Err(format!(
        "cannot make a temporary folder in {}",
        base.display()
    ))
}

/// `opsite-pdf-<pid>-…` folders of this user whose process no longer runs.
fn remove_abandoned(base: &Path) {
    use std::os::unix::fs::MetadataExt;
    // Whether a process runs is read from /proc; without it (not Linux) nothing is removed.
    if !Path::new("/proc/self").exists() {
        return;
    }
    // SAFETY: geteuid has no preconditions.
    let me = unsafe { libc::geteuid() };
    let Ok(entries) = std::fs::read_dir(base) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        let Some(pid) = (name.strip_prefix("opsite-pdf-"))
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let ours =
            std::fs::symlink_metadata(entry.path()).is_ok_and(|m| m.is_dir() && m.uid() == me);
        if ours && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `file://` URL of an absolute path, each byte outside the unreserved set percent-encoded.
pub(super) fn file_url(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut url = String::from("file://");
    for b in abs.as_os_str().as_encoded_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                url.push(*b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}
