#!/usr/bin/env bash
# Report-page benchmark: cold `opsite build` (no output, no caches) of
#   1. the example site (a year of data, every weekly, monthly and quarterly page), and
#   2. the 1-million-ticket export of scripts/bench-kpi.sh in a site with all report pages.
#   scripts/bench-reports.sh        # RUNS=3 by default
# Prints wall time and peak memory of each run (GNU time).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
bin="$here/target/release/opsite"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
as_of=2026-11-22T00:00

example=$(mktemp -d)
cp -r "$here/site.yaml" "$here/content" "$here/data" "$example/"
[[ -d $here/static ]] && cp -r "$here/static" "$example/"
for i in $(seq 1 "$runs"); do
  rm -rf "$example/output" "$example/.opsite"
  /usr/bin/time -f "example site: %e s, peak %M KB" "$bin" build --root "$example" --as-of "$as_of" >/dev/null
done

tickets=/tmp/opsite-kpi-1000000-csv
[[ -d $tickets ]] || cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_tickets -- 1000000 "$tickets" csv
mkdir -p "$tickets/content"
[[ -f $tickets/content/_index.md ]] || printf -- '---\ntitle: 1M tickets\n---\n' > "$tickets/content/_index.md"
for i in $(seq 1 "$runs"); do
  rm -rf "$tickets/output" "$tickets/.opsite"
  OPSITE_TIMINGS=1 /usr/bin/time -f "1M tickets: %e s, peak %M KB" "$bin" build --root "$tickets" --as-of "$as_of" >/dev/null
done
find "$tickets/output/reports" -name index.html | wc -l | xargs echo "report pages and indexes:"
rm -rf "$example"
