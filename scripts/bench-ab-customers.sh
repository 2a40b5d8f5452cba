#!/usr/bin/env bash
# Two opsite binaries side by side on the same machine at MSP scale: the site of
# examples/gen_customers.rs (N customers), each binary over its own copy, built once, then the
# edits of bench-customers.sh in turn (a page every customer sees; one customer's ticket title),
# alternating; wall, user and system time of each run.
#   scripts/bench-ab-customers.sh OLD NEW [RUNS] [N]
# Needs GNU time (/usr/bin/time).
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2"); runs=${3:-5}; n=${4:-100}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --example gen_customers
as_of=2026-10-10T09:00
base=/tmp/opsite-ab-customers
rm -rf "$base"; mkdir -p "$base"
"$here/target/release/examples/gen_customers" "$n" "$base/site" >/dev/null 2>&1
for v in a b; do
  cp -r "$base/site" "$base/$v"
  bin=$old; [[ $v == b ]] && bin=$new
  (cd "$base/$v" && "$bin" build --as-of "$as_of" >/dev/null 2>&1)
done
measure() { # label, edit command run in each copy before its build
  local label=$1 edit=$2
  for i in $(seq 1 "$runs"); do
    for v in a b; do
      bin=$old; [[ $v == b ]] && bin=$new
      cd "$base/$v"
      I=$i bash -c "$edit"
      /usr/bin/time -f "$([[ $v == a ]] && echo before || echo after) $label %e s wall, %U s user, %S s sys" \
        "$bin" build --as-of "$as_of" 2>&1 >/dev/null | tail -1
    done
  done
}
measure customers-page 'printf -- "---\ntitle: よくある質問 0\naudience: customers\n---\n## 質問\n\n回答 %s。\n" "$I" >content/help/faq-00.md'
# The first ticket's title (one customer's), whatever N is.
measure one-customer-rows 'sed -i "2s/^\([^,]*,\)[^,]*/\1問い合わせ ab-$I/" data/tickets.csv'
