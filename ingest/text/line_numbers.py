"""A manuscript's margin line numbers: found and dropped, so only the words remain.

Submitted manuscripts number their lines in the margin. A loader that knows word positions
drops the numbers as a narrow column beside the text (`drop_margin_line_numbers`); in plain text
they survive as bare number lines, as number prefixes on text lines, as runs at a line start
once reflowed, or scattered between the words where a layout re-typeset them. Each form is
dropped only where the numbers count up, so a number in the prose ("18 months") stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from typing import Protocol, TypeVar

# A manuscript carries margin line numbers when this many bare numbers follow one another.
LINE_NUMBER_RUN = 8
# Largest step between two line numbers left among the words (blank lines are numbered too).
MAX_COUNT_STEP = 8

_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_NUMBER_PREFIX = re.compile(r"^((?:\d{1,3} )+)(?=\S)")
_BARE_TOKEN = re.compile(r"(?:(?<=\s)|^)(\d{1,2})(?=[ \n][^\d\s])", re.MULTILINE)
_NUMBER_RUN = re.compile(r"^(?:\d{1,3} ){2,}(?=\S)")


class PlacedWord(Protocol):
    """A word with its position on the page and its font size."""

    @property
    def text(self) -> str: ...
    @property
    def x0(self) -> float: ...
    @property
    def x1(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def size(self) -> float: ...


Word = TypeVar("Word", bound=PlacedWord)

# A column of line numbers beside the text holds at least this many numbers.
MIN_LINE_NUMBERS = 5
# Margin line numbers stand apart from the text by at least this many of their font sizes.
LINE_NUMBER_MARGIN_RATIO = 1.0


def is_line_numbered(lines: list[str]) -> bool:
    """A manuscript with margin line numbers shows long runs of bare consecutive integers."""
    run = best = 0
    previous = None
    for line in lines:
        match = _BARE_NUMBER.match(line)
        if match:
            value = int(match.group(1))
            run = run + 1 if previous is not None and value == previous + 1 else 1
            previous = value
            best = max(best, run)
        elif line.strip():
            previous = None
            run = 0
    return best >= LINE_NUMBER_RUN


def drop_line_numbers(lines: list[str]) -> list[str]:
    """Remove margin line numbers: bare number lines and number prefixes on text lines.

    Prefixes are only stripped when they continue the running line count, so a sentence
    that happens to start with a number keeps it.
    """
    kept: list[str] = []
    last = 0
    for line in lines:
        bare = _BARE_NUMBER.match(line)
        if bare:
            last = int(bare.group(1))
            continue
        prefix = _NUMBER_PREFIX.match(line)
        if prefix:
            numbers = [int(n) for n in prefix.group(1).split()]
            if _continues_count(numbers, last):
                last = numbers[-1]
                line = line[prefix.end():]
        kept.append(line)
    return kept


def _continues_count(numbers: list[int], last: int) -> bool:
    first = numbers[0]
    return _consecutive(numbers) and (last < first <= last + 6 or first <= 3)


def _consecutive(numbers: Sequence[int]) -> bool:
    return all(b == a + 1 for a, b in pairwise(numbers))


def drop_number_runs(line: str) -> str:
    """Drop a run of consecutive integers at a line start ("17 18 19 20 THEME 2"): reflowed line numbers."""
    match = _NUMBER_RUN.match(line)
    if not match:
        return line
    return line[match.end():] if _consecutive([int(n) for n in match.group(0).split()]) else line


def embedded_count(text: str) -> list[re.Match[str]]:
    """The longest run of bare numbers set among the words that counts up with small steps, in reading order.

    Each match's group 1 is one number.
    """
    return _longest_count(list(_BARE_TOKEN.finditer(text)))


def drop_embedded_count(text: str) -> str:
    """Drop line numbers a layout set among the words ("...from 23 the national..."): a long count.

    A manuscript's numbering, re-typeset, leaves bare integers between words that count up
    through the page (skipping the numbers of blank lines); a number in the prose (`18 months`)
    is not part of such a run.
    """
    best = embedded_count(text)
    if len(best) < LINE_NUMBER_RUN:
        return text
    for token in reversed(best):
        text = text[:token.start(1)] + text[token.end(1):]
    return text


def _longest_count(tokens: list[re.Match[str]]) -> list[re.Match[str]]:
    """The longest run of bare numbers counting up with small steps, in reading order."""
    values = [int(token.group(1)) for token in tokens]
    # Longest count through the page: for each number, the longest run ending there.
    length = [1] * len(values)
    previous: list[int | None] = [None] * len(values)
    for j in range(len(values)):
        for i in range(j):
            if 0 < values[j] - values[i] <= MAX_COUNT_STEP and length[i] + 1 > length[j]:
                length[j], previous[j] = length[i] + 1, i
    best: list[re.Match[str]] = []
    index = max(range(len(values)), key=length.__getitem__) if values else None
    while index is not None:
        best.append(tokens[index])
        index = previous[index]
    return best[::-1]


def drop_margin_line_numbers(words: list[Word]) -> list[Word]:
    """Remove a manuscript's line numbers: a narrow, increasing column of integers beside the text.

    The numbers share a left or right edge, and no other word lies outside them.
    """
    numbers = [w for w in words if w.text.isdigit() and len(w.text) <= 3]
    if len(numbers) < MIN_LINE_NUMBERS:
        return words
    for edge in ("x1", "x0"):
        aligned = Counter(round(getattr(w, edge) / 2) for w in numbers)
        position, count = aligned.most_common(1)[0]
        if count < MIN_LINE_NUMBERS:
            continue
        column = [w for w in numbers if round(getattr(w, edge) / 2) == position]
        if _is_line_number_column(column, words):
            margin = set(map(id, column))
            return [w for w in words if id(w) not in margin]
    return words


def _is_line_number_column(column: Sequence[PlacedWord], words: Sequence[PlacedWord]) -> bool:
    """True when `column` stands apart beside all other words and mostly counts upwards."""
    members = set(map(id, column))
    others = [w for w in words if id(w) not in members]
    if not others:
        return False
    margin = LINE_NUMBER_MARGIN_RATIO * max(w.size for w in column)
    in_left_margin = max(w.x1 for w in column) + margin <= min(w.x0 for w in others)
    in_right_margin = min(w.x0 for w in column) - margin >= max(w.x1 for w in others)
    if not (in_left_margin or in_right_margin):
        return False
    values = [int(w.text) for w in sorted(column, key=lambda w: w.top)]
    rising = sum(1 for a, b in pairwise(values) if b > a)
    return rising >= 0.8 * (len(values) - 1)
