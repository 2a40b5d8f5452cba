//! The browser's tabs: each opened for one document's folder (or given the next document),
//! its page loaded and made ready to print, printed, its contents numbered in the page, and
//! closed or kept for the next.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{json, Value};

use super::access::same_file_url;
use super::{Browser, Print, Tab};

impl Browser {
    /// A new tab whose page may read only files of `folder` (its own document's), scripts off,
    /// every request held for `answer_request`. Each document is printed in a tab of its own.
    pub fn open_tab(&mut self, folder: &Path) -> Result<Tab, String> {
        let target = self.call("Target.createTarget", json!({"url": "about:blank"}), None)?;
        let target = target["targetId"].as_str().unwrap_or_default().to_string();
        let attached = self.call(
            "Target.attachToTarget",
            json!({"targetId": target, "flatten": true}),
            None,
        );
        let tab = Tab {
            target,
            session: (attached.as_ref().ok())
                .and_then(|a| a["sessionId"].as_str())
                .unwrap_or_default()
                .to_string(),
        };
        let set_up = attached.and_then(|_| {
            self.allowed
                .insert(tab.session.clone(), folder.to_path_buf());
            let s = Some(tab.session.as_str());
            self.call("Page.enable", json!({}), s)?;
            self.call(
                "Emulation.setScriptExecutionDisabled",
                json!({"value": true}),
                s,
            )?;
            // Laid out as it prints, so the fonts it asks for are the ones its print uses.
            self.call("Emulation.setEmulatedMedia", json!({"media": "print"}), s)?;
            self.call(
                "Fetch.enable",
                json!({"patterns": [{"urlPattern": "*"}]}),
                s,
            )
        });
        match set_up {
            Ok(_) => Ok(tab),
            Err(e) => {
                self.close_tab(tab);
                Err(e)
            }
        }
    }

    /// Open each `(tab, url)` at once and wait until every page has loaded: the pages lay out
    /// side by side.
    pub fn load_all(&mut self, pages: &[(&Tab, &str)]) -> Vec<Result<(), String>> {
        let sent: Vec<Result<u64, String>> = (pages.iter())
            .map(|(tab, url)| {
                self.send(
                    "Page.navigate",
                    json!({"url": url}),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        let answers = self.answers_to(&sent, "Page.navigate");
        let loaded = (pages.iter().zip(answers))
            .map(|((tab, url), answer)| {
                let nav = answer?;
                if let Some(e) = nav.get("errorText").and_then(Value::as_str) {
                    return Err(format!("cannot open {url}: {e}"));
                }
                self.wait_for("Page.loadEventFired", &tab.session)
                    .map(|_| ())
            })
            .collect();
        self.ready_to_print(pages, loaded)
    }

    /// `loaded`, each page that loaded also ready to print: still the document's own, and its
    /// fonts loaded.
    /// - A page's load event does not wait for fonts its layout had not asked for yet, and a
    ///   page printed before its fonts came has no text (a 13-chapter handbook in a tab that had
    ///   printed before). The page is laid out for print first, so it asks for the fonts its
    ///   print uses.
    /// - A page that asks to go elsewhere (a refresh from a site's own template or shortcode:
    ///   raw HTML in Markdown loses it) is said so, whether or not it has gone yet; one that
    ///   went elsewhere already (a refused address leaves the browser's error page in its
    ///   place) is known by its address.
    fn ready_to_print(
        &mut self,
        pages: &[(&Tab, &str)],
        loaded: Vec<Result<(), String>>,
    ) -> Vec<Result<(), String>> {
        const LAID_OUT_AND_FONTS: &str = "[...document.querySelectorAll('meta[http-equiv]')] \
            .some(m => m.httpEquiv.trim().toLowerCase() === 'refresh') ? [location.href, 'refresh'] : \
            (document.documentElement.getBoundingClientRect(), \
            document.fonts.ready.then(() => [location.href, document.fonts.status]))";
        let sent: Vec<Result<u64, String>> = (pages.iter().zip(&loaded))
            .map(|((tab, _), loaded)| {
                loaded.clone()?;
                self.send(
                    "Runtime.evaluate",
                    json!({"expression": LAID_OUT_AND_FONTS, "awaitPromise": true, "returnByValue": true}),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        const GONE: &str = "its page asks to go to another address (`<meta http-equiv=\"refresh\">` in a site's own template or shortcode?), so another page would be printed";
        (self.answers_to(&sent, "Runtime.evaluate").into_iter())
            .zip(pages)
            .map(|(answer, (_, url))| {
                let status = answer.map_err(|e| match e.contains("navigated") {
                    true => GONE.to_string(),
                    false => e,
                })?;
                let value = &status["result"]["value"];
                let here = value[0]
                    .as_str()
                    .is_some_and(|href| same_file_url(href, url));
                match (here, value[1].as_str()) {
                    (true, Some("loaded")) => Ok(()),
                    (false, _) | (_, Some("refresh")) => Err(GONE.into()),
                    _ => Err(format!("{url}: its fonts did not load ({status})")),
                }
            })
            .collect()
    }

    /// Print each tab's page at once as PDF bytes, as `Print` says: the document's own `@page`
    /// size, margins and margin boxes, backgrounds.
    pub fn print_all(&mut self, tabs: &[(&Tab, Print)]) -> Vec<Result<Vec<u8>, String>> {
        let sent: Vec<Result<u64, String>> = (tabs.iter())
            .map(|(tab, print)| {
                let whole = *print == Print::Final;
                self.send(
                    "Page.printToPDF",
                    json!({
                        "paperWidth": 210.0 / 25.4,
                        "paperHeight": 297.0 / 25.4,
                        "printBackground": true,
                        "displayHeaderFooter": false,
                        "preferCSSPageSize": true,
                        "generateDocumentOutline": whole,
                        "generateTaggedPDF": whole,
                    }),
                    Some(tab.session.as_str()),
                )
            })
            .collect();
        (self.answers_to(&sent, "Page.printToPDF").into_iter())
            .map(|answer| {
                let pdf = answer?;
                let data = pdf["data"].as_str().unwrap_or_default();
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .map_err(|e| format!("the browser's PDF did not decode: {e}"))
            })
            .collect()
    }

    /// Give each element of `tab`'s page that names a section (`data-page-of`) the page it
    /// starts on (`data-page`, which the document's CSS shows), so the page prints again with
    /// its contents numbered and is not loaded again; the sections the elements name.
    pub fn number_contents(
        &mut self,
        tab: &Tab,
        pages: &HashMap<String, usize>,
    ) -> Result<Vec<String>, String> {
        let s = Some(tab.session.as_str());
        let root = self.call("DOM.getDocument", json!({"depth": 0}), s)?;
        let found = self.call(
            "DOM.querySelectorAll",
            json!({"nodeId": root["root"]["nodeId"], "selector": "[data-page-of]"}),
            s,
        )?;
        let nodes = found["nodeIds"].as_array().cloned().unwrap_or_default();
        let mut named = Vec::with_capacity(nodes.len());
        for node in &nodes {
            let attributes = self.call("DOM.getAttributes", json!({"nodeId": node}), s)?;
            // Names and values, one after the other.
            let pairs = attributes["attributes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let section = (pairs.chunks(2))
                .find(|p| p[0].as_str() == Some("data-page-of"))
                .and_then(|p| p.get(1)?.as_str())
                .unwrap_or_default()
                .to_string();
            if let Some(page) = pages.get(&section) {
                self.call(
                    "DOM.setAttributeValue",
                    json!({"nodeId": node, "name": "data-page", "value": page.to_string()}),
                    s,
                )?;
            }
            named.push(section);
        }
        Ok(named)
    }

    /// Close `tab`; what its page asked for and was refused (outside its folder, or not a file).
    pub fn close_tab(&mut self, tab: Tab) -> Vec<String> {
        let _ = self.call("Target.closeTarget", json!({"targetId": tab.target}), None);
        self.done_with(&tab)
    }

    /// `tab`'s document printed: what its page asked for and was refused, and nothing left of
    /// it that the next document printed in the tab could read (its folder, its events).
    pub fn done_with(&mut self, tab: &Tab) -> Vec<String> {
        self.allowed.remove(&tab.session);
        let of_tab = |e: &Value| e.get("sessionId").and_then(Value::as_str) == Some(&tab.session);
        self.events.retain(|e| !of_tab(e));
        self.refused.remove(&tab.session).unwrap_or_default()
    }

    /// `tab`, done with its last document (`done_with`), given the next one's folder: a new
    /// tab starts a page process, and a hundred of them were a tenth of printing a hundred
    /// customers' reports.
    pub fn reuse_tab(&mut self, tab: &Tab, folder: &Path) {
        self.allowed
            .insert(tab.session.clone(), folder.to_path_buf());
    }
}
