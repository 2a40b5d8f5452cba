#!/usr/bin/env bash
# PDF benchmark: `opsite pdf` on a copy of the example site, each run from nothing (no output,
# no caches: the report is computed from the exports, Chromium started and closed):
#   1. the monthly report of 2026-10 (the issue's budget: a 4-page report under 3 s, under 2 MB),
#   2. the same for every customer (--all-customers: one browser prints them all),
#   3. the runbooks section as a handbook (a print per chapter to count pages, then the whole).
#   scripts/bench-pdf.sh        # RUNS=5 by default
# Prints wall time and peak memory of opsite itself (GNU time; Chromium runs in its own
# processes), and the pages and size of each PDF.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
bin="$here/target/release/opsite"
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
as_of=2026-11-20T17:00
site=$(mktemp -d)
cp -r "$here/site.yaml" "$here/content" "$here/data" "$site/"
for d in static versions; do [[ -d $here/$d ]] && cp -r "$here/$d" "$site/"; done
out=$(mktemp -d)
for i in $(seq 1 "$runs"); do
  rm -rf "$out"/* "$site/.opsite"
  /usr/bin/time -f "monthly: %e s, peak %M KB" "$bin" pdf monthly --root "$site" --period 2026-10 --as-of "$as_of" --output "$out" 2>&1 | grep -v '^wrote'
  /usr/bin/time -f "monthly, all customers: %e s, peak %M KB" "$bin" pdf monthly --root "$site" --period 2026-10 --as-of "$as_of" --all-customers --output "$out" 2>&1 | grep -v '^wrote'
  /usr/bin/time -f "runbooks handbook: %e s, peak %M KB" "$bin" pdf section /runbooks/ --root "$site" --as-of "$as_of" --output "$out/runbooks.pdf" 2>&1 | grep -v '^wrote'
done
for f in $(find "$out" -name '*.pdf' | sort); do
  echo "${f#"$out"/}: $(pdfinfo "$f" | awk '/^Pages:/ {print $2}') pages, $(stat -c %s "$f") bytes"
done
rm -rf "$site" "$out"
