#!/usr/bin/env bash
# File-share search: the size of the file-share index (search_file_share: true) and how long the
# search page opened from file:// takes to show results, for generated corpora.
#   scripts/bench-file-share.sh [PAGES...]      # default: 10000 20000
# Needs Debian's chromium and `npm ci` in tests/browser.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
for pages in "${@:-10000 20000}"; do
  for n in $pages; do
    dir=$(mktemp -d)/corpus
    cargo run --release --quiet --manifest-path "$here/Cargo.toml" --example gen_corpus -- "$n" "$dir" >/dev/null
    printf 'relative_urls: true\nsearch_file_share: true\n' >> "$dir/site.yaml"
    # The limit raised so that sizes above it can be measured.
    OPSITE_FILE_SHARE_LIMIT_KB=1000000 "$here/target/release/opsite" build --root "$dir" >/dev/null
    echo "$n pages: $(stat -c %s "$dir/output/pagefind/opsite-offline.js") bytes"
    node "$here/tests/browser/file-share-timing.mjs" "$dir/output" 障害
    rm -rf "$(dirname "$dir")"
  done
done
