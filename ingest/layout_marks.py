"""Paragraphs the layout sets off from the body text: block quotations printed without marks.

Reports set a long quotation apart by layout alone: indented against the column, in italics or
in smaller type (PDF), as a blockquote or a paragraph wholly in emphasis (Markdown), or indented
against the text's usual left edge (plain text). Loaders
mark such paragraphs by their index on the page; the cleaner finds each one again in the clean
text, so the quotation finder gets exact spans and never has to guess from the words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from ingest.records import LayoutMark
from ingest.text.paragraphs import split_blocks

_BLOCKQUOTE_LINE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_EMPHASIS = re.compile(r"^\s*(?P<mark>\*{1,2}|_{1,2})(?=\S)(?P<body>.*\S)(?P=mark)\s*$", re.DOTALL)
# A loader's mark for a block quotation's first paragraph, and for each paragraph that goes on with it:
# located, one quotation's paragraphs are one mark, as a Markdown blockquote's are.
BLOCKQUOTE = "blockquote"
BLOCKQUOTE_GOES_ON = "blockquote, continued"
# A word processor's quotation style: set on each paragraph, it does not tell where one quotation ends.
QUOTE_STYLE = "quote style"
# Characters of a marked paragraph's ends used to find it again when cleaning changed its middle.
FRAGMENT_END_CHARS = 40
# Columns right of the body text's usual left edge at which every line of a plain-text block is set off.
TEXT_SET_OFF_COLUMNS = 2
# A paragraph on one line longer than any page's is printed unwrapped; a text with this many such at its
# edge prints its paragraphs so.
UNWRAPPED_LINE_CHARS = 160
MIN_UNWRAPPED_PARAGRAPHS = 3
# A tab advances to the next multiple of this many columns.
TAB_COLUMNS = 8


def strip_blockquote(line: str) -> str:
    """A Markdown line without its blockquote marker, so a quotation keeps only its words."""
    return _BLOCKQUOTE_LINE.sub("", line, count=1)


def without_quoted_block_marks(lines: list[str]) -> list[str]:
    """A plain text's lines with the `>` that opens each line of an email's quoted block taken off:
    a block (lines between blank ones) counts only when every one of its lines opens with it."""
    out = list(lines)
    start = 0
    for end in [*(i for i, line in enumerate(lines) if not line.strip()), len(lines)]:
        block = range(start, end)
        if len(block) and all(_BLOCKQUOTE_LINE.match(lines[i]) for i in block):
            for i in block:
                out[i] = strip_blockquote(lines[i])
        start = end + 1
    return out


def text_marks(text: str) -> tuple[tuple[int, str], ...]:
    """A plain text's set-off blocks, by index: indented ones, and an email's quoted ones (`> ...`)."""
    quoted = tuple((index, BLOCKQUOTE) for index, kind in markdown_marks(text) if kind == BLOCKQUOTE)
    taken = {index for index, _ in quoted}
    return tuple(sorted(quoted + tuple(mark for mark in indented_marks(text) if mark[0] not in taken)))


def markdown_marks(text: str) -> tuple[tuple[int, str], ...]:
    """Blockquote paragraphs, and paragraphs set wholly in one emphasis, by index."""
    marks = []
    for index, paragraph in enumerate(split_blocks(text)):
        lines = [line for line in paragraph.split("\n") if line.strip()]
        if lines and all(_BLOCKQUOTE_LINE.match(line) for line in lines):
            marks.append((index, BLOCKQUOTE))
            continue
        emphasis = _EMPHASIS.match(paragraph)
        if emphasis and emphasis.group("mark") not in emphasis.group("body"):
            marks.append((index, "emphasis"))
    return tuple(marks)


def indented_marks(text: str) -> tuple[tuple[int, str], ...]:
    """Plain-text blocks whose every line starts right of the usual left edge, by index.

    The usual edge is where most blocks start (the nearer one on a tie, so a short text whose
    quotation is as long as its prose still has its edge); a block needs two lines at least, so
    a paragraph with only its first line indented is not one, unless the text prints its paragraphs
    unwrapped, each on one long line at the edge (a word processor's export): there a paragraph's
    first line is its only line, and an indented one is set off.
    """
    blocks = [[line for line in block.split("\n") if line.strip()] for block in split_blocks(text)]
    edges = Counter(min(_indent(line) for line in lines) for lines in blocks if lines)
    if not edges:
        return ()
    body = min(edges, key=lambda edge: (-edges[edge], edge))
    unwrapped = sum(len(lines) == 1 and _indent(lines[0]) == body and len(lines[0]) > UNWRAPPED_LINE_CHARS
                    for lines in blocks)
    shortest = 1 if unwrapped >= MIN_UNWRAPPED_PARAGRAPHS else 2
    return tuple(
        (index, "indented") for index, lines in enumerate(blocks)
        if len(lines) >= shortest and all(_indent(line) >= body + TEXT_SET_OFF_COLUMNS for line in lines)
    )


def _indent(line: str) -> int:
    expanded = line.expandtabs(TAB_COLUMNS)
    return len(expanded) - len(expanded.lstrip(" "))


def locate_marks(
    raw_text: str, marks: Sequence[tuple[int, str]], cleaned: str, clean: Callable[[str], str], offset: int
) -> list[LayoutMark]:
    """Spans in the cleaned page text of the paragraphs a loader marked in the raw page, the paragraphs
    of one block quotation (see `BLOCKQUOTE_GOES_ON`) as one span.

    Each marked paragraph is cleaned alone as its page was and looked for after the previous
    one; when cleaning its context changed it (a number dropped mid-way), its two ends are.
    """
    paragraphs = split_blocks(raw_text)
    located: list[LayoutMark] = []
    cursor = 0
    for index, kind in marks:
        fragment = clean(paragraphs[index]).strip() if index < len(paragraphs) else ""
        if not fragment:
            continue
        span = _find(cleaned, fragment, cursor)
        if span is None:
            continue
        cursor = span[1]
        if kind == BLOCKQUOTE_GOES_ON and located and located[-1].kind == BLOCKQUOTE:
            located[-1] = LayoutMark(located[-1].start, span[1] + offset, BLOCKQUOTE)
        else:
            located.append(LayoutMark(span[0] + offset, span[1] + offset, BLOCKQUOTE if kind == BLOCKQUOTE_GOES_ON
                                      else kind))
    return located


def _find(cleaned: str, fragment: str, cursor: int) -> tuple[int, int] | None:
    """The span of a marked paragraph in the cleaned text, from `cursor` on: where it opens a line, as a
    paragraph does (its words may stand inside another paragraph too: a pull quote repeats them)."""
    start = _line_opening(cleaned, fragment, cursor)
    if start >= 0:
        return start, start + len(fragment)
    head, tail = fragment[:FRAGMENT_END_CHARS], fragment[-FRAGMENT_END_CHARS:]
    start = _line_opening(cleaned, head, cursor)
    end = cleaned.find(tail, start) if start >= 0 else -1
    if end < 0 or end + len(tail) - start > 2 * len(fragment):
        return None
    return start, end + len(tail)


def _line_opening(cleaned: str, fragment: str, cursor: int) -> int:
    """Where `fragment` first occurs from `cursor` on at the start of a line, or -1."""
    start = cleaned.find(fragment, cursor)
    while start > 0 and cleaned[start - 1] != "\n":
        start = cleaned.find(fragment, start + 1)
    return start
