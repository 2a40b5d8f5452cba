//! Benchmark corpus: N pages of mixed Japanese/English operations documentation (1–3 KB each,
//! headings, tables, fenced code, cross links, tags) in sections of ~300 pages, plus minimal Hugo
//! layouts so the same folder builds with both tools.
//!
//!     cargo run --release --example gen_corpus -- 10000 /tmp/corpus-10k
//!
//! Deterministic: the same N gives the same files.

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const JA: &[&str] = &[
    "監視ダッシュボードでアラートの有無を確認します。",
    "障害の影響範囲を特定し、関係者へ第一報を送ります。",
    "作業前に必ずバックアップの取得状況を確認してください。",
    "変更作業は承認済みの手順書に従って実施します。",
    "応答時間が閾値を超えた場合は L2 にエスカレーションします。",
    "夜間バッチの結果はジョブ管理画面で確認できます。",
    "定期メンテナンスは第3土曜日の深夜に行います。",
    "顧客への連絡はサービスデスクが一元的に行います。",
];
const EN: &[&str] = &[
    "Check the on-call schedule before paging anyone.",
    "Record every step in the incident ticket as you go.",
    "Roll back if the error rate does not recover within ten minutes.",
    "Capacity alerts fire at 80 percent and page at 90 percent.",
    "Confirm the change window with the customer before starting.",
];
const HEADINGS: &[&str] = &[
    "概要",
    "前提条件",
    "手順",
    "確認方法",
    "切り戻し",
    "Escalation",
    "Verification",
    "記録",
    "注意事項",
    "Rollback plan",
];
const TAGS: &[&str] = &[
    "監視",
    "DB",
    "ネットワーク",
    "バックアップ",
    "SLA",
    "security",
    "linux",
    "windows",
    "クラウド",
    "証明書",
];

/// Fence languages and line templates; `{}` gets a number so no two blocks are alike (a corpus
/// of repeated blocks would measure the highlight cache, not the highlighter).
const CODE: &[(&str, &[&str])] = &[
    ("bash", &[
        "ssh web{} 'uptime; df -h /var | tail -1'",
        "systemctl status app-{} --no-pager | head -n 5",
        "journalctl -u app --since \"{} minutes ago\" | grep -c ERROR",
        "for i in $(seq 1 {}); do curl -s -o /dev/null -w '%{http_code}\\n' https://portal.example.jp/health; done",
        "if [ \"$(cat /proc/loadavg | cut -d' ' -f1 | cut -d. -f1)\" -gt {} ]; then echo high; fi",
        "export RETRY_LIMIT={}  # 再試行の上限",
        "tar czf /backup/etc-{}.tar.gz /etc && ls -lh /backup | tail -3",
    ]),
    ("yaml", &[
        "- alert: disk_usage_high_{}",
        "  expr: disk_used_percent > {}",
        "  for: {}m",
        "  labels: {severity: warning, team: ops-{}}",
        "  annotations:\n    summary: \"ディスク使用率が高い ({})\"",
        "replicas: {}",
        "timeout_seconds: {}",
    ]),
    ("sql", &[
        "SELECT id, priority, opened_at FROM tickets WHERE id > {} ORDER BY opened_at DESC;",
        "UPDATE jobs SET status = 'retry' WHERE attempts < {} AND status = 'failed';",
        "SELECT host, avg(cpu) FROM metrics WHERE ts > now() - interval '{} minutes' GROUP BY host;",
        "DELETE FROM sessions WHERE last_seen < now() - interval '{} days';",
        "INSERT INTO audit_log (actor, action, amount) VALUES ('ops', 'restart', {});",
    ]),
    ("python", &[
        "def check_{}(rows):\n    return [r for r in rows if r[\"latency_ms\"] > 500]",
        "THRESHOLD = {}",
        "for attempt in range({}):\n    if ping(host):\n        break",
        "print(f\"errors: {len(errors)} / {}\")",
        "with open(\"/var/log/app-{}.log\", encoding=\"utf-8\") as f:\n    lines = f.readlines()",
    ]),
    ("json", &[
        "{\"service\": \"portal-{}\", \"availability\": 99.9}",
        "{\"window\": {\"start\": \"00:00\", \"end\": \"04:00\"}, \"id\": {}}",
        "{\"contacts\": [\"l1@example.jp\", \"l2@example.jp\"], \"level\": {}}",
    ]),
];

fn code_block(rng: &mut Rng, out: &mut String) {
    let (lang, lines) = CODE[rng.index(CODE.len())];
    let _ = writeln!(out, "```{lang}");
    for _ in 0..4 + rng.below(7) {
        let line = lines[rng.index(lines.len())];
        out.push_str(&line.replacen("{}", &rng.below(100_000).to_string(), 1));
        out.push('\n');
    }
    out.push_str("```\n\n");
}

fn page(rng: &mut Rng, n: usize, sections: usize, per_section: usize, total: usize) -> String {
    let mut s = String::with_capacity(3000);
    let tags: Vec<&str> = (0..2).map(|_| rng.pick(TAGS)).collect();
    let _ = write!(
        s,
        "---\ntitle: \"手順 {n:05} {}\"\nweight: {}\ndate: 2026-{:02}-{:02}\ntags: [{}, {}]\n---\n\n",
        rng.pick(HEADINGS),
        rng.below(50),
        1 + rng.below(12),
        1 + rng.below(28),
        tags[0],
        tags[1]
    );
    let target_size = 1000 + rng.index(2000);
    let mut h = 0;
    while s.len() < target_size {
        let _ = write!(s, "## {} {}\n\n", rng.pick(HEADINGS), h);
        h += 1;
        for _ in 0..1 + rng.below(3) {
            s.push_str(rng.pick(JA));
            s.push_str(rng.pick(EN));
            s.push(' ');
            s.push_str(rng.pick(JA));
            s.push_str("\n\n");
        }
        match rng.below(4) {
            0 => s.push_str("| 項目 | 値 | 備考 |\n|------|----|------|\n| 閾値 | 80% | warning |\n| 上限 | 90% | critical |\n\n"),
            1 => {
                let other = rng.index(total);
                let _ = write!(s, "関連: [別の手順](../sec-{:03}/page-{other:05}.md)\n\n", (other / per_section).min(sections - 1));
            }
            _ => {}
        }
        if rng.below(5) < 2 {
            code_block(rng, &mut s);
        }
    }
    s
}

const HUGO_CONFIG: &str = "baseURL = 'https://bench.example.jp/'\nlanguageCode = 'ja'\ntitle = 'bench'\ndisableKinds = ['RSS']\n[markup.goldmark.renderer]\nunsafe = true\n";
const HUGO_BASEOF: &str = "<!doctype html><html><head><title>{{ .Title }}</title></head><body>\n<nav><ul>{{ range .CurrentSection.Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul></nav>\n<main>{{ block \"main\" . }}{{ end }}</main></body></html>\n";
const HUGO_SINGLE: &str = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n";
const HUGO_LIST: &str = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n";

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).expect("create folder");
    }
    fs::write(path, text).expect("write file");
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(n), Some(dir)) = (
        args.get(1).and_then(|s| s.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: gen_corpus N DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    let _ = fs::remove_dir_all(dir);
    let per_section = 300;
    let sections = n.div_ceil(per_section).max(1);
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    write(
        &dir.join("site.yaml"),
        "title: bench\nbase_url: https://bench.example.jp/\nlanguage: ja\n",
    );
    write(&dir.join("hugo.toml"), HUGO_CONFIG);
    write(&dir.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&dir.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&dir.join("layouts/_default/list.html"), HUGO_LIST);
    write(
        &dir.join("content/_index.md"),
        "---\ntitle: ベンチマーク\n---\n\n生成された運用文書です。\n",
    );
    let mut bytes = 0;
    for s in 0..sections {
        write(
            &dir.join(format!("content/sec-{s:03}/_index.md")),
            &format!("---\ntitle: セクション {s}\nweight: {s}\n---\n\nセクション {s} の手順書。\n"),
        );
    }
    for i in 0..n {
        let text = page(&mut rng, i, sections, per_section, n);
        bytes += text.len();
        write(
            &dir.join(format!("content/sec-{:03}/page-{i:05}.md", i / per_section)),
            &text,
        );
    }
    println!(
        "{n} pages in {sections} sections, {:.1} MB of Markdown → {}",
        bytes as f64 / 1e6,
        dir.display()
    );
}
