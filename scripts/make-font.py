#!/usr/bin/env python3
"""Make the Japanese fonts opsite carries in its binary (src/fonts/), for chart images and PDFs
on machines without a Japanese font installed.

They are subsets of Noto Sans CJK JP Regular and Bold (SIL Open Font License 1.1; licence text
in src/fonts/OFL.txt), with the outlines converted to TrueType (quadratic) curves: Chromium
embeds a TrueType font in a PDF as a CID font, but draws CFF outlines as Type 3 glyphs (bigger,
unhinted, and nameless to pdffonts). Each subset holds ASCII and Latin-1, general punctuation, arrows, the symbols reports print,
kana, JIS X 0208 (level 1 and 2 kanji and its symbols), CJK punctuation and full/half-width forms.

    pip install fonttools
    apt-get install fonts-noto-cjk    # the source fonts (Debian/Ubuntu)
    python3 scripts/make-font.py

The output is deterministic for a given source font (no timestamps are kept).
"""
import sys
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

FONTS = "/usr/share/fonts/opentype/noto"
# Regular and Bold: without a bold face, browsers embolden by drawing, which Chromium's PDF
# output keeps as Type 3 glyphs.
MADE = [
    (f"{FONTS}/NotoSansCJK-Regular.ttc", "src/fonts/NotoSansJP-opsite.ttf"),
    (f"{FONTS}/NotoSansCJK-Bold.ttc", "src/fonts/NotoSansJP-opsite-Bold.ttf"),
]


def jis_x_0208():
    """Every character of JIS X 0208, read through the EUC-JP codec (rows 1 to 84)."""
    chars = set()
    for row in range(0xA1, 0xF5):
        for cell in range(0xA1, 0xFF):
            try:
                chars.add(bytes([row, cell]).decode("euc_jp"))
            except UnicodeDecodeError:
                pass
    return chars


def ranges(*spans):
    return {chr(c) for a, b in spans for c in range(a, b + 1)}


def to_truetype(font, max_err=1.0):
    """Replace the CFF outlines by TrueType ones (as fontTools' otf2ttf snippet does)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    font["maxp"] = newTable("maxp")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for field in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                  "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements"):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font.sfntVersion = "\x00\x01\x00\x00"
    font["head"].glyphDataFormat = 0
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}


def main(source, out):
    chars = jis_x_0208()
    chars |= ranges(
        (0x20, 0x7E), (0xA0, 0xFF),          # ASCII, Latin-1
        (0x2000, 0x206F),                    # general punctuation (– — ‘ ’ “ ” … ‰)
        (0x2100, 0x214F),                    # letterlike (℃ № ™)
        (0x2190, 0x21FF),                    # arrows (↑ ↓ → ⇒)
        (0x2200, 0x22FF),                    # maths (≤ ≥ ± ×)
        (0x2460, 0x24FF),                    # circled numbers ①
        (0x2500, 0x257F),                    # box drawing
        (0x25A0, 0x25FF),                    # shapes (■ □ ▲ ▼ ● ○ ◎)
        (0x2600, 0x26FF),                    # symbols (★ ☆ ⚠)
        (0x2700, 0x27BF),                    # dingbats (✓ ✗)
        (0x3000, 0x303F),                    # CJK punctuation (、 。 「 」 〜)
        (0x3040, 0x30FF),                    # hiragana, katakana
        (0x31F0, 0x31FF),                    # small katakana
        (0x3200, 0x33FF),                    # enclosed and squared (㈱ ㎡)
        (0xFF00, 0xFFEF),                    # full- and half-width forms
    )
    font = TTCollection(source).fonts[0] if source.endswith(".ttc") else TTFont(source)
    family = font["name"].getDebugName(1)
    if "JP" not in family:
        sys.exit(f"{source}: the first font is {family}, not the Japanese one")
    options = subset.Options()
    options.layout_features = ["kern", "palt", "halt", "ccmp"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["DSIG"]
    sub = subset.Subsetter(options)
    sub.populate(text="".join(sorted(chars)))
    sub.subset(font)
    to_truetype(font)
    font.recalcTimestamp = False
    font.save(out)
    print(f"{out}: {len(font.getGlyphOrder())} glyphs for {len(chars)} characters")


if __name__ == "__main__":
    for source, out in MADE:
        main(source, out)
