#!/usr/bin/env bash
# Two opsite binaries side by side on the same machine: one line appended to one page of a
# 10,000-page site with the search index, then `build` over its kept output/ and .opsite/, each
# binary over its own copy, alternating; wall and CPU time and peak memory of each run.
#   scripts/bench-ab-edit.sh OLD NEW [RUNS] [busy]
# `busy`: while cold builds of another copy loop on the same cores (with OLD), as bench-busy.sh.
# Needs GNU time (/usr/bin/time). The corpus is made by gen_corpus as in bench-busy.sh.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); runs=${3:-7}; mode=${4:-idle}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus
corpus=/tmp/opsite-bench-busy-10000
[[ -f $corpus/site.yaml ]] || "$here/target/release/examples/gen_corpus" 10000 "$corpus" >/dev/null
if [[ $mode == busy ]]; then
  load=/tmp/opsite-bench-busy-load
  [[ -f $load/site.yaml ]] || "$here/target/release/examples/gen_corpus" 10000 "$load" >/dev/null
  ( cd "$load" && while true; do rm -rf output .opsite; "$old" build >/dev/null 2>&1 || true; done ) &
  loader=$!
  trap 'kill $loader 2>/dev/null; wait $loader 2>/dev/null || true' EXIT
  sleep 5
fi
for v in a b; do
  rm -rf "/tmp/opsite-ab-$v"; cp -r "$corpus" "/tmp/opsite-ab-$v"; rm -rf "/tmp/opsite-ab-$v/output" "/tmp/opsite-ab-$v/.opsite"
done
(cd /tmp/opsite-ab-a && "$old" build >/dev/null 2>&1)
(cd /tmp/opsite-ab-b && "$new" build >/dev/null 2>&1)
mapfile -t pages < <(cd "$corpus" && find content -name '*.md' ! -name '_index.md' | sort)
for i in $(seq 1 "$runs"); do
  page=${pages[$(( (i * 7919) % ${#pages[@]} ))]}
  for v in a b; do
    bin=$old; [[ $v == b ]] && bin=$new
    cd "/tmp/opsite-ab-$v"
    echo "追記 $i: 手順を確認した。" >>"$page"
    /usr/bin/time -f "$([[ $v == a ]] && echo before || echo after) %e s wall, %U s user, %S s sys, %M KB" "$bin" build 2>&1 >/dev/null | tail -1
  done
done
