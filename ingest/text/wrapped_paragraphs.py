"""Paragraph breaks in a plain text whose lines were wrapped by a page and whose blank lines were lost.

Text copied out of a PDF keeps the page's line breaks but often not the space between paragraphs:
a whole page is one block, its paragraphs, headings and block quotations run together. The
layout still shows where they part. A paragraph's last line stops short of the wrapping width; a
heading is a short line; a block quotation is a run of lines indented from the body's edge; a
paragraph may open with an indented first line. A blank line is put back at each of those places,
so that later stages see the paragraphs, and the indented runs as blocks set off from the body.

Only blocks wrapped at a steady width are read so: a text whose paragraphs are each one long line,
or whose blocks are already paragraphs, is left as it is.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ingest.text.paragraphs import LIST_ITEM

# A block is read as wrapped when it has this many lines at least,
MIN_WRAPPED_LINES = 6
# its wrapping width (the length most long lines reach) is this many characters at least,
MIN_WRAP_WIDTH = 40
# and this share of its lines reach WRAPPED_LINE_SHARE of that width.
MIN_FULL_LINE_SHARE = 0.6
WRAPPED_LINE_SHARE = 0.8
# A line shorter than this share of the wrapping width ends its paragraph.
SHORT_LINE_SHARE = 0.7
# Columns right of the line above at which a line opens a new paragraph or a set-off block.
INDENT_STEP = 2
_BLANK_BETWEEN_BLOCKS = re.compile(r"(\n[ \t]*\n)")
# A line opening a speaker's turn (`Resp: ...`, `[00:12:49] EILEEN BRADY: ...`), whose lines may hang under its words.
_OPENS_TURN = re.compile(r"[ \t]*(?:[\[(][\d:.]+[\])][ \t]*)?[A-Z][\w.'’ -]{0,30}:[ \t]")
# How a line ends before a block set off below it: a sentence's or a lead-in's end.
_ENDS_LEAD_IN = ".:?!;\"”’)"
# A line that is only a label in brackets: `(Discharge coordinator, Marsh Valley Hospital)`.
_BRACKETED_LINE = re.compile(r"[(\[][^()\[\]\n]{1,100}[)\]][.,;]?")
# What a paragraph's first line may open with: a capital, a digit, a mark or a bracket.
_OPENS_PARAGRAPH = re.compile(r"[ \t]*[A-Z0-9“\"‘'(\[–—-]")


def with_paragraph_breaks(text: str) -> str:
    """`text` with a blank line wherever the layout of a wrapped block shows a paragraph ending."""
    parts = _BLANK_BETWEEN_BLOCKS.split(text)
    page_width = _wrap_width(text.split("\n"))
    parts[::2] = [_broken(block, page_width) for block in parts[::2]]
    return "".join(parts)


def _broken(block: str, page_width: int | None) -> str:
    """The block with its paragraphs parted, where it is wrapped text: at a steady width of its own, or
    at the text's, which a short block (a heading, a paragraph's end, a block quotation) may show too
    few full lines of, as long as one of its lines reaches it."""
    lines = block.split("\n")
    width = _wrap_width(lines)
    if width is None and page_width is not None and any(
            len(line.rstrip()) >= WRAPPED_LINE_SHARE * page_width for line in lines):
        width = page_width
    if width is None:
        return block
    out = [lines[0]]
    run = 1  # lines of the indented run, or of the paragraph, that `previous` ends
    for previous, line in pairwise(lines):
        ends = _paragraph_ends(previous, line, width, run)
        run = 1 if ends or _indent(line) != _indent(previous) else run + 1
        if ends:
            out.append("")
        out.append(line)
    return "\n".join(out)


def _paragraph_ends(previous: str, line: str, width: int, run: int) -> bool:
    """Whether a paragraph ends between `previous` and `line`; `run` lines up to `previous` share its indent."""
    if not previous.strip() or not line.strip() or "\t" in previous + line:
        return False
    if LIST_ITEM.match(line.lstrip()) or _OPENS_TURN.match(line):
        return False  # a list item's or a turn's marker already opens its own unit
    step = _indent(line) - _indent(previous)
    short = len(previous.strip()) < SHORT_LINE_SHARE * width
    if step >= INDENT_STEP:  # a set-off block, unless the lines hang under a list item's or a turn's words
        hangs = LIST_ITEM.match(previous.lstrip()) or _OPENS_TURN.match(previous)
        return not hangs and (short or previous.rstrip()[-1] in _ENDS_LEAD_IN)
    if step <= -INDENT_STEP:
        return run > 1  # the end of an indented block; after one line, a paragraph's indented opening
    # A code in brackets on the line below the words it signs stays with them.
    return short and bool(_OPENS_PARAGRAPH.match(line)) and not _BRACKETED_LINE.fullmatch(line.strip())


def _wrap_width(lines: list[str]) -> int | None:
    """The width a block's lines were wrapped at, or None when the block is not wrapped text."""
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < MIN_WRAPPED_LINES:
        return None
    width = lengths[int(len(lengths) * 0.9) - 1]
    full = sum(length >= WRAPPED_LINE_SHARE * width for length in lengths)
    return width if width >= MIN_WRAP_WIDTH and full >= MIN_FULL_LINE_SHARE * len(lengths) else None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
