#!/usr/bin/env bash
# Build benchmark: opsite vs Hugo on a generated corpus, alternating cold runs.
#   scripts/bench-build.sh 1000 5      # N pages, runs per tool
# Needs: hugo (apt-get install hugo), GNU time (/usr/bin/time). Prints one line per run and the
# medians; paste the figures into BENCHMARKS.md.
# cold = no previous output and no .opsite/ cache (nor Hugo's public/ and resources/);
# warm = an opsite rebuild right after, over its output and highlight cache.
set -euo pipefail
n=${1:-1000}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-bench-$n}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$corpus"
opsite="$here/target/release/opsite"
cd "$corpus"
# Hugo's minimal layouts have no search: compare without the search index (scripts/bench-search.sh
# measures it).
sed -i '/^search:/d' site.yaml && echo "search: false" >>site.yaml
measure() { # label, output folder, command...
  local label=$1 out=$2; shift 2
  /usr/bin/time -f "%e %M" -o /tmp/opsite-bench-time "$@" >/dev/null 2>&1
  read -r secs kb </tmp/opsite-bench-time
  local bytes=0
  [[ -d $out ]] && bytes=$(du -sb "$out" | cut -f1)
  echo "$label $secs $((kb / 1024)) $bytes"
}
results=$(mktemp)
for i in $(seq 1 "$runs"); do
  rm -rf output .opsite public resources
  sync
  measure opsite-cold output "$opsite" build | tee -a "$results"
  measure opsite-warm output "$opsite" build | tee -a "$results"
  measure opsite-nowrite-check "" "$opsite" check | tee -a "$results"
  rm -rf public resources
  sync
  measure hugo-cold public hugo --quiet | tee -a "$results"
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for label, secs, mib, size in rows:
    by.setdefault(label, []).append((float(secs), int(mib), int(size)))
for label, v in by.items():
    size = max(b for _, _, b in v)
    print(f"{label:22} median {statistics.median(s for s, _, _ in v):6.2f} s   peak {max(m for _, m, _ in v):5d} MiB"
          + (f"   output {size / 2**20:7.1f} MiB" if size else ""))
o = [s for s, _, _ in by["opsite-cold"]]; h = [s for s, _, _ in by["hugo-cold"]]
print(f"median ratio hugo/opsite (paired cold runs): {statistics.median(b / a for a, b in zip(o, h)):.1f}x")
ob = max(b for _, _, b in by["opsite-cold"]); hb = max(b for _, _, b in by["hugo-cold"])
print(f"bytes written opsite/hugo: {ob / hb:.2f}")
PY
