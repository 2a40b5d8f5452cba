#!/usr/bin/env bash
# Status page benchmark: cold `opsite build` (no output, no caches) of a site whose outage export
# holds N outages (default 200,000) of 4 services within the status page's 90 days, with the
# status page on and off, so the difference is the page's cost.
#   scripts/bench-status.sh           # N=200000 RUNS=3 by default
# Prints wall time and peak memory of each run (GNU time) and the sizes of what the page writes.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
n=${N:-200000}
bin="$here/target/release/opsite"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
site=/tmp/opsite-status-$n
mkdir -p "$site/data" "$site/content"
cat > "$site/site.yaml" <<'YAML'
title: 大量停止
timezone: Asia/Tokyo
data:
  tickets: {files: data/tickets.csv}
  downtime: {files: data/downtime.csv}
availability:
  services: [portal, api, vpn, mail]
  maintenance:
    - {every: week, weekday: sun, start: "02:00", end: "04:00"}
YAML
printf -- '---\ntitle: ホーム\n---\n{{< status period="latest-week" >}}\n' > "$site/content/_index.md"
[[ -f $site/data/downtime.csv ]] || python3 - "$site" "$n" <<'PY'
import datetime, random, sys
site, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
start = datetime.datetime(2026, 8, 20)
with open(f"{site}/data/downtime.csv", "w") as f:
    f.write("service,start,end,planned\n")
    for _ in range(n):
        s = start + datetime.timedelta(seconds=random.randrange(0, 98 * 86400))
        e = s + datetime.timedelta(minutes=random.randrange(1, 30))
        planned = "true" if random.random() < 0.1 else "false"
        f.write(f"{random.choice(['portal', 'api', 'vpn', 'mail'])},{s:%Y-%m-%d %H:%M},{e:%Y-%m-%d %H:%M},{planned}\n")
with open(f"{site}/data/tickets.csv", "w") as f:
    f.write("id,title,priority,opened_at,responded_at,resolved_at\n")
    f.write("T-1,x,high,2026-11-16T10:00:00+09:00,2026-11-16T10:10:00+09:00,2026-11-16T12:00:00+09:00\n")
PY
for status in on off; do
  if [[ $status == off ]]; then printf 'reports:\n  status: false\n' >> "$site/site.yaml"; fi
  for i in $(seq 1 "$runs"); do
    rm -rf "$site/output" "$site/.opsite"
    /usr/bin/time -f "status $status: %e s, peak %M KB" "$bin" build --root "$site" --as-of 2026-11-26T12:00 >/dev/null
  done
  if [[ $status == on ]]; then
    ls -l "$site/output/status/index.html" "$site/output/status.json" "$site/output/status/atom.xml" | awk '{print $5, $9}'
  fi
done
sed -i '/^reports:/,$d' "$site/site.yaml"
