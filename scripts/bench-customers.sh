#!/usr/bin/env bash
# MSP scale: a generated site of N customers (their contracts, 700 tickets each, 40 weeks), its
# internal site and every edition built, its mails written.
#   scripts/bench-customers.sh 100 5      # N customers, runs (the median is printed)
# Needs GNU time (/usr/bin/time). Cold builds write to tmpfs (/dev/shm) and to the disk
# (BENCH_DIR): on this disk, creating 55,000 files after deleting as many costs 5-20 s alone.
# Each run of `cold` starts with no output and no .opsite/; `nothing-changed` builds again at
# the same --as-of; the mails are --dry-run; the PDFs need Chromium.
set -euo pipefail
n=${1:-100}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
site=${BENCH_DIR:-/tmp/opsite-bench-customers-$n}/msp
shm=/dev/shm/opsite-bench-customers
cargo build --release --quiet --manifest-path "$here/Cargo.toml" --bin opsite --example gen_customers
rm -rf "$(dirname "$site")"
"$here/target/release/examples/gen_customers" "$n" "$site" >/dev/null
opsite="$here/target/release/opsite"
as_of=2026-10-10T09:00
cd "$site"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # label, command...
  local label=$1; shift
  local secs=() kbs=()
  for i in $(seq 1 "$runs"); do
    case $label in
      cold*) rm -rf .opsite output editions "$shm" ;;
      # A title of one customer's ticket, another each run: that edition and the internal site.
      one-customer-rows) sed -i "s/^\(T-034301,\)[^,]*/\1問い合わせ $label-$i/" data/tickets.csv ;;
      # A page every customer sees: every edition.
      customers-page) printf -- '---\ntitle: よくある質問 0\naudience: customers\n---\n## 質問\n\n回答 %s。\n' "$i" >content/help/faq-00.md ;;
    esac
    /usr/bin/time -f "%e %M" -o /tmp/opsite-bench-time "$@" >/tmp/opsite-bench-out 2>&1 \
      || { echo "$label failed:"; tail -3 /tmp/opsite-bench-out; exit 1; }
    read -r s kb </tmp/opsite-bench-time
    secs+=("$s"); kbs+=("$kb")
  done
  echo "$label: median $(printf '%s\n' "${secs[@]}" | median) s, peak $(( $(printf '%s\n' "${kbs[@]}" | sort -n | tail -1) / 1024 )) MB (runs: ${secs[*]})"
}
measure cold-tmpfs "$opsite" build --as-of "$as_of" --output "$shm/out" --editions-dir "$shm/ed"
measure cold-disk "$opsite" build --as-of "$as_of"
measure nothing-changed "$opsite" build --as-of "$as_of"
measure one-customer-rows "$opsite" build --as-of "$as_of"
measure customers-page "$opsite" build --as-of "$as_of"
measure mail-internal "$opsite" email weekly --period 2026-W40 --as-of "$as_of" --dry-run
measure mail-all-customers "$opsite" email weekly --period 2026-W40 --as-of "$as_of" --all-customers --dry-run
# Every customer's monthly report as a PDF, in one Chromium (skipped when none is installed).
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [ -n "${OPSITE_CHROMIUM:-}" ]; then
  measure pdf-all-customers "$opsite" pdf monthly --period 2026-09 --as-of "$as_of" --all-customers
fi
