"""Characters into words, exactly as pdfplumber's `extract_words` groups them, in one pass.

pdfplumber's word extractor builds a dictionary per character and calls a method per pair of
characters; on pdfium's characters it would cost more than reading them. This does the same
grouping for upright text with plain lists: runs of one font and size in content order,
within a run lines clustered by top (tolerance `LINE_TOLERANCE`, chained as pdfplumber
chains them), within a line left to right, and a new word at a space, at a step back, at a
gap wider than `gap_ratio` of the font size, or at a jump of line. Each word is built once, as the
layout's `Word`, with no dictionary between.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

# pdfplumber's default y tolerance, in points: tops this close (chained) are one line.
LINE_TOLERANCE = 3.0

_TEXT, _X0, _X1, _TOP, _BOTTOM, _STYLE = (itemgetter(i) for i in range(6))
_CID_GLYPH = re.compile(r"\(cid:\d+\)")


class Word(NamedTuple):
    """One word with the position and typeface that layout decisions use (a tuple: a page holds
    hundreds of words)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    italic: bool


@lru_cache(maxsize=256)
def font_style(fontname: str) -> tuple[bool, bool]:
    """Whether a font is bold, and italic, by its name (a page uses a handful of fonts for many words)."""
    name = fontname.lower()
    return (any(mark in name for mark in ("bold", "black", "heavy", "semibold", "cmbx")),
            any(mark in name for mark in ("italic", "oblique", "cmti")))


def readable_glyphs(text: str) -> str:
    """Glyphs the font cannot map to Unicode: a lone one is a bullet, others are unknown."""
    if "(cid:" not in text:
        return text
    if not _CID_GLYPH.sub("", text):
        return "•"
    return _CID_GLYPH.sub("\ufffd", text)


def extract_words(glyphs: Sequence[list], gap_ratio: float) -> list[Word]:
    """Words from characters `[text, x0, x1, top, bottom, (fontname, size, upright)]` in content order,
    grouped as pdfplumber's `extract_words` groups them and styled as the layout reads pdfplumber's
    words (size to a tenth of a point, bold and italic by the font's name). Text that is not upright
    is left out, as the layout leaves it out."""
    words: list[Word] = []
    for style, run in groupby(glyphs, key=_STYLE):
        if not style[2]:
            continue
        fontname, size, _ = style
        bold, italic = font_style(fontname)
        gap = gap_ratio * size
        for line in _lines(list(run)):
            _split_words(line, gap, (round(size, 1), bold, italic), words)
    return words


def _lines(run: list[list]) -> list[list[list]]:
    """The run's characters clustered by top, clusters top to bottom, each sorted left to right."""
    tops = sorted(set(map(_TOP, run)))
    if len(tops) == 1:
        return [sorted(run, key=_X0)]
    cluster_of: dict[float, int] = {}
    cluster, last = 0, tops[0]
    for top in tops:
        if top > last + LINE_TOLERANCE:
            cluster += 1
        cluster_of[top] = cluster
        last = top
    lines: list[list[list]] = [[] for _ in range(cluster + 1)]
    for char in run:
        lines[cluster_of[char[3]]].append(char)
    return [sorted(line, key=_X0) for line in lines]


def _split_words(line: list[list], gap: float, style: tuple[float, bool, bool], words: list[Word]) -> None:
    current: list[list] = []
    for char in line:
        if char[0].isspace():
            if current:
                words.append(_word(current, style))
                current = []
            continue
        if current:
            previous = current[-1]
            if char[1] < previous[1] or char[1] > previous[2] + gap or abs(char[3] - previous[3]) > LINE_TOLERANCE:
                words.append(_word(current, style))
                current = []
        current.append(char)
    if current:
        words.append(_word(current, style))


def _word(chars: list[list], style: tuple[float, bool, bool]) -> Word:
    """The word of `chars` (sorted by x0, so the first starts it), in its run's `style` (size, bold, italic)."""
    return Word(readable_glyphs("".join(map(_TEXT, chars))), chars[0][1], max(map(_X1, chars)),
                min(map(_TOP, chars)), max(map(_BOTTOM, chars)), *style)
