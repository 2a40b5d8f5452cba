#!/usr/bin/env bash
# Rebuild benchmark: how long `opsite build` takes over a kept output/ and .opsite/ (a CI cache,
# a second build), with the search index on (default settings).
#   scripts/bench-rebuild.sh 10000 7      # N pages, edits
# Needs GNU time (/usr/bin/time). Each round: one cold build (no output/, no .opsite/), three
# builds with nothing changed, then RUNS builds each after one line appended to the body of a
# different page (spread over the site), then a cold build of the same sources with --no-cache
# into another folder, compared byte for byte with the rebuilt output.
set -euo pipefail
n=${1:-10000}
runs=${2:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-bench-rebuild-$n}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
rm -rf "$corpus"
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$corpus" >/dev/null
opsite="$here/target/release/opsite"
cd "$corpus"
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/opsite-bench-time "$@" >/tmp/opsite-bench-out 2>&1
  read -r secs kb </tmp/opsite-bench-time
  local written
  written=$(grep -o '([0-9]* written' /tmp/opsite-bench-out | tr -dc 0-9)
  echo "$label $secs $((kb / 1024)) ${written:-0}"
}
results=$(mktemp)
rm -rf output .opsite; sync
measure cold "$opsite" build | tee -a "$results"
for i in 1 2 3; do measure nothing-changed "$opsite" build | tee -a "$results"; done
mapfile -t pages < <(find content -name '*.md' ! -name '_index.md' | sort)
for i in $(seq 1 "$runs"); do
  page=${pages[$(( (i * 7919) % ${#pages[@]} ))]}
  echo "追記 $i: 手順を確認した。" >>"$page"
  measure one-page-edited "$opsite" build | tee -a "$results"
done
rm -rf /tmp/opsite-bench-rebuild-cold
"$opsite" build --no-cache --output /tmp/opsite-bench-rebuild-cold >/dev/null 2>&1
diff -r output /tmp/opsite-bench-rebuild-cold >/dev/null && echo "rebuilt output = cold output, byte for byte" \
  || echo "REBUILT OUTPUT DIFFERS FROM A COLD BUILD"
python3 - "$results" <<'PY'
import statistics, sys
by = {}
for label, secs, mib, written in (l.split() for l in open(sys.argv[1]) if l.strip()):
    by.setdefault(label, []).append((float(secs), int(mib), int(written)))
for label, v in by.items():
    s = sorted(x for x, _, _ in v)
    print(f"{label:16} median {statistics.median(s):6.2f} s  ({s[0]:.2f}-{s[-1]:.2f}, {len(s)} runs)"
          f"   peak {max(m for _, m, _ in v):5d} MiB   files written (median) {int(statistics.median(w for _, _, w in v))}")
PY
