"""Ruling lines in the picture of a page: a scanned table's rules, as a text layer's drawn lines.

A born-digital PDF draws a table's rules as vector lines, and the layout finds tables and their
cells from them. A scanned page holds them only as ink: long, thin, straight runs of pixels
darker than the paper, where letters make only short runs. Each such rule becomes one edge
in page points; a band of ink too thick for a rule (a filled cell, a bar) becomes its outline,
as pdfplumber turns a filled rectangle into four edges.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from ingest.pdf_chars import ruling_edge

# A run of ink at least this long (inches) is a rule; a letter's strokes are shorter.
MIN_RULE_INCHES = 0.3
# A rule is at most this thick (inches, about 2.2 points); a thicker band of ink is a filled area.
MAX_RULE_INCHES = 0.03
# A pixel is ink when this much darker than the paper (0-255): light grey rules count, paper noise does not.
INK_CONTRAST = 24


def ruling_edges(image: Image.Image, dpi: float) -> list[dict]:
    """The horizontal and vertical rules of a page image as pdfplumber edges, in points from the top left.

    Ink touching the border of the image (a scanner's shadow) is left out. A page without a
    horizontal rule has no ruled table, and its vertical rules are not looked for."""
    pixels = np.asarray(image.convert("L"))
    paper = float(np.median(pixels[::8, ::8]))
    ink = pixels <= paper - INK_CONTRAST
    min_length = max(2, round(MIN_RULE_INCHES * dpi))
    max_thickness = max(1, round(MAX_RULE_INCHES * dpi))
    scale = 72.0 / dpi
    edges: list[dict] = []
    for transposed, lines in ((False, ink), (True, ink.T)):
        if transposed and not edges:
            break
        for first, last, start, stop in _bands(_runs(lines, min_length)):
            for across0, across1, along0, along1 in _outline(first, last + 1, start, stop, max_thickness):
                if transposed:
                    across0, across1, along0, along1 = along0, along1, across0, across1
                edges.append(ruling_edge(along0 * scale, across0 * scale, along1 * scale, across1 * scale))
    return edges


def _outline(top: int, bottom: int, start: int, stop: int, max_thickness: int) -> list[tuple[float, ...]]:
    """The lines a band of ink (rows `top` to `bottom`, columns `start` to `stop`, ends excluded) stands
    for, each as (row, row, column, column) with one pair equal: its middle line when it is thin enough
    for a rule, else the four sides of the filled area."""
    if bottom - top <= max_thickness:
        middle = (top + bottom) / 2
        return [(middle, middle, start, stop)]
    return [(top, top, start, stop), (bottom, bottom, start, stop), (top, bottom, start, start),
            (top, bottom, stop, stop)]


def _runs(ink: np.ndarray, min_length: int) -> list[tuple[int, int, int]]:
    """(row, first column, end column) of each run of ink along a row at least `min_length` long,
    row by row, not touching the image's left or right border.

    Only rows where every third of `min_length` along the row, three times in a row, is ink (which
    any run that long is) are searched, as few rows of text are."""
    step = max(1, min_length // 3)
    sampled = ink[:, ::step]
    candidates = np.flatnonzero((sampled[:, :-2] & sampled[:, 1:-1] & sampled[:, 2:]).any(axis=1))
    if not len(candidates):
        return []
    width = ink.shape[1]
    padded = np.zeros((len(candidates), width + 2), dtype=np.int8)
    padded[:, 1:-1] = ink[candidates]
    change = np.diff(padded, axis=1)
    rows, starts = np.nonzero(change == 1)
    _, stops = np.nonzero(change == -1)
    keep = (stops - starts >= min_length) & (starts > 0) & (stops < width)
    return list(zip(candidates[rows[keep]].tolist(), starts[keep].tolist(), stops[keep].tolist()))


def _bands(runs: list[tuple[int, int, int]]) -> list[tuple[int, int, int, int]]:
    """Runs on consecutive rows that overlap for most of the shorter one, joined: (first row, last row,
    first column, end column). A rule drawn over two pixel rows, or a filled area, is one band."""
    bands: list[list[int]] = []
    open_bands: list[list[int]] = []
    for row, start, stop in runs:
        open_bands = [band for band in open_bands if band[1] >= row - 1]
        for band in open_bands:
            overlap = min(stop, band[3]) - max(start, band[2])
            if band[1] == row - 1 and overlap * 2 >= min(stop - start, band[3] - band[2]):
                band[1], band[2], band[3] = row, min(start, band[2]), max(stop, band[3])
                break
        else:
            band = [row, row, start, stop]
            bands.append(band)
            open_bands.append(band)
    return [(first, last, start, stop) for first, last, start, stop in bands]
