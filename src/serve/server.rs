//! Answering requests from the site held in memory: GET and HEAD only, paths resolved by
//! `paths::resolve` (never a file outside the build), the live-reload script put into every HTML
//! page, `Cache-Control: no-store`, the site's own 404 page. A pool of worker threads shares
//! one tiny_http server; event streams leave the pool (`EventHub`) so they never hold a worker.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::live::{self, EventHub, EVENTS_PATH};
use super::paths::{self, Target};
use super::session::SiteFiles;
use crate::render::AssetSource;
use crate::site::output::{OutputContent, OutputFile};

/// What the workers answer from, swapped whole after each rebuild.
pub struct Served {
    pub files: Option<Arc<SiteFiles>>,
    /// Bumped by every rebuild, good or not: a page served before it reloads on connecting.
    pub generation: u64,
    /// The errors of the last rebuild when it failed (shown over every page).
    pub error: Option<String>,
    /// The site's base path (`/` or `/portal/`).
    pub prefix: String,
    /// The live-reload script every HTML answer gets (`live::script` of the above).
    pub script: String,
}

impl Served {
    pub fn new(
        files: Option<Arc<SiteFiles>>,
        generation: u64,
        error: Option<String>,
        prefix: String,
    ) -> Served {
        let script = live::script(generation, error.as_deref());
        Served {
            files,
            generation,
            error,
            prefix,
            script,
        }
    }
}

/// State shared by the workers and the rebuild loop.
pub struct Shared {
    pub site: RwLock<Arc<Served>>,
    pub hub: EventHub,
    /// The search index (`pagefind/…`), made in the background after rebuilds (`indexer`).
    pub search: RwLock<Arc<HashMap<String, OutputFile>>>,
}

impl Shared {
    pub fn current(&self) -> Arc<Served> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn replace(&self, served: Served) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(served);
    }

    pub fn search(&self) -> Arc<HashMap<String, OutputFile>> {
        self.search
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn set_search(&self, files: HashMap<String, OutputFile>) {
        *self.search.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(files);
    }
}

/// Take requests until the server is unblocked.
pub fn worker(server: Arc<tiny_http::Server>, shared: Arc<Shared>) {
    while let Ok(request) = server.recv() {
        handle(request, &shared);
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Answer one request.
pub fn handle(request: Request, shared: &Shared) {
    let method = request.method().clone();
    if method != Method::Get && method != Method::Head {
        let r = Response::from_string(
            "405 Method Not Allowed: the preview answers GET and HEAD only\n",
        )
        .with_status_code(StatusCode(405))
        .with_header(header("Allow", "GET, HEAD"))
        .with_header(header("Content-Type", "text/plain; charset=utf-8"));
        let _ = request.respond(r);
        return;
    }
    let served = shared.current();
    let url = request.url().to_string();
    if url.split('?').next() == Some(EVENTS_PATH) {
        let greeting = live::greeting(served.generation, served.error.as_deref());
        shared.hub.subscribe(request.into_writer(), &greeting);
        return;
    }
    let Some(files) = served.files.as_ref() else {
        let _ = request.respond(html_response(
            404,
            live::inject(NOT_BUILT.as_bytes(), &served.script),
        ));
        return;
    };
    let search = shared.search();
    let exists = |p: &str| files.contains_key(p) || search.contains_key(p);
    let response = match paths::resolve(&url, &served.prefix, exists) {
        Target::File(path) => match read(files, &path).or_else(|| bytes_of(search.get(&path)?)) {
            Some(bytes) => file_response(&path, bytes, &served),
            None => not_found(files, &served),
        },
        Target::Redirect(location) => {
            let status = if location == served.prefix { 302 } else { 301 };
            Response::from_data(Vec::new())
                .with_status_code(StatusCode(status))
                .with_header(header("Location", &location))
                .with_header(header("Cache-Control", "no-store"))
        }
        Target::NotFound => not_found(files, &served),
    };
    let _ = request.respond(response);
}

/// The bytes of an output file: kept in memory, or read from where the build would copy it.
fn read(files: &SiteFiles, path: &str) -> Option<Arc<Vec<u8>>> {
    bytes_of(files.get(path)?)
}

fn bytes_of(file: &OutputFile) -> Option<Arc<Vec<u8>>> {
    match &file.content {
        OutputContent::Bytes(b) => Some(Arc::clone(b)),
        OutputContent::Asset(AssetSource::Embedded(b)) => Some(Arc::new(b.to_vec())),
        OutputContent::Asset(AssetSource::Disk(f)) => f.read().ok().map(Arc::new),
        OutputContent::Asset(AssetSource::Shared(b)) => Some(Arc::clone(b)),
        // The preview renders every page itself; it is never given earlier renders.
        OutputContent::Kept(_) => None,
    }
}

fn file_response(
    path: &str,
    bytes: Arc<Vec<u8>>,
    served: &Served,
) -> Response<std::io::Cursor<Vec<u8>>> {
    let content_type = paths::content_type(path);
    let body = if content_type.starts_with("text/html") {
        live::inject(&bytes, &served.script)
    } else {
        bytes.to_vec()
    };
    Response::from_data(body)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn not_found(files: &SiteFiles, served: &Served) -> Response<std::io::Cursor<Vec<u8>>> {
    let page = read(files, "404.html")
        .map(|b| with_base(&b, &served.prefix))
        .unwrap_or_else(|| {
            b"<!doctype html><meta charset=utf-8><title>404</title><p>404: no such page".to_vec()
        });
    html_response(404, live::inject(&page, &served.script))
}

/// The 404 page is written for the site's root but answers at any depth: with relative links
/// (`relative_urls: true`) its styles and links would resolve against the missing path.
fn with_base(html: &[u8], prefix: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.find("<head>") {
        Some(i) if !text.contains("<base ") => {
            let at = i + "<head>".len();
            let href = crate::markdown::highlight::escape_html(prefix);
            format!("{}<base href=\"{href}\">{}", &text[..at], &text[at..]).into_bytes()
        }
        _ => html.to_vec(),
    }
}

fn html_response(status: u16, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", "text/html; charset=utf-8"))
        .with_header(header("Cache-Control", "no-store"))
}

/// Shown while no build has succeeded yet (the error overlay covers it).
const NOT_BUILT: &str = "<!doctype html><html lang=en><meta charset=utf-8><title>opsite: not built yet</title>\
<body><p>The site has not built yet: fix the errors shown, and this page reloads.</p></body></html>";
