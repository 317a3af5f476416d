"""Characters into words, exactly as pdfplumber's `extract_words` groups them, in one pass.

pdfplumber's word extractor builds a dictionary per character and calls a method per pair of
characters; on pdfium's characters it would cost more than reading them. This does the same
grouping for upright text with plain lists: runs of one font and size in content order,
within a run lines clustered by top (tolerance `LINE_TOLERANCE`, chained as pdfplumber
chains them), within a line left to right, and a new word at a space, at a step back, at a
gap wider than `gap_ratio` of the font size, or at a jump of line.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter

# pdfplumber's default y tolerance, in points: tops this close (chained) are one line.
LINE_TOLERANCE = 3.0

_TEXT, _X0, _X1, _TOP, _BOTTOM, _STYLE = (itemgetter(i) for i in range(6))


def extract_words(glyphs: Sequence[list], gap_ratio: float) -> list[dict]:
    """Words as pdfplumber's word dicts (`text`, `x0`, `x1`, `top`, `bottom`, `fontname`, `size`, `upright`)
    from characters `[text, x0, x1, top, bottom, (fontname, size, upright)]` in content order.
    Text that is not upright is left out, as the layout leaves it out."""
    words: list[dict] = []
    for style, run in groupby(glyphs, key=_STYLE):
        if not style[2]:
            continue
        fontname, size, _ = style
        gap = gap_ratio * size
        for line in _lines(list(run)):
            _split_words(line, gap, fontname, size, words)
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


def _split_words(line: list[list], gap: float, fontname: str, size: float, words: list[dict]) -> None:
    current: list[list] = []
    for char in line:
        if char[0].isspace():
            if current:
                words.append(_word(current, fontname, size))
                current = []
            continue
        if current:
            previous = current[-1]
            if char[1] < previous[1] or char[1] > previous[2] + gap or abs(char[3] - previous[3]) > LINE_TOLERANCE:
                words.append(_word(current, fontname, size))
                current = []
        current.append(char)
    if current:
        words.append(_word(current, fontname, size))


def _word(chars: list[list], fontname: str, size: float) -> dict:
    """The word of `chars` (sorted by x0, so the first starts it)."""
    return {
        "text": "".join(map(_TEXT, chars)),
        "x0": chars[0][1],
        "x1": max(map(_X1, chars)),
        "top": min(map(_TOP, chars)),
        "bottom": max(map(_BOTTOM, chars)),
        "fontname": fontname,
        "size": size,
        "upright": True,
    }
