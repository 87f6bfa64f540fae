"""Names and colours that hold: one niche colour per community on every map and report, safe text.

* :data:`PALETTE` has ten colours chosen so that any two are at least ΔE2000 14.9 apart for
  normal vision and 11 apart under simulated deuteranopia and protanopia (Okabe-Ito and Paul Tol
  colours; tests/test_maps.py checks it with coloraide). Past ten niches the colours repeat with a
  dashed, then dotted border (:data:`PATTERNS`); past thirty niches are grey.
* A niche's colour comes from its community id (the analysis numbers communities by size, 0 the
  largest), never from its position on one map, so a niche keeps its colour on every map and in the
  report of the same analysis.
* :func:`safe_text` shows bidirectional-override and control characters as visible escapes, so a
  handle such as ``abc<U+202E>gnp.exe`` cannot display as ``abcexe.png``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Niche colours (community 0, 1, 2, ...): colour-blind-safe, no near-twins (see the module doc).
PALETTE = ("#0077BB", "#E69F00", "#009E73", "#CC3311", "#56B4E9", "#882255", "#F0E442", "#CC79A7",
           "#332288", "#EE6677")
#: Border dashes of niches past the palette: none, dashed, dotted (vis-network ``borderDashes``).
PATTERNS = (None, [6, 3], [2, 3])
OTHER_COLOR = "#b4b4b4"

_UNSAFE = re.compile("[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029\ufeff]")


def safe_text(value) -> str:
    """``value`` as text with bidi controls, control characters and line/paragraph separators
    written as visible ``<U+XXXX>`` escapes (tabs and newlines become spaces).

    >>> safe_text("abc\\u202egnp.exe\\u202c")
    'abc<U+202E>gnp.exe<U+202C>'
    >>> safe_text("a\\tb")
    'a b'
    """
    text = str(value).replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return _UNSAFE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def niche_codes(community: pd.Series | np.ndarray, local: np.ndarray) -> np.ndarray:
    """The colour code of each creator's niche: its community id when every id is a non-negative
    integer (the analysis's own numbering, stable across maps), else ``local`` (the map's order)."""
    s = pd.Series(np.asarray(community, dtype=object))
    num = pd.to_numeric(s, errors="coerce")
    ok = num.notna().all() and len(s) and (num >= 0).all() and (num == num.round()).all()
    return num.to_numpy(np.int64) if ok else np.asarray(local, dtype=np.int64)


def niche_color(code: int) -> str:
    """The fill colour of colour code ``code`` (grey past the palette's three patterns)."""
    return PALETTE[code % len(PALETTE)] if 0 <= code < len(PALETTE) * len(PATTERNS) else OTHER_COLOR


def niche_pattern(code: int):
    """The border dashes of colour code ``code`` (None: a solid border)."""
    return PATTERNS[code // len(PALETTE)] if 0 <= code < len(PALETTE) * len(PATTERNS) else None


def short_label(text: str, limit: int = 48) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with ``…`` when cut (never mid-word
    unless a single word is longer than ``limit``).

    >>> short_label("fitness (94%); #fitness, #gym, #workout", 24)
    'fitness (94%); #fitness\u2026'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] == " ":
        return cut.rstrip(" ;,") + "\u2026"
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 3 else cut).rstrip(" ;,") + "\u2026"
