#!/usr/bin/env bash
# Same input, same bytes: build a set of sites with two opsite binaries and compare the outputs
# file by file. For refactors that must not change what is built.
#   scripts/compare-outputs.sh OLD_BINARY NEW_BINARY [PAGES]
# Sites: the example site (with its older version), every site under tests/fixtures/, and a
# generated corpus of PAGES pages (default 1000). Each is built twice per binary, with and
# without --drafts, with a fixed --as-of, from a fresh copy into a fresh folder; the files and
# the error and warning lines are compared. Prints one line per build and exits 1 when any
# differs (the first differing files are listed).
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
pages=${3:-1000}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
as_of=2026-11-20T17:00
sites=("$here")
for f in "$here"/tests/fixtures/*/; do
  [[ -f $f/site.yaml || -d $f/content ]] && sites+=("${f%/}")
done
# CORPUS=DIR uses a corpus generated beforehand (the source tree may be mid-change).
corpus=${CORPUS:-$work/corpus}
if [[ -z ${CORPUS:-} ]]; then
  cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$pages" "$corpus" >/dev/null
fi
sites+=("$corpus")
differ=0
for site in "${sites[@]}"; do
  name=$(basename "$site")
  for variant in plain drafts; do
    args=(build --root "$work/site" --as-of "$as_of")
    [[ $variant == drafts ]] && args+=(--drafts)
    for side in old new; do
      bin=$old
      [[ $side == new ]] && bin=$new
      # Each side reads its own copy: a build writes .opsite/ caches inside the site.
      rm -rf "$work/site"
      mkdir "$work/site"
      (cd "$site" && tar --exclude=./target --exclude=./.git --exclude=./output --exclude=./.opsite \
        --exclude=node_modules -cf - .) | (cd "$work/site" && tar -xf -)
      "$bin" "${args[@]}" --output "$work/$side" 2>&1 | grep -E ': (error|warning):' >"$work/$side.log" || true
    done
    # A site that stops both binaries (tests/fixtures/config-mistakes) writes no folder: the same
    # messages are the same result.
    if [[ ! -e $work/old && ! -e $work/new ]] && diff -q "$work/old.log" "$work/new.log" >/dev/null; then
      echo "same: $name ($variant, no output, $(wc -l <"$work/new.log") messages)"
    elif diff -r -q "$work/old" "$work/new" >"$work/diff.txt" 2>&1 && diff -q "$work/old.log" "$work/new.log" >/dev/null; then
      echo "same: $name ($variant, $(find "$work/new" -type f | wc -l) files)"
    else
      echo "DIFFERENT: $name ($variant)"
      head -20 "$work/diff.txt"
      diff "$work/old.log" "$work/new.log" | head -10 || true
      differ=1
    fi
    rm -rf "$work/old" "$work/new"
  done
done
exit $differ
