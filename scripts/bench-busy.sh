#!/usr/bin/env bash
# On a busy machine (as CI runners are): while `scripts/bench-build.sh`'s cold builds of a
# 10,000-page site run in a loop on the same cores, how long
#   one-page-edited   `opsite build` takes after one line is appended to one page of a 10,000-page
#                     site with the search index on (over its kept output/ and .opsite/), and
#   kpi-1m            `opsite kpi --period all` takes on the 1 million-ticket CSV of bench-kpi.sh.
#   scripts/bench-busy.sh 5      # runs of each (the median is printed)
# Needs GNU time (/usr/bin/time).
set -euo pipefail
runs=${1:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin opsite --example gen_corpus --example gen_tickets
opsite="$here/target/release/opsite"
site=/tmp/opsite-bench-busy-10000
load=/tmp/opsite-bench-busy-load
kpi=/tmp/opsite-kpi-1000000-csv
[[ -f $site/site.yaml ]] || "$here/target/release/examples/gen_corpus" 10000 "$site" >/dev/null
[[ -f $load/site.yaml ]] || "$here/target/release/examples/gen_corpus" 10000 "$load" >/dev/null
[[ -d $kpi ]] || "$here/target/release/examples/gen_tickets" 1000000 "$kpi" csv >/dev/null
# The load: cold builds of another copy, one after another, until this script ends.
( cd "$load" && while true; do rm -rf output .opsite; "$opsite" build >/dev/null 2>&1 || true; done ) &
loader=$!
trap 'kill $loader 2>/dev/null; wait $loader 2>/dev/null || true' EXIT
sleep 5
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
cd "$site"
rm -rf output .opsite
"$opsite" build >/dev/null 2>&1
mapfile -t pages < <(find content -name '*.md' ! -name '_index.md' | sort)
edits=()
for i in $(seq 1 "$runs"); do
  page=${pages[$(( (i * 7919) % ${#pages[@]} ))]}
  echo "追記 $i: 手順を確認した。" >>"$page"
  /usr/bin/time -f "%e" -o /tmp/opsite-bench-time "$opsite" build >/dev/null 2>&1
  edits+=("$(cat /tmp/opsite-bench-time)")
done
echo "one-page-edited (10,000 pages, busy): median $(printf '%s\n' "${edits[@]}" | median) s (runs: ${edits[*]})"
kpis=()
for i in $(seq 1 "$runs"); do
  /usr/bin/time -f "%e" -o /tmp/opsite-bench-time "$opsite" kpi --root "$kpi" --period all --as-of 2026-11-22T00:00 --format json >/dev/null
  kpis+=("$(cat /tmp/opsite-bench-time)")
done
echo "kpi-1m (1 million CSV rows, busy): median $(printf '%s\n' "${kpis[@]}" | median) s (runs: ${kpis[*]})"
