#!/usr/bin/env bash
# Escalation routes benchmark: cold `opsite build` (no output, no caches) of a site whose
# data/escalation.yaml holds N routes (default 1,000) of 3 levels each, with a weekly rotation and
# a business calendar with a lunch break, and a page showing every route (`{{< escalation >}}`,
# a diagram per route) and one on-call block; then the same site without the escalation page,
# so the difference is the drawing of every route.
#   scripts/bench-escalation.sh           # N=1000 RUNS=3 by default
# Prints wall time and peak memory of each run (GNU time) and the page's size.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
n=${N:-1000}
bin="$here/target/release/opsite"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
site=/tmp/opsite-escalation-$n
rm -rf "$site" && mkdir -p "$site/data" "$site/content"
cat > "$site/site.yaml" <<'YAML'
title: 大量経路
timezone: Asia/Tokyo
calendars:
  business:
    hours: {mon: "09:00-12:00,13:00-18:00", tue: "09:00-12:00,13:00-18:00", wed: "09:00-12:00,13:00-18:00", thu: "09:00-12:00,13:00-18:00", fri: "09:00-12:00,13:00-18:00"}
    holidays: japan
YAML
python3 - "$site" "$n" <<'PY'
import sys
site, n = sys.argv[1], int(sys.argv[2])
with open(f"{site}/data/escalation.yaml", "w") as f:
    f.write("teams:\n")
    f.write('  desk: {name: サービスデスク, contacts: [{phone: "03-0000-1234"}, {email: desk@example.jp}]}\n')
    f.write('  night: {name: 夜間受付, contacts: [{phone: "0120-000-999"}]}\n')
    f.write('  ops: {name: 運用当番, rotation: {every: week, start: "2026-11-02 09:00", members: [佐藤, 鈴木, 高橋]}, contacts: [{chat: "#ops"}]}\n')
    f.write('  dev: {name: 開発チーム, contacts: [{url: "https://tickets.example.jp/dev"}]}\n')
    f.write("routes:\n")
    for i in range(n):
        f.write(f"  - services: [svc{i:05}]\n    levels:\n")
        f.write("      L1: {team: desk, hours: business, outside_hours: night, escalate_after: 30m}\n")
        f.write("      L2: {team: ops, escalate_after: 2h}\n      L3: {team: dev, hours: business}\n")
PY
printf -- '---\ntitle: ホーム\n---\n{{< oncall service="svc00000" >}}\n' > "$site/content/_index.md"
run() {
  for _ in $(seq "$runs"); do
    rm -rf "$site/output" "$site/.opsite"
    /usr/bin/time -f "  %e s, peak %M KB" "$bin" build --root "$site" --as-of 2026-11-20T12:30 2>&1 | tail -1
  done
}
printf -- '---\ntitle: 経路\n---\n{{< escalation >}}\n' > "$site/content/routes.md"
echo "with every route drawn ($n routes):"; run
ls -l "$site/output/routes/index.html" | awk '{print "  page: " $5 " bytes"}'
rm "$site/content/routes.md"
echo "with the on-call block only:"; run
