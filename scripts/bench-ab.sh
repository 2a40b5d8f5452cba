#!/usr/bin/env bash
# Two opsite binaries on the same generated corpus, cold builds alternated (A, B, A, B …), for a
# refactor that must not be slower. Search index off, as scripts/bench-build.sh measures.
#   scripts/bench-ab.sh OLD_BINARY NEW_BINARY [PAGES] [ROUNDS]
# cold = no previous output and no .opsite/ cache. BENCH_DIR (default /tmp/opsite-ab-PAGES;
# /dev/shm/… to take the disk out) holds the corpus. Prints each run and the medians (wall s,
# user CPU s, peak MiB).
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
pages=${3:-10000}
rounds=${4:-7}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-ab-$pages}
rm -rf "$corpus"
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$pages" "$corpus" >/dev/null
cd "$corpus"
sed -i '/^search:/d' site.yaml && echo "search: false" >>site.yaml
results=$(mktemp)
for _ in $(seq 1 "$rounds"); do
  for side in old new; do
    bin=$old
    [[ $side == new ]] && bin=$new
    rm -rf output .opsite
    sync
    /usr/bin/time -f "$side %e %U %M" -o /tmp/opsite-ab-time "$bin" build --as-of 2026-11-20T17:00 >/dev/null 2>&1
    tee -a "$results" </tmp/opsite-ab-time
  done
done
python3 - "$results" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side, wall, user, kb = line.split()
    runs.setdefault(side, []).append((float(wall), float(user), int(kb) / 1024))
for side in ("old", "new"):
    r = runs[side]
    med = [statistics.median(x[i] for x in r) for i in range(3)]
    print(f"{side}: median {med[0]:.2f} s wall, {med[1]:.2f} s user, {med[2]:.0f} MiB ({len(r)} runs)")
o = statistics.median(x[0] for x in runs["old"]); n = statistics.median(x[0] for x in runs["new"])
print(f"new/old wall: {n / o:.3f}")
PY
