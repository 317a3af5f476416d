"""Tesseract's words on a page as a text layer: characters with positions, sizes and ruling lines.

Tesseract reads a page block by block in an order of its own: a table column by column, a
sidebar wherever it falls. The text layer's layout (`ingest.pdf_layout`) decides reading order
from positions alone: lines, columns, ruled tables read row by row. Giving it Tesseract's words
as the characters a text layer would hold lays a scanned page out as a born-digital one.

Tesseract's word table gives each word's and each line's box, but no type size. A line's size
is measured from the top of its tall letters down to its baseline, and the sizes of a page are
gathered into a few clusters, so that lines of one type share one size, as they do in a text layer.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from ingest.pdf_chars import Char, PdfiumPage
from ingest.pdf_layout import WORD_GAP_RATIO

# From the top of a line's tall letters to its baseline is about this share of the type size
# (capitals and ascenders as Tesseract boxes them on pages rendered at 150 to 300 dpi).
ASCENT = 0.8
# The part of the type size below the baseline, where a text layer's character box ends.
DESCENT = 0.2
# Measured heights within this share of a page's commonest one are taken for the same type size.
SIZE_TOLERANCE = 0.08
# Words Tesseract found apart are drawn at least this far apart (a share of the type size), beyond
# the gap below which the layout joins them (`WORD_GAP_RATIO`).
MIN_WORD_GAP = WORD_GAP_RATIO + 0.05
# The stand-in font name of OCR'd characters: neither bold nor italic (Tesseract does not tell).
OCR_FONT = "OCR"
# Words with a letter reaching the capital height: a line of none of them (x-height letters only) is not measured.
_TALL = re.compile(r"[A-Z0-9bdfhkltß!?%&#()\[\]{}/\\|'\"‘’“”]")
# Words with a letter reaching below the baseline: their bottom is not the baseline.
_DESCENDS = re.compile(r"[gjpqyQ,;()\[\]{}|@$§/\\_µ]")


@dataclass(frozen=True)
class _Word:
    text: str
    left: float
    right: float
    top: float
    bottom: float
    confidence: float


@dataclass
class _Line:
    top: float
    bottom: float
    words: list[_Word]

    @property
    def sitting(self) -> list[_Word]:
        """The words that reach no lower than the baseline, inside the line's box (Tesseract sometimes
        boxes a word taller than its line)."""
        return [word for word in self.words
                if not _DESCENDS.search(word.text) and self.top < word.bottom <= self.bottom]

    @property
    def baseline(self) -> float:
        """Where the letters sit: the middle bottom of the words sitting on it; failing those, the
        line's box cut at the usual share below the baseline."""
        if sitting := self.sitting:
            return statistics.median(word.bottom for word in sitting)
        return self.bottom - DESCENT / (ASCENT + DESCENT) * (self.bottom - self.top)


@dataclass(frozen=True)
class OcrLayer:
    """A page read by OCR: its words as characters of a text layer, and the mean confidence (0..1) of
    its words, weighted by length."""

    page: PdfiumPage
    confidence: float


def ocr_layer(tsv: str, dpi: float, edges: list[dict] | None = None) -> OcrLayer:
    """The text layer Tesseract's word table (its `tsv` output for an image at `dpi`) describes, with
    the ruling `edges` found in the image (in points)."""
    lines, width, height = _tsv_lines(tsv)
    scale = 72.0 / dpi
    page = PdfiumPage(width=width * scale, height=height * scale, edges=list(edges or []),
                      rulings=len(edges or []))
    for line, size in zip(lines, _line_sizes(lines)):
        _add_line(page.glyphs, line, size, scale)
    words = [word for line in lines for word in line.words]
    letters = sum(len(word.text) for word in words)
    weighted = sum(word.confidence * len(word.text) for word in words)
    return OcrLayer(page=page, confidence=round(weighted / letters / 100, 4) if letters else 0.0)


def _tsv_lines(tsv: str) -> tuple[list[_Line], float, float]:
    """Tesseract's lines in its order, each with its box and words (in pixels); and the image size."""
    lines: dict[tuple[str, str, str], _Line] = {}
    width = height = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        left, top = float(row["left"]), float(row["top"])
        right, bottom = left + float(row["width"]), top + float(row["height"])
        key = (row["block_num"], row["par_num"], row["line_num"])
        if row["level"] == "1":
            width, height = right, bottom
        elif row["level"] == "4":
            lines[key] = _Line(top, bottom, [])
        elif row["level"] == "5" and key in lines and (text := (row["text"] or "").strip()) and row["conf"] != "-1":
            lines[key].words.append(_Word(text, left, right, top, bottom, float(row["conf"])))
    return [line for line in lines.values() if line.words], width, height


def _line_sizes(lines: list[_Line]) -> list[float]:
    """Each line's type size in pixels: measured heights gathered around the commonest ones, so that
    lines of one type get one size; a line that cannot be measured gets the page's commonest size
    (on a page where none can, the middle height of the lines' boxes, which span about a type size)."""
    measured = [_tall_height(line) for line in lines]
    weights: Counter[float] = Counter()
    for line, height in zip(lines, measured):
        if height is not None:
            weights[height] += sum(len(word.text) for word in line.words)
    if not lines:
        return []
    clusters = _clusters(weights)
    common = clusters[0][1] if clusters else ASCENT * statistics.median(line.bottom - line.top for line in lines)
    size_of = {height: size for members, size in clusters for height in members}
    return [size_of.get(height, common) / ASCENT if height is not None else common / ASCENT for height in measured]


def _tall_height(line: _Line) -> float | None:
    """From the top of the line's tall letters to its baseline, in pixels (the middle top of its words
    that have one, as a stray box may be taller); None when the line has no tall letter or no word
    that sits on its baseline, so that one end is a guess."""
    tops = [word.top for word in line.words if _TALL.search(word.text)]
    if not tops or not line.sitting:
        return None
    return line.baseline - statistics.median(tops)


def _clusters(weights: Counter[float]) -> list[tuple[set[float], float]]:
    """Heights gathered around the heaviest remaining one, within `SIZE_TOLERANCE` of it: each
    cluster's members and weighted mean, heaviest first."""
    left = dict(weights)
    clusters = []
    while left:
        centre = max(left, key=lambda height: (left[height], height))
        members = {height for height in left if abs(height - centre) <= max(1.0, SIZE_TOLERANCE * centre)}
        total = sum(left[height] for height in members)
        clusters.append((members, sum(height * left[height] for height in members) / total))
        for height in members:
            del left[height]
    return clusters


def _add_line(glyphs: list[Char], line: _Line, size: float, scale: float) -> None:
    """The line's words as characters sharing one baseline and size, each word's box split evenly
    among its letters, and a space after every word but the last, as a text layer holds them.

    The layout joins words with a space only across a gap wider than `WORD_GAP_RATIO` of the type
    size; a word that Tesseract saw end closer to the next (italic, tight setting) ends a little
    earlier, so that the break it found is kept."""
    top, bottom = (line.baseline - ASCENT * size) * scale, (line.baseline + DESCENT * size) * scale
    style = (OCR_FONT, round(size * scale, 1), True)
    gap = MIN_WORD_GAP * size
    words = line.words
    for index, word in enumerate(words):
        right = word.right
        if index < len(words) - 1:
            right = max(min(right, words[index + 1].left - gap), word.left + (right - word.left) / 2)
        step = (right - word.left) / len(word.text)
        for k, letter in enumerate(word.text):
            glyphs.append([letter, (word.left + k * step) * scale, (word.left + (k + 1) * step) * scale, top, bottom,
                           style])
        if index < len(words) - 1:
            glyphs.append([" ", right * scale, right * scale, top, bottom, style])
