//! Lists the languages opsite has words for: every `src/i18n/<code>.yaml`, embedded in the
//! binary. A third language is one more file there; nothing else names the languages.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
    println!("cargo:rerun-if-changed=src/i18n");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("src/i18n")
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let code = path.file_stem()?.to_str()?.to_string();
            (path.extension()? == "yaml").then(|| (code, path.display().to_string()))
        })
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every language opsite has words for: its code and its file of words.\npub(crate) const FILES: &[(&str, &str)] = &[\n",
    );
    for (code, path) in files {
        // The folder alone is watched for files added or removed; an edit to a file changes
        // only the file's time, and the words embedded must follow it.
        println!("cargo:rerun-if-changed={path}");
        let _ = writeln!(out, "    ({code:?}, include_str!({path:?})),");
    }
    out.push_str("];\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("languages.rs");
    std::fs::write(target, out).expect("write languages.rs");
}
