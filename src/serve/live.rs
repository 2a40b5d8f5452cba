//! Live reload: the small script every served page gets, and the Server-Sent Events hub that
//! tells open pages a rebuild finished (reload, swap the stylesheet, or show the build's error).
//!
//! tiny_http buffers chunked responses, so an event could sit in a buffer forever; the event
//! stream is written on the raw connection (`Request::into_writer`) and flushed per event.

use std::io::Write;
use std::sync::Mutex;

/// The endpoint the script listens on, at the server's root whatever the site's base path.
pub const EVENTS_PATH: &str = "/__opsite/events";

/// What the open pages are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// These site paths (`/portal/sop/daily/`) changed: pages showing one of them reload.
    Pages(Vec<String>),
    /// Everything may have changed (templates, site.yaml, many pages).
    All,
    /// Only stylesheets changed: swap them in place, no reload.
    Styles(Vec<String>),
    /// The rebuild failed: show this (file:line: message …) over every page.
    Failed(String),
    /// A new search index is in: the search page (this site path) runs its query again.
    SearchIndex(String),
}

impl Change {
    fn event(&self, generation: u64) -> String {
        let list = |v: &[String]| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
        let (name, data) = match self {
            Change::Pages(p) => (
                "reload",
                format!(r#"{{"gen":{generation},"pages":{}}}"#, list(p)),
            ),
            Change::All => ("reload", format!(r#"{{"gen":{generation},"all":true}}"#)),
            Change::Styles(s) => (
                "styles",
                format!(r#"{{"gen":{generation},"styles":{}}}"#, list(s)),
            ),
            Change::SearchIndex(page) => (
                "search",
                format!(
                    r#"{{"page":{}}}"#,
                    serde_json::to_string(page).unwrap_or_else(|_| "\"\"".into())
                ),
            ),
            Change::Failed(text) => (
                "failed",
                format!(
                    r#"{{"gen":{generation},"error":{}}}"#,
                    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
                ),
            ),
        };
        format!("event: {name}\ndata: {data}\n\n")
    }
}

/// The open event streams.
#[derive(Default)]
pub struct EventHub {
    clients: Mutex<Vec<Box<dyn Write + Send>>>,
}

impl EventHub {
    /// Answer an event-stream request on its raw connection and keep it. `greeting` is sent
    /// first (the build's generation, and its error if the last build failed), so a page that
    /// connects after a rebuild it missed learns of it.
    pub fn subscribe(&self, mut writer: Box<dyn Write + Send>, greeting: &str) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                    Cache-Control: no-store\r\nConnection: keep-alive\r\n\
                    X-Accel-Buffering: no\r\n\r\nretry: 1000\n\n";
        if writer.write_all(head.as_bytes()).is_err()
            || writer.write_all(greeting.as_bytes()).is_err()
            || writer.flush().is_err()
        {
            return;
        }
        self.lock().push(writer);
    }

    /// Send `change` to every open page; streams that fail are dropped.
    pub fn publish(&self, change: &Change, generation: u64) {
        self.send_raw(&change.event(generation));
    }

    /// A comment line, so dead connections are noticed and proxies keep the stream open.
    pub fn ping(&self) {
        self.send_raw(": ping\n\n");
    }

    pub fn count(&self) -> usize {
        self.lock().len()
    }

    fn send_raw(&self, text: &str) {
        self.lock()
            .retain_mut(|w| w.write_all(text.as_bytes()).is_ok() && w.flush().is_ok());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Box<dyn Write + Send>>> {
        self.clients.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The first event of a stream: the generation the server is at, and its error if any.
pub fn greeting(generation: u64, error: Option<&str>) -> String {
    let mut s = format!("event: hello\ndata: {{\"gen\":{generation}}}\n\n");
    if let Some(e) = error {
        s.push_str(&Change::Failed(e.to_string()).event(generation));
    }
    s
}

/// The live-reload script for pages served at `generation` (with the build error, when the
/// last build failed). Made once per rebuild, not per request.
pub fn script(generation: u64, error: Option<&str>) -> String {
    let error_json = match error {
        Some(e) => serde_json::to_string(e).unwrap_or_else(|_| "null".into()),
        None => "null".into(),
    };
    // `</` cannot appear inside the inline script: JSON strings escape it.
    let error_json = error_json.replace("</", "<\\/");
    SCRIPT
        .replace("__GEN__", &generation.to_string())
        .replace("__ERROR__", &error_json)
        .replace("__EVENTS__", EVENTS_PATH)
}

/// Put `script` into an HTML page, before its closing `</body>` or at its end.
pub fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = find_last_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=haystack.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// Reload when this page changed (keeping the scroll position), swap stylesheets in place,
/// and show a failed build over the page until the next good one. Text only (`textContent`):
/// an error message is never parsed as HTML.
const SCRIPT: &str = r#"<script data-opsite-live>(function(){
var gen=__GEN__,err=__ERROR__,key="opsite-scroll:"+location.pathname;
function dec(s){try{return decodeURI(s);}catch(e){return s;}}
function here(p){var a=dec(location.pathname);return p===a||p+"index.html"===a||p===a+"/";}
function overlay(text){var o=document.getElementById("opsite-overlay");
if(!text){if(o)o.remove();return;}
if(!o){o=document.createElement("div");o.id="opsite-overlay";o.setAttribute("role","alert");
o.style.cssText="position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);color:#fff;overflow:auto;padding:2rem;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace";
var h=document.createElement("p");h.style.cssText="font:bold 18px/1.4 sans-serif;margin:0 0 1rem;color:#ff8a80";
h.textContent="opsite: the last rebuild failed — this page shows the last good build";
var pre=document.createElement("pre");pre.style.cssText="white-space:pre-wrap;margin:0;padding:0;border:0;background:none;color:#fff;font:inherit";
o.appendChild(h);o.appendChild(pre);(document.body||document.documentElement).appendChild(o);}
o.lastChild.textContent=text;}
function reload(){try{sessionStorage.setItem(key,String(window.scrollY));}catch(e){}location.reload();}
try{var y=sessionStorage.getItem(key);if(y!==null){sessionStorage.removeItem(key);
addEventListener("load",function(){scrollTo(0,+y);});}}catch(e){}
if(err)document.readyState==="loading"?addEventListener("DOMContentLoaded",function(){overlay(err);}):overlay(err);
if(!window.EventSource)return;
var es=new EventSource("__EVENTS__");
es.addEventListener("hello",function(e){var d=JSON.parse(e.data);if(d.gen!==gen)reload();});
es.addEventListener("reload",function(e){var d=JSON.parse(e.data);
if(d.all||d.pages.some(here)||err)reload();else gen=d.gen;});
es.addEventListener("styles",function(e){var d=JSON.parse(e.data);gen=d.gen;
document.querySelectorAll('link[rel~="stylesheet"]').forEach(function(l){
var u=new URL(l.href,location.href);if(d.styles.indexOf(dec(u.pathname))<0)return;
u.searchParams.set("v",d.gen);var n=l.cloneNode();n.href=u.href;
n.onload=function(){l.remove();};l.after(n);});overlay(null);err=null;});
es.addEventListener("failed",function(e){var d=JSON.parse(e.data);err=d.error;overlay(err);});
es.addEventListener("search",function(e){if(here(JSON.parse(e.data).page)&&!err)reload();});
})();</script>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body() {
        let page = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(page, &script(7, None))).unwrap();
        let at = out.find("<script data-opsite-live>").unwrap();
        assert!(at > out.find("<p>x</p>").unwrap());
        assert!(at < out.find("</BODY>").unwrap());
        assert!(out.contains("var gen=7,err=null"));
        // A fragment without </body> gets it at the end.
        let out = String::from_utf8(inject(b"<p>x</p>", &script(1, None))).unwrap();
        assert!(out.starts_with("<p>x</p><script"));
    }

    #[test]
    fn error_text_cannot_close_the_script() {
        let out = String::from_utf8(inject(
            b"<body></body>",
            &script(
                2,
                Some("content/a.md:3:1: error: </script><img src=x onerror=alert(1)>"),
            ),
        ))
        .unwrap();
        assert_eq!(out.matches("</script>").count(), 1, "{out}");
        assert!(out.contains(r"<\/script>"));
    }

    #[test]
    fn events_are_one_json_line() {
        let e = Change::Failed("a.md:1:1: error: bad\nsecond line".into()).event(3);
        assert!(e.starts_with("event: failed\ndata: {"));
        assert_eq!(e.matches('\n').count(), 3, "{e}");
        let e = Change::Pages(vec!["/sop/\"x\"/".into()]).event(4);
        assert!(e.contains(r#""pages":["/sop/\"x\"/"]"#), "{e}");
    }
}
