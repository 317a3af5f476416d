"""Spaces inside a line, a span or a text: collapsed to one and trimmed.

Loaders keep a tab where it separates table cells, so the per-line helpers take the set of
characters that count as space.
"""

from __future__ import annotations

import re

# Runs of spaces (ordinary and no-break) in text whose tabs separate table cells.
SPACE_RUN = re.compile(r"[ \u00a0]+")
# Runs of every space within a line, for text where a tab is only space (markup).
INLINE_SPACE_RUN = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_RUN = re.compile(r"\n{3,}")


def collapse_spaces(text: str) -> str:
    """Every run of white space (newlines too) as one space, none at either end."""
    return " ".join(text.split())


def squeeze_line(line: str, runs: re.Pattern[str] = SPACE_RUN) -> str:
    """A line with each run of `runs` as one space, trimmed."""
    return runs.sub(" ", line).strip()


def tidy(text: str) -> str:
    """Collapse runs of spaces and blank lines; trim every line (a table row keeps its tabs)."""
    lines = [squeeze_line(line) if "\t" not in line else line.strip() for line in text.split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span `text[start:end]` without white space at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
