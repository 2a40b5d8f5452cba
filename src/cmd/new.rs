//! `opsite new DIR`: a small working site (config and a few pages, in Japanese or English) to
//! start from.

use crate::layout::SiteFolder;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};

use crate::cli::{NewArgs, NewExample, NewLanguage};

/// What opsite writes beside the sources: the output, its caches, the status emails, the
/// customer editions and the PDFs.
const GITIGNORE: (&str, &str) = (
    ".gitignore",
    "/output/\n/.opsite/\n/mail/\n/editions/\n/pdf/\n",
);

const JAPANESE: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: 運用ポータル\nbase_url: https://ops.example.jp/\nlanguage: ja\nrelative_urls: true\nmenus:\n  main:\n    - {name: ホーム, url: /, weight: 1}\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: 運用ポータル\ndescription: 手順書とサービス情報をまとめたポータルです。\n---\n\nこのサイトは `opsite new` で作成されました。`content/` の Markdown を編集して `opsite build` を実行してください。\n\n- [運用手順](sop/_index.md)\n- [よくある質問](faq.md)\n",
    ),
    (
        "content/sop/_index.md",
        "---\ntitle: 運用手順\nmenu:\n  main:\n    weight: 10\ncascade:\n  owner: 運用チーム\n---\n\n定常作業の手順をまとめます。\n",
    ),
    (
        "content/sop/daily.md",
        "---\ntitle: 日次点検\nweight: 1\ntags: [点検]\nreview_by: 2099-12-31\n---\n\n## 朝の確認\n\n1. 監視ダッシュボードで未対応アラートがないことを確認する\n2. 夜間バッチの結果を確認する\n\n```bash\nsystemctl status nginx\n```\n\n> [!NOTE]\n> 異常があれば[エスカレーション](#連絡先)します。\n\n## 連絡先\n\n当番表を参照してください。\n",
    ),
    ("content/faq.md", "# よくある質問\n\n## パスワードを忘れた\n\nセルフサービス画面から再設定できます。\n"),
];

const ENGLISH: &[(&str, &str)] = &[
    (
        "site.yaml",
        "title: Operations portal\nbase_url: https://ops.example.com/\nlanguage: en\nrelative_urls: true\nmenus:\n  main:\n    - {name: Home, url: /, weight: 1}\n",
    ),
    (
        "content/_index.md",
        "---\ntitle: Operations portal\ndescription: Procedures and service information in one place.\n---\n\nThis site was made by `opsite new`. Edit the Markdown under `content/` and run `opsite build`.\n\n- [Procedures](sop/_index.md)\n- [FAQ](faq.md)\n",
    ),
    (
        "content/sop/_index.md",
        "---\ntitle: Procedures\nmenu:\n  main:\n    weight: 10\ncascade:\n  owner: Operations team\n---\n\nThe routine procedures.\n",
    ),
    (
        "content/sop/daily.md",
        "---\ntitle: Daily checks\nweight: 1\ntags: [checks]\nreview_by: 2099-12-31\n---\n\n## Morning checks\n\n1. Check the monitoring dashboard has no unhandled alerts\n2. Check the results of the night's batch jobs\n\n```bash\nsystemctl status nginx\n```\n\n> [!NOTE]\n> If anything is wrong, [escalate](#contacts).\n\n## Contacts\n\nSee the on-call rota.\n",
    ),
    ("content/faq.md", "# FAQ\n\n## I forgot my password\n\nReset it from the self-service page.\n"),
];

pub fn run(args: &NewArgs) -> anyhow::Result<ExitCode> {
    let dir = &args.dir;
    if dir.is_file() {
        bail!("{} is a file; give a name for a new folder", dir.display());
    }
    if let Some((site, place)) = inside_site_folder(dir) {
        bail!(
            "{} is inside the {place}/ folder of the site at {}; a new site needs a folder of its own",
            dir.display(),
            site.display()
        );
    }
    let word = shell_word(dir);
    if dir.join(crate::config::CONFIG_FILE).exists() {
        bail!(
            "{} holds a site already ({}); nothing written. Build it with `opsite build --root {word}`",
            dir.display(),
            crate::config::CONFIG_FILE
        );
    }
    // A repository just cloned or made (`git init`) holds only `.git`: the usual place to start.
    let holds_files = |d: &Path| match d.read_dir() {
        Ok(mut entries) => entries.any(|e| e.map_or(true, |e| e.file_name() != ".git")),
        Err(_) => true,
    };
    if dir.exists() && holds_files(dir) {
        bail!(
            "the folder {0} exists and is not empty; nothing written. Give a new folder's name \
             (opsite new my-site), or, for a Hugo or MkDocs site already in {0}, write its \
             site.yaml with `opsite init --root {word}`",
            dir.display()
        );
    }
    let starter = match args.language {
        NewLanguage::Ja => JAPANESE,
        NewLanguage::En => ENGLISH,
    };
    // The example's files take the place of the starter's of the same name (site.yaml, faq.md).
    let today = chrono::Local::now().date_naive();
    let example = match args.example {
        Some(NewExample::Msp) => super::new_example::msp_files(args.language, today),
        None => Vec::new(),
    };
    let mut files: std::collections::BTreeMap<&str, &str> = std::iter::once(&GITIGNORE)
        .chain(starter)
        .copied()
        .collect();
    files.extend(example.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    for (path, text) in files {
        write(dir, path, text)?;
    }
    // The commands are printed to be pasted: a folder with a space is quoted.
    let (d, w) = (dir.display(), word);
    if args.example == Some(NewExample::Msp) {
        let month = crate::kpi::period::first_of_month(today, -1).format("%Y-%m");
        // The made-up tickets end yesterday: the mail names that day's week, which on a Monday is
        // last week, since the week just begun has no ticket yet and would be refused.
        let yesterday = today - chrono::Duration::days(1);
        let week = crate::kpi::period::Period::containing(
            crate::kpi::period::PeriodKind::Week,
            yesterday,
            chrono_tz::UTC,
        )
        .label;
        println!(
            "created a managed-service example site in {d}: two customers, three months of made-up tickets and outages in data/\n  opsite build --root {w}                 # the site, and each customer's edition under editions/\n  opsite pdf monthly --period {month} --all-customers --root {w}   # each customer's report for {month}\n  opsite email weekly --period {week} --all-customers --dry-run --root {w}   # who gets which mail for {week}"
        );
    } else {
        println!(
            "created a new site in {d}\n  opsite serve --root {w}    # preview while you edit\n  opsite build --root {w}    # write {}",
            dir.join(SiteFolder::Output.name()).display(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `path` as one word of a POSIX shell command: as it is when it holds nothing the shell reads
/// (Japanese letters included), else in single quotes (`'/tmp/運用 ポータル'`).
fn shell_word(path: &Path) -> String {
    let text = path.display().to_string();
    let plain = |c: char| c.is_alphanumeric() || "/._-+,:@%=".contains(c);
    match !text.is_empty() && text.chars().all(plain) && !text.starts_with('-') {
        true => text,
        false => format!("'{}'", text.replace('\'', "'\\''")),
    }
}

fn write(dir: &Path, rel: &str, text: &str) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// The site and its folder (`content`, `data`, `.git`, a version's pages …) that `dir` would be
/// created in, if any: a site there would be published as pages, read as data of the outer
/// site, or lost with what opsite replaces.
fn inside_site_folder(dir: &Path) -> Option<(std::path::PathBuf, String)> {
    let abs = std::path::absolute(dir).ok()?;
    // As the file system goes, through links: the nearest folder that exists, resolved.
    let existing = abs.ancestors().find(|a| a.exists())?;
    let abs = existing
        .canonicalize()
        .ok()?
        .join(abs.strip_prefix(existing).ok()?);
    let parent = abs.parent()?;
    let site = super::find_site_root(parent)?;
    let rel = abs.strip_prefix(&site).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if let Some(folder) = SiteFolder::named(&first) {
        return Some((site, folder.name().to_string()));
    }
    // The outer site's content folder as configured, and its versions' folders.
    let (config, _) = crate::config::SiteConfig::load(&site).ok()?;
    let taken = (config.page_folders().into_iter()).find(|f| rel.starts_with(f))?;
    Some((site, taken))
}
