//! `nav:`: the navigation's order and titles written out, in MkDocs' form, so a tree moved from
//! MkDocs keeps the order its `mkdocs.yml` gave it. Each entry is a page file (`sop/daily.md`),
//! `Title: file`, `Title: https://…` (a link) or `Title: [entries]` (a titled group).

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(try_from = "Value")]
pub struct Nav {
    pub entries: Vec<NavEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NavEntry {
    /// A page file relative to the content folder, with the title the navigation shows.
    Page { title: Option<String>, file: String },
    /// An address outside the content (`https://…`, `/api/`).
    Link { title: Option<String>, url: String },
    /// A titled group of entries.
    Group {
        title: String,
        entries: Vec<NavEntry>,
    },
}

/// A page of `nav:` in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct NavPlace {
    /// `/`-separated, relative to the content folder, without a leading `./`.
    pub file: String,
    pub title: Option<String>,
    /// 1 for the first page listed, then 2, 3 …
    pub position: i64,
}

/// A group of `nav:` and the pages listed under it (at any depth).
#[derive(Debug, Clone, PartialEq)]
pub struct NavGroup {
    pub title: String,
    pub files: Vec<String>,
    /// The position of its first page.
    pub position: i64,
}

impl TryFrom<Value> for Nav {
    type Error = String;

    fn try_from(v: Value) -> Result<Nav, String> {
        match v {
            Value::Null => Ok(Nav::default()),
            Value::Array(items) => Ok(Nav {
                entries: items.into_iter().map(entry).collect::<Result<_, _>>()?,
            }),
            _ => Err("nav: a list of entries (a file, `Title: file` or `Title: [entries]`)".into()),
        }
    }
}

fn is_link(target: &str) -> bool {
    target.contains("://") || target.starts_with('/') || target.starts_with("mailto:")
}

fn target(title: Option<String>, target: String) -> NavEntry {
    if is_link(&target) {
        NavEntry::Link { title, url: target }
    } else {
        let file = target.trim_start_matches("./").replace('\\', "/");
        NavEntry::Page { title, file }
    }
}

fn entry(v: Value) -> Result<NavEntry, String> {
    match v {
        Value::String(s) => Ok(target(None, s)),
        Value::Object(map) if map.len() == 1 => {
            let (title, value) = map.into_iter().next().expect("one key");
            match value {
                Value::String(s) => Ok(target(Some(title), s)),
                Value::Array(items) => Ok(NavEntry::Group {
                    title,
                    entries: items.into_iter().map(entry).collect::<Result<_, _>>()?,
                }),
                other => Err(format!(
                    "nav: `{title}: {other}`: a title takes a file, an address or a list of entries"
                )),
            }
        }
        other => Err(format!(
            "nav: `{other}` is not an entry; write a file (`sop/daily.md`), `Title: file` or `Title: [entries]`"
        )),
    }
}

impl Nav {
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The pages in reading order (a file listed twice keeps its first place).
    pub fn places(&self) -> Vec<NavPlace> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        walk(&self.entries, &mut |e| {
            if let NavEntry::Page { title, file } = e {
                if seen.insert(file.clone()) {
                    let position = out.len() as i64 + 1;
                    out.push(NavPlace {
                        file: file.clone(),
                        title: title.clone(),
                        position,
                    });
                }
            }
        });
        out
    }

    /// Every group with the pages under it.
    pub fn groups(&self) -> Vec<NavGroup> {
        let places: std::collections::HashMap<String, i64> = self
            .places()
            .into_iter()
            .map(|p| (p.file, p.position))
            .collect();
        let position = |f: &str| places.get(f).copied().unwrap_or(0);
        let mut out = Vec::new();
        walk(&self.entries, &mut |e| {
            if let NavEntry::Group { title, entries } = e {
                let mut files = Vec::new();
                walk(entries, &mut |inner| {
                    if let NavEntry::Page { file, .. } = inner {
                        files.push(file.clone());
                    }
                });
                let first = files.first().map_or(0, |f| position(f));
                out.push(NavGroup {
                    title: title.clone(),
                    files,
                    position: first,
                });
            }
        });
        out
    }

    /// Each page file's trail: the titles of the groups around its first place, outermost
    /// first, as MkDocs' themes show it. Worked out once for a build, not per page.
    pub fn trails(&self) -> std::collections::HashMap<String, Vec<String>> {
        fn walk(
            entries: &[NavEntry],
            path: &mut Vec<String>,
            out: &mut std::collections::HashMap<String, Vec<String>>,
        ) {
            for e in entries {
                match e {
                    NavEntry::Page { file, .. } => {
                        out.entry(file.clone()).or_insert_with(|| path.clone());
                    }
                    NavEntry::Group { title, entries } => {
                        path.push(title.clone());
                        walk(entries, path, out);
                        path.pop();
                    }
                    NavEntry::Link { .. } => {}
                }
            }
        }
        let mut out = std::collections::HashMap::new();
        walk(&self.entries, &mut Vec::new(), &mut out);
        out
    }

    /// The links, with their titles, in reading order.
    pub fn links(&self) -> Vec<(Option<String>, String)> {
        let mut out = Vec::new();
        walk(&self.entries, &mut |e| {
            if let NavEntry::Link { title, url } = e {
                out.push((title.clone(), url.clone()));
            }
        });
        out
    }
}

fn walk(entries: &[NavEntry], f: &mut impl FnMut(&NavEntry)) {
    for e in entries {
        f(e);
        if let NavEntry::Group { entries, .. } = e {
            walk(entries, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nav(yaml: &str) -> Result<Nav, String> {
        let v: Value = serde_yaml::from_str(yaml).unwrap();
        Nav::try_from(v)
    }

    #[test]
    fn mkdocs_forms_give_places_groups_and_links() {
        let n = nav(
            "- index.md\n- 運用手順:\n  - 日次点検: ./sop/daily.md\n  - sop/weekly.md\n- About: about.md\n- Status: https://status.example.jp/\n- index.md\n",
        )
        .unwrap();
        let places = n.places();
        let files: Vec<&str> = places.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            files,
            ["index.md", "sop/daily.md", "sop/weekly.md", "about.md"]
        );
        assert_eq!(places[1].title.as_deref(), Some("日次点検"));
        assert_eq!(places[3].position, 4);
        let groups = n.groups();
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].title, "運用手順");
        assert_eq!(groups[0].files, ["sop/daily.md", "sop/weekly.md"]);
        assert_eq!(groups[0].position, 2);
        assert_eq!(
            n.links(),
            [(
                Some("Status".to_string()),
                "https://status.example.jp/".to_string()
            )]
        );
    }

    #[test]
    fn entries_that_are_not_entries_are_refused() {
        assert!(nav("- {a: 1}\n").unwrap_err().contains("`a: 1`"));
        assert!(nav("- {a: x.md, b: y.md}\n").is_err());
        assert!(nav("index.md\n").is_err());
        assert!(nav("~\n").unwrap().is_empty());
    }
}
