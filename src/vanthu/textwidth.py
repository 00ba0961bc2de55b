"""Width of a line of Times New Roman text, to size the rules drawn under text.

The advance widths come from Liberation Serif, metric-compatible with Times New Roman
(tools/build_font_metrics.py). Characters outside the table count as an average glyph.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

_PT_TO_MM = 25.4 / 72


class _Advances(dict):
    """Advance widths of one face; a character outside the table counts as an 'n'."""

    def __missing__(self, char: str) -> int:
        return self["n"]


@lru_cache(maxsize=1)
def _table() -> dict:
    table = json.loads(resources.files("vanthu").joinpath("data", "tnr_widths.json").read_text("utf-8"))
    return {key: _Advances(value) if isinstance(value, dict) else value for key, value in table.items()}


_FACES = {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bolditalic"}


@lru_cache(maxsize=4096)  # agency names, titles and signers repeat across a batch
def text_width_mm(text: str, size_pt: float, bold: bool = False, italic: bool = False) -> float:
    """Printed width of one line of text in millimetres."""
    table = _table()
    units = sum(map(table[_FACES[(bold, italic)]].__getitem__, text))
    return units / table["units_per_em"] * size_pt * _PT_TO_MM
