"""Build the Times New Roman advance-width table used to size rules under text.

Liberation Serif is metric-compatible with Times New Roman (same advance widths),
so its widths stand in for TNR. Run once; the output is committed:

    python tools/build_font_metrics.py /usr/share/fonts/truetype/liberation2
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

FACES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
# ASCII, Latin-1, Latin Extended-A/B (ơ ư đ ...), Vietnamese block, common punctuation.
RANGES = [(0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x24F), (0x1EA0, 0x1EF9), (0x2010, 0x2026)]

OUT = Path(__file__).resolve().parent.parent / "src" / "vanthu" / "data" / "tnr_widths.json"


def main(font_dir: str) -> None:
    table: dict[str, object] = {}
    chars = "".join(chr(c) for lo, hi in RANGES for c in range(lo, hi + 1))
    for face, filename in FACES.items():
        font = TTFont(str(Path(font_dir) / filename))
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        table["units_per_em"] = font["head"].unitsPerEm
        table[face] = {ch: hmtx[cmap[ord(ch)]][0] for ch in chars if ord(ch) in cmap}
    OUT.write_text(json.dumps(table, ensure_ascii=False, sort_keys=True, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/fonts/truetype/liberation2")
