#!/usr/bin/env bash
# KPI benchmark: `opsite kpi --period all` on generated ticket exports.
#   scripts/bench-kpi.sh            # 1 million tickets as CSV, 10 million as Parquet
# Prints wall time and peak memory of each run (GNU time); OPSITE_TIMINGS=1 splits load, clocks
# and periods.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-3}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
for spec in "1000000 csv" "10000000 parquet"; do
  set -- $spec
  dir=/tmp/opsite-kpi-$1-$2
  [[ -d $dir ]] || cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_tickets -- "$1" "$dir" "$2"
  for i in $(seq 1 "$runs"); do
    OPSITE_TIMINGS=1 /usr/bin/time -f "$1 $2: %e s, peak %M KB" \
      "$here/target/release/opsite" kpi --root "$dir" --period all --as-of 2026-11-22T00:00 --format json >/dev/null
  done
done
