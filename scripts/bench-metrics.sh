#!/usr/bin/env bash
# Metrics at real volume: `opsite kpi --period all` over per-minute latency samples from 100 hosts
# for a year (52,560,000 rows) in hive-partitioned Parquet, then a check of p50/p95/p99 against
# an exact computation on one month (needs pyarrow and numpy: PYTHON=/path/to/venv/bin/python).
#   scripts/bench-metrics.sh [ROWS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
rows=${1:-52560000}
runs=${RUNS:-3}
dir=/tmp/opsite-metrics-$rows
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin opsite --example gen_metrics
[[ -d $dir ]] || "$here/target/release/examples/gen_metrics" "$rows" "$dir" 100
for i in $(seq 1 "$runs"); do
  OPSITE_TIMINGS=1 /usr/bin/time -f "$rows metric rows: %e s, peak %M KB" \
    "$here/target/release/opsite" kpi --root "$dir" --period all --as-of 2026-11-22T00:00 --format json >"$dir.json"
done
"${PYTHON:-python3}" "$here/scripts/check-metrics.py" "$dir" "$dir.json" 2026-03 web042
