"""Paragraphs of a clean text, in the two senses the stages need.

A *paragraph* is a run of non-empty lines (a line of spaces still joins its neighbours): how the
cleaner, the section finder and the passage builder read the normalised text. A *block* is what
lies between blank lines, where a line of only spaces and tabs also counts as blank: how a
loader's raw page is cut, and how a lead-in is kept to its own paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.text.whitespace import strip_span

# What opens an item of a list: a dash, star or bullet, or a number or letter with a stop or bracket.
LIST_ITEM = re.compile(r"^(?:[-–•*]\s|\d{1,2}[.)]\s|\(?[a-z]\)\s)")
# The same marker opening a line anywhere in a text, with the line's indent and the space after it.
LIST_ITEM_START = re.compile(r"(?:^|(?<=\n))[ \t]*(?:[-–•*]|\d{1,2}[.)]|\(?[a-z]\))[ \t]+")
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def list_items(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the items of the list `text[start:end]` is, after their markers, an item running to
    the next marker over the lines that continue it; none when the span does not open with a marker."""
    markers = list(LIST_ITEM_START.finditer(text, start, end))
    if not markers or text[start:markers[0].start()].strip():
        return []
    ends = [marker.start() for marker in markers[1:]] + [end]
    return [strip_span(text, marker.end(), item_end) for marker, item_end in zip(markers, ends)]


def paragraphs(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """The paragraphs of `text[start:end]`, as matches whose spans index `text`."""
    return _PARAGRAPH.finditer(text, start, len(text) if end is None else end)


def split_blocks(text: str) -> list[str]:
    """The blocks of `text` between blank lines, empty ones included, so an index counts them all."""
    return _BLANK_LINE.split(text)


def block_starts(text: str) -> list[int]:
    """Where each block after the first begins: just past a blank line."""
    return [match.end() for match in _BLANK_LINE.finditer(text)]
