#!/usr/bin/env bash
# Documents for many customers: a generated MSP site (examples/gen_customers.rs: N customers,
# 700 tickets each, their contracts, editions and mail recipients), then, median of RUNS:
#   1. opsite email weekly --all-customers --dry-run (every customer's mail composed, checked),
#   2. opsite pdf monthly --customer c001 (one customer's PDF, Chromium started and closed),
#   3. the same PDF with a Chromium that fails at once: the time before printing.
#   scripts/bench-documents.sh [N] [BINARY...]     # N=20, RUNS=5; binaries to compare side by side
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20}
shift || true
bins=("$@")
runs=${RUNS:-5}
if ((${#bins[@]} == 0)); then
  cargo build --release --quiet --manifest-path "$here/Cargo.toml" --example gen_customers
  cargo build --release --quiet --manifest-path "$here/Cargo.toml"
  bins=("$here/target/release/opsite")
fi
site=$(mktemp -d)/msp
"$here/target/release/examples/gen_customers" "$n" "$site" 2>/dev/null
fail=$(mktemp)
printf '#!/bin/sh\nexit 1\n' >"$fail"
chmod +x "$fail"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for bin in "${bins[@]}"; do
  mail=$(for _ in $(seq "$runs"); do
    /usr/bin/time -f %e "$bin" email weekly --root "$site" --period 2026-W40 --as-of 2026-10-10T09:00 --all-customers --dry-run 2>&1 >/dev/null | tail -1
  done | median)
  pdf=$(for _ in $(seq "$runs"); do
    /usr/bin/time -f %e "$bin" pdf monthly --root "$site" --period 2026-09 --as-of 2026-10-10T09:00 --customer c001 --output "$site/../pdf" 2>&1 >/dev/null | tail -1
  done | median)
  before=$(for _ in $(seq "$runs"); do
    OPSITE_CHROMIUM=$fail /usr/bin/time -f %e "$bin" pdf monthly --root "$site" --period 2026-09 --as-of 2026-10-10T09:00 --customer c001 --output "$site/../pdf" 2>&1 >/dev/null | tail -1
  done | median)
  echo "$bin: email --all-customers --dry-run ${mail} s; pdf --customer ${pdf} s (${before} s before printing)"
done
rm -rf "$(dirname "$site")" "$fail"
