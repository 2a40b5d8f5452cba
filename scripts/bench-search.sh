#!/usr/bin/env bash
# Search index benchmark: opsite's in-process indexing against the Pagefind command line
# (extended, the one that segments Japanese) on the same pages, side by side, alternating runs.
#   scripts/bench-search.sh 10000 3      # N pages, runs
# Needs GNU time (/usr/bin/time) and the Pagefind CLI: PAGEFIND=path/to/pagefind_extended, or
#   (cd /tmp/pf-cli && npm install pagefind@1.6.0)   # the version of the crate opsite uses
# Each round, all cold (no output/, no .opsite/):
#   opsite-nosearch  opsite build with `search: false` (the figure to compare with Hugo);
#   opsite-search    opsite build with the index (its "search" stage time printed too);
#   pagefind-cli     pagefind_extended --site <the no-search output> (the same pages);
#   hugo, hugo+pagefind  when `hugo` is installed (apt-get install hugo): Hugo's build of the
#                    same corpus, and the Pagefind CLI over Hugo's public/ (the pair a Hugo site
#                    runs for the same result), so the last line compares opsite's default build
#                    with Hugo + Pagefind, measured alternately in the same run.
set -euo pipefail
n=${1:-10000}
runs=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${BENCH_DIR:-/tmp/opsite-bench-$n}
pagefind=${PAGEFIND:-/tmp/pf-cli/node_modules/@pagefind/linux-x64/bin/pagefind_extended}
[[ -x $pagefind ]] || { echo "no Pagefind CLI at $pagefind (set PAGEFIND)" >&2; exit 2; }
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
[[ -f $corpus/site.yaml ]] || cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$corpus"
opsite="$here/target/release/opsite"
cd "$corpus"
sed -i '/^search:/d' site.yaml
cp site.yaml /tmp/opsite-bench-site-search.yaml
{ cat /tmp/opsite-bench-site-search.yaml; echo "search: false"; } >/tmp/opsite-bench-site-nosearch.yaml
measure() { # label, command...
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o /tmp/opsite-bench-time "$@" >/tmp/opsite-bench-out 2>&1
  read -r secs kb </tmp/opsite-bench-time
  echo "$label $secs $((kb / 1024))"
}
results=$(mktemp)
for i in $(seq 1 "$runs"); do
  cp /tmp/opsite-bench-site-nosearch.yaml site.yaml
  rm -rf output .opsite; sync
  measure opsite-nosearch "$opsite" build | tee -a "$results"
  rm -rf /tmp/opsite-bench-pagefind; sync
  measure pagefind-cli "$pagefind" --site output --output-path /tmp/opsite-bench-pagefind | tee -a "$results"
  grep -E "Indexed [0-9]+ page" /tmp/opsite-bench-out | head -1 | sed 's/^ */  cli: /'
  cp /tmp/opsite-bench-site-search.yaml site.yaml
  rm -rf output .opsite; sync
  OPSITE_TIMINGS=1 measure opsite-search "$opsite" build | tee -a "$results"
  stage=$(awk '$1 == "search" {print $2}' /tmp/opsite-bench-out)
  echo "opsite-search-stage $(python3 -c "print($stage / 1000)") 0" | tee -a "$results"
  grep -o "([0-9]* in the search index)" /tmp/opsite-bench-out | sed 's/^/  opsite: /'
  if command -v hugo >/dev/null; then
    rm -rf public resources /tmp/opsite-bench-pagefind-hugo; sync
    measure hugo hugo --quiet | tee -a "$results"
    hugo_secs=$(tail -1 "$results" | cut -d' ' -f2)
    measure pagefind-cli-on-hugo "$pagefind" --site public --output-path /tmp/opsite-bench-pagefind-hugo | tee -a "$results"
    pf_secs=$(tail -1 "$results" | cut -d' ' -f2)
    echo "hugo+pagefind $(python3 -c "print($hugo_secs + $pf_secs)") 0" | tee -a "$results"
    rm -rf public resources
  fi
done
cp /tmp/opsite-bench-site-search.yaml site.yaml
python3 - "$results" <<'PY'
import statistics, sys
by = {}
for label, secs, mib in (l.split() for l in open(sys.argv[1]) if l.strip()):
    by.setdefault(label, []).append((float(secs), int(mib)))
for label, v in by.items():
    peak = max(m for _, m in v)
    print(f"{label:20} median {statistics.median(s for s, _ in v):6.2f} s" + (f"   peak {peak:5d} MiB" if peak else ""))
stage = statistics.median(s for s, _ in by["opsite-search-stage"])
cli = statistics.median(s for s, _ in by["pagefind-cli"])
print(f"indexing: opsite in-process {stage:.2f} s vs Pagefind CLI {cli:.2f} s ({cli / stage:.1f}x)")
if "hugo+pagefind" in by:
    pairs = zip((s for s, _ in by["opsite-search"]), (s for s, _ in by["hugo+pagefind"]))
    ratio = statistics.median(h / o for o, h in pairs)
    print(f"default build: Hugo + Pagefind CLI / opsite with its index, paired rounds: {ratio:.1f}x")
PY
