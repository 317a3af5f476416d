"""Tables a PDF draws without rules: columns of text aligned at the same x on consecutive lines.

Journal papers set their tables of illustrative quotations (`Theme | Quotation`) and consultation
reports their comments by respondent type this way: no lines, only a gap between the columns.
Read line by line, the rows interleave (`Convenience “Saturday morning is...` then `and trust
aren't working...`): each line holds a piece of every column. Such a run of lines is a table when
three lines or more start a word at the same x after a gap wider than a word space, and no word
of the run covers that x; its cells are then cut at those x, and its rows are the groups of lines
set apart by more than the run's leading (a run without such gaps is one row). Prose lines
rarely leave a wide gap at the same place three times running, so running text stays text; nor
is a column of list markers or of speakers' labels (`Participant B:`) a table's.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from ingest.pdf_words import Word
from ingest.text.hyphenation import LETTER_SPLIT, join_split_words
from ingest.text.whitespace import collapse_spaces

# A gap between two columns is at least this many font sizes wide (a word space is about a quarter).
CELL_GAP_RATIO = 0.9
# Lines of a table start a word at its column's x at least this many times.
MIN_ALIGNED_LINES = 3
# A table has this many lines at least.
MIN_TABLE_LINES = 3
# Lines further apart than this many font sizes are not one table.
MAX_LINE_GAP_RATIO = 3.0
# Lines of one table differ in type size by this much at most (a header row may be set a point smaller).
MAX_SIZE_STEP = 1.0
# A gap between lines this much wider than the run's tightest starts a new row.
ROW_GAP_FACTOR = 1.25
# A gap between columns is at least this many times the line's usual gap between words.
COLUMN_GAP_FACTOR = 2.0
# What a column of list markers holds: bullets, numbers, letters and roman numerals of numbered items.
_LIST_MARKER = re.compile(r"[^\w\s]|\(?(?:\d{1,4}(?:\.\d{1,3})*|[a-zA-Z]|[ivxlc]{1,6})[.)]?")
# A speaker's label opening a turn in a margin holds this many words at most (`Participant B:`).
MAX_LABEL_WORDS = 4
# Positions this close (in points) are one column edge.
EDGE_TOLERANCE = 1.5
# Boxes side by side each hold this many words at least, and this share of the largest one's characters.
BOX_MIN_WORDS = 12
BOX_MIN_SHARE = 0.4
_SENTENCE_END = re.compile(r"[.!?…][”’\"]?(?:\s|$)")


class AlignedRun(NamedTuple):
    """A run of lines aligned in columns: lines[first:end], its rows of cell texts, and the x at which
    each column after the first starts."""

    first: int
    end: int
    rows: list[list[str]]
    edges: list[float]

    @property
    def boxes(self) -> bool:
        """Whether the columns are boxes of prose side by side (a row of quotation cards), not a table:
        every column holds sentences, words enough and a fair share of the characters, where a table's
        first columns hold labels (a theme, a respondent) beside the long cells."""
        columns = [" ".join(cell for cell in column if cell) for column in zip(*self.rows)]
        if len(columns) < 2 or any(len(column.split()) < BOX_MIN_WORDS or not _SENTENCE_END.search(column)
                                   for column in columns):
            return False
        lengths = [len(column) for column in columns]
        return min(lengths) >= BOX_MIN_SHARE * max(lengths)


def aligned_table_runs(lines: Sequence[Sequence[Word]]) -> list[AlignedRun]:
    """The runs of `lines` (one column's lines, top to bottom, each a line's words left to right)
    that are tables without rules, or boxes side by side."""
    runs: list[AlignedRun] = []
    start = 0
    while start < len(lines):
        end = _close_lines_end(lines, start)
        for run in _tables_in(lines, start, end):
            runs.append(_with_box_edges(lines, run, runs[-1].end if runs else 0) if run.boxes else run)
        start = max(end, runs[-1].end if runs else 0)
    return runs


def _with_box_edges(lines: Sequence[Sequence[Word]], run: AlignedRun, floor: int) -> AlignedRun:
    """Boxes side by side with the lines right above and below them that keep to their columns, in
    whatever type: a box's large opening mark above its words, its signature in small type below."""
    first, end = run.first, run.end
    while first > floor and _joins_boxes(lines[first - 1], lines[first], run.edges):
        first -= 1
    while end < len(lines) and _joins_boxes(lines[end], lines[end - 1], run.edges):
        end += 1
    return run if (first, end) == (run.first, run.end) else AlignedRun(first, end, _rows(lines[first:end], run.edges),
                                                                         run.edges)


def _joins_boxes(line: Sequence[Word], beside: Sequence[Word], edges: Sequence[float]) -> bool:
    gap = abs(_top(line) - _top(beside))
    return gap <= MAX_LINE_GAP_RATIO * min(_type_size(line), _type_size(beside)) and all(
        _fits(line, edge) for edge in edges)


def _close_lines_end(lines: Sequence[Sequence[Word]], start: int) -> int:
    """The end of the run of lines from `start` in one type size (each line's largest), each close
    below the one before."""
    end = start + 1
    while end < len(lines):
        previous, line = lines[end - 1], lines[end]
        size = _type_size(line)
        gap = _top(line) - _top(previous)
        if abs(_type_size(previous) - size) > MAX_SIZE_STEP or not 0 < gap <= MAX_LINE_GAP_RATIO * size:
            break
        end += 1
    return end


def _type_size(line: Sequence[Word]) -> float:
    """The line's largest type: a table may set one column smaller (its labels) than another."""
    return max(word.size for word in line)


def _top(line: Sequence[Word]) -> float:
    return min(word.top for word in line)


def _gap_between(previous: Sequence[Word], line: Sequence[Word], edges: Sequence[float]) -> float:
    """How far `line` is below `previous`, measured within the columns both hold text in (the widest
    of those gaps): a column set in smaller type keeps its own, tighter leading, and a line only
    its other columns run on to is no further below than their leading."""
    above, below = _cell_tops(previous, edges), _cell_tops(line, edges)
    shared = [below[column] - above[column] for column in above.keys() & below.keys()]
    return max(shared) if shared else _top(line) - _top(previous)


def _cell_tops(line: Sequence[Word], edges: Sequence[float]) -> dict[int, float]:
    """For each column the line holds text in, the top of its words there."""
    return {column: _top(words) for column, words in enumerate(cut_at_edges(line, edges)) if words}


def _tables_in(lines: Sequence[Sequence[Word]], start: int, end: int) -> list[AlignedRun]:
    """The tables among lines[start:end]: the longest stretches that every column edge fits."""
    if end - start < MIN_TABLE_LINES:
        return []
    edges = _column_edges(lines[start:end])
    if not edges:
        return []
    tables = []
    first = None
    for index in range(start, end + 1):
        fits = index < end and all(_fits(lines[index], edge) for edge in edges)
        if fits and first is None:
            first = index
        elif not fits and first is not None:
            run = lines[first:index]
            if len(run) >= MIN_TABLE_LINES and all(_gap_count(run, edge) >= MIN_ALIGNED_LINES for edge in edges):
                tables.append(AlignedRun(first, index, _rows(run, edges), edges))
            first = None
    return tables


def _column_edges(lines: Sequence[Sequence[Word]]) -> list[float]:
    """The x where several lines start a word after a gap between columns: a column's edge. The
    text after a column of markers alone (numbered paragraphs, line numbers, the bullets of a list
    at any depth) or of speakers' labels is no table's column."""
    starts: Counter[int] = Counter()
    for line in lines:
        for index in _column_gaps(line):
            starts[round(line[index].x0)] += 1
    edges: list[float] = []
    for x, count in sorted(starts.items()):
        if count >= MIN_ALIGNED_LINES and not any(abs(x - edge) <= EDGE_TOLERANCE for edge in edges):
            edge = float(x)
            if sum(_fits(line, edge) for line in lines) >= MIN_TABLE_LINES:
                edges.append(edge)
    return [edge for edge in edges if not (_lists_items(lines, edge) or _labels_turns(lines, edge))]


def _lists_items(lines: Sequence[Sequence[Word]], edge: float) -> bool:
    """Whether the lines opening a column at the edge hold only a list's marker before it."""
    opening = [line for line in lines if _gap_count([line], edge)]
    return all(_LIST_MARKER.fullmatch(word.text) for line in opening for word in line if word.x1 <= edge)


def _labels_turns(lines: Sequence[Sequence[Word]], edge: float) -> bool:
    """Whether the lines opening a column at the edge hold only a speaker's label before it
    (`Participant B:`): an exchange with its labels in a margin, each line of a turn its text."""
    opening = [[word for word in line if word.x1 <= edge] for line in lines if _gap_count([line], edge)]
    return all(is_turn_label(words) for words in opening)


def is_turn_label(words: Sequence[Word]) -> bool:
    """Whether words are a speaker's label opening a turn (`Participant B:`, `Moderator:`): a few
    words ending in a colon."""
    return 0 < len(words) <= MAX_LABEL_WORDS and words[-1].text.endswith(":")


def _column_gaps(line: Sequence[Word]) -> list[int]:
    """Indices of the words that open a column in the line: after a gap wider than a word space,
    and twice as wide as the line's usual gap (justified prose spreads its spaces evenly). The usual
    gap is the lower quartile, not the median: in a table's header (`Theme  Illustrative quotation
    Participant`) most gaps may be columns'."""
    gaps = [word.x0 - previous.x1 for previous, word in pairwise(line)]
    if not gaps:
        return []
    usual = sorted(gaps)[len(gaps) // 4]
    return [index + 1 for index, gap in enumerate(gaps)
            if gap >= CELL_GAP_RATIO * line[index + 1].size and gap >= COLUMN_GAP_FACTOR * usual]


def _fits(line: Sequence[Word], edge: float) -> bool:
    """No word of the line covers the edge, and a word starting right of it leaves a wide gap before it."""
    for previous, word in zip([None, *line], line):
        if word.x0 < edge - EDGE_TOLERANCE and word.x1 > edge + EDGE_TOLERANCE:
            return False
        if word.x0 >= edge - EDGE_TOLERANCE:
            return previous is None or word.x0 - previous.x1 >= CELL_GAP_RATIO * word.size
    return True


def _gap_count(lines: Sequence[Sequence[Word]], edge: float) -> int:
    """How many of the lines open a column at the edge, after a gap between columns."""
    return sum(any(abs(line[index].x0 - edge) <= EDGE_TOLERANCE for index in _column_gaps(line)) for line in lines)


def cut_at_edges(line: Sequence[Word], edges: Sequence[float]) -> list[list[Word]]:
    """A line's words in the columns the edges part, one list per column."""
    bounds = [float("-inf"), *edges, float("inf")]
    return [[word for word in line if left - EDGE_TOLERANCE <= word.x0 < right - EDGE_TOLERANCE]
            for left, right in pairwise(bounds)]


def _rows(lines: Sequence[Sequence[Word]], edges: list[float]) -> list[list[str]]:
    """The run's rows, each a list of its cells' text: lines grouped where the gap above is wider than
    the run's tightest, their words cut at the column edges."""
    gaps = [_gap_between(previous, line, edges) for previous, line in pairwise(lines)]
    tightest = min(gaps)
    groups: list[list[Sequence[Word]]] = [[lines[0]]]
    for gap, line in zip(gaps, lines[1:]):
        if gap > ROW_GAP_FACTOR * tightest:
            groups.append([line])
        else:
            groups[-1].append(line)
    rows = []
    for group in groups:
        parts = [cut_at_edges(line, edges) for line in group]
        rows.append([_cell_text([" ".join(word.text for word in line_parts[column]) for line_parts in parts])
                     for column in range(len(edges) + 1)])
    return rows


def _cell_text(pieces: Sequence[str]) -> str:
    """A cell's lines as one text, with the words its narrow column broke joined again."""
    return collapse_spaces(join_split_words("\n".join(piece for piece in pieces if piece), LETTER_SPLIT))
