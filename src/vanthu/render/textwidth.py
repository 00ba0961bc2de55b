"""Width of a line of Times New Roman text, to size the rules drawn under text.

The advance widths come from Liberation Serif, metric-compatible with Times New Roman
(tools/build_font_metrics.py). Characters outside the table count as an average glyph.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

_PT_TO_MM = 25.4 / 72


@lru_cache(maxsize=1)
def _table() -> dict:
    return json.loads(resources.files("vanthu.render").joinpath("tnr_widths.json").read_text("utf-8"))


def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of text in millimetres."""
    table = _table()
    face = {(False, False): "regular", (True, False): "bold",
            (False, True): "italic", (True, True): "bolditalic"}[(bold, italic)]
    widths = table[face]
    fallback = widths["n"]
    units = sum(widths.get(ch, fallback) for ch in text)
    return units / table["units_per_em"] * size_pt * _PT_TO_MM
