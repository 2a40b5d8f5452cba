#!/usr/bin/env bash
# Versions benchmark: the same site built with one version and with three (v2 = content/,
# v1 and v0 = folders holding copies with some pages edited and some removed), search off,
# alternating cold runs (no output/, no .opsite/ cache).
#   scripts/bench-versions.sh 1000 5      # N pages per version, runs per case
# Needs GNU time (/usr/bin/time). Prints each run and the medians; the budget is three versions
# in under 2.5x the one-version time.
set -euo pipefail
n=${1:-1000}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-bench-versions-$n}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$corpus"
opsite="$here/target/release/opsite"
cd "$corpus"
sed -i '/^search:/d' site.yaml && echo "search: false" >>site.yaml
# Older versions: copies of content/ with every 10th page edited (v1), every 5th edited and
# every 20th removed (v0): most pages are shared, as between two releases of a procedure set.
python3 - <<'PY'
import pathlib, shutil
src = pathlib.Path("content")
for name, edit_every, drop_every in (("v1", 10, 0), ("v0", 5, 20)):
    dst = pathlib.Path("versions") / name / "content"
    if dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst)
    pages = sorted(p for p in dst.rglob("*.md") if p.name != "_index.md")
    for i, p in enumerate(pages):
        if drop_every and i % drop_every == 0:
            p.unlink()
        elif i % edit_every == 0:
            p.write_text(p.read_text(encoding="utf-8") + f"\n\n## {name} の注意\n\n{name} では手順が異なります。\n", encoding="utf-8")
PY
cp site.yaml site.one.yaml
cp site.yaml site.three.yaml
cat >>site.three.yaml <<'YAML'
versions:
  - {name: v2}
  - {name: v1, path: versions/v1/content}
  - {name: v0, path: versions/v0/content}
YAML
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o /tmp/opsite-bench-time "$@" >/tmp/opsite-bench-out 2>&1
  read -r secs kb user sys </tmp/opsite-bench-time
  echo "$label $secs $((kb / 1024)) $(echo "$user + $sys" | bc) $(grep -o 'built .* pages' /tmp/opsite-bench-out | head -1)"
}
results=$(mktemp)
for i in $(seq 1 "$runs"); do
  for case in one three; do
    cp "site.$case.yaml" site.yaml
    rm -rf output .opsite
    sync
    measure "$case" "$opsite" build | tee -a "$results"
  done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med, cpu = {}, {}
for case in ("one", "three"):
    secs = [float(r[1]) for r in rows if r[0] == case]
    mem = [int(r[2]) for r in rows if r[0] == case]
    cpus = [float(r[3]) for r in rows if r[0] == case]
    med[case] = statistics.median(secs)
    cpu[case] = statistics.median(cpus)
    print(f"{case}: wall median {med[case]:.2f} s (min {min(secs):.2f}, max {max(secs):.2f}), "
          f"CPU median {cpu[case]:.2f} s, peak {max(mem)} MiB")
print(f"three / one: wall {med['three'] / med['one']:.2f}x, CPU {cpu['three'] / cpu['one']:.2f}x (budget: wall < 2.5x)")
PY
