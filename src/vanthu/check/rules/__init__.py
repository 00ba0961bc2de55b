"""Every rule of the checker, listed here and nowhere else (no registration by import)."""

from __future__ import annotations

from ..rule import Rule
from .appendix import AP01
from .element import EL
from .font import FT01, FT02
from .layout import LY01, LY02, LY03
from .line import RL01, RL02, RL03
from .number import DT01, NB01, NB02
from .page import PG01
from .signature import NN01, SG01
from .text import TX01, TX02, TX03, TX04

RULES: list[Rule] = sorted([
    LY01.RULE, LY02.RULE, LY03.RULE,
    FT01.RULE, FT02.RULE,
    *EL.RULES,
    TX01.RULE, TX02.RULE, TX03.RULE, TX04.RULE,
    RL01.RULE, RL02.RULE, RL03.RULE,
    NB01.RULE, NB02.RULE, DT01.RULE,
    SG01.RULE, NN01.RULE,
    PG01.RULE,
    AP01.RULE,
], key=lambda r: r.code)
