#!/usr/bin/env bash
# Mermaid layout time: single flowcharts of L links (random links among B boxes, S subgraphs),
# each a page built cold, and a page of six 23-link diagrams cold and rebuilt after the site's
# title changed (the drawings come from .opsite/cache). The limits are raised so every page is
# drawn; the default limits refuse what is past `limits.diagram_page_work`.
#   scripts/bench-diagrams.sh
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${BIN:-$here/target/release/opsite}
work=$(mktemp -d)
python3 - "$work" <<'PY'
import os, random, sys
work = sys.argv[1]
def chart(links, boxes, groups=0, label=4, seed=1):
    r = random.Random(seed)
    lines = ["flowchart TD"]
    per = boxes // groups if groups else boxes
    for g in range(max(groups, 1)):
        if groups: lines.append(f"  subgraph G{g}")
        for b in range(g * per, (g + 1) * per): lines.append(f"    N{b}[{'x' * label}{b}]")
        if groups: lines.append("  end")
    for _ in range(links): lines.append(f"  N{r.randrange(boxes)} --> N{r.randrange(boxes)}")
    return "\n".join(lines)
def site(name, charts, limits=True):
    os.makedirs(f"{work}/{name}/content", exist_ok=True)
    extra = "limits: {diagram_page_kb: 1000, diagram_label_chars: 1000, diagram_page_work: 1000}\n" if limits else ""
    open(f"{work}/{name}/site.yaml", "w").write(f"title: one\n{extra}")
    body = "---\ntitle: x\n---\n" + "".join(f"\n```mermaid\n{c}\n```\n" for c in charts)
    open(f"{work}/{name}/content/x.md", "w").write(body)
for l, b, s in [(10, 10, 0), (20, 15, 0), (40, 25, 0), (60, 30, 0), (80, 40, 0), (100, 60, 0), (30, 30, 10), (60, 60, 12), (100, 200, 40)]:
    site(f"one-{l}-links-{b}-boxes-{s}-subgraphs", [chart(l, b, s)])
site("six-23-link-diagrams", [chart(23, 20, 0, label=40, seed=i) for i in range(6)], limits=False)
PY
for d in "$work"/one-*; do
  /usr/bin/time -f "$(basename "$d"): %e s" "$bin" build --root "$d" 2>&1 >/dev/null | tail -1
done
six="$work/six-23-link-diagrams"
/usr/bin/time -f "six 23-link diagrams, cold: %e s" "$bin" build --root "$six" 2>&1 >/dev/null | tail -1
sed -i 's/title: one/title: two/' "$six/site.yaml"
/usr/bin/time -f "six 23-link diagrams, title changed: %e s" "$bin" build --root "$six" 2>&1 >/dev/null | tail -1
rm -rf "$work"
