#!/usr/bin/env bash
# Build benchmark: opsite vs Hugo on a generated corpus, alternating cold runs.
#   scripts/bench-build.sh 1000 5      # N pages, runs per tool
# Needs: hugo (apt-get install hugo), GNU time (/usr/bin/time). Prints one line per run and the
# medians; paste the figures into BENCHMARKS.md.
set -euo pipefail
n=${1:-1000}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-bench-$n}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$corpus"
opsite="$here/target/release/opsite"
cd "$corpus"
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/opsite-bench-time "$@" >/dev/null 2>&1
  read -r secs kb </tmp/opsite-bench-time
  echo "$label $secs $((kb / 1024))"
}
results=$(mktemp)
for i in $(seq 1 "$runs"); do
  rm -rf output .opsite public resources
  sync
  measure opsite-cold "$opsite" build | tee -a "$results"
  measure opsite-warm "$opsite" build | tee -a "$results"
  measure opsite-nowrite-check "$opsite" check | tee -a "$results"
  rm -rf public resources
  sync
  measure hugo-cold hugo --quiet | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for label, secs, mib in rows:
    by.setdefault(label, []).append((float(secs), int(mib)))
for label, v in by.items():
    print(f"{label:22} median {statistics.median(s for s, _ in v):6.2f} s   peak {max(m for _, m in v):5d} MiB")
o = [s for s, _ in by["opsite-cold"]]; h = [s for s, _ in by["hugo-cold"]]
print(f"median ratio hugo/opsite (paired cold runs): {statistics.median(b / a for a, b in zip(o, h)):.1f}x")
PY
