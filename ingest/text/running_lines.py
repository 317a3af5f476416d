"""Running headers and footers in a plain text copied from a paged document.

A report saved or copied as text keeps each page's furniture where the page broke: a footer
(`Page 14 of 28`, a bare `17`) and the next page's running header (`Hearing from Carers: Direct
Payments Review 2023`), often in the middle of a quotation that runs over the break. Page numbers
are furniture by their shape; a running header or footer only by recurring: a short line printed
beside two page breaks or more, its page number aside, is the page's furniture there and is left
out. The text's start counts as a break, as the first page has its header too, but the words
printed there (the title on the first line) stay, as do the same words elsewhere (a heading).
"""

from __future__ import annotations

import re
from collections import Counter

# A line that is only a page number: `17`, `- 17 -`, `Page 14`, `Page 14 of 28`.
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\f]*(?:page[ \t]+)?[-–—]?[ \t]*\d{1,4}(?:[ \t]+of[ \t]+\d{1,4})?[ \t]*[-–—]?[ \t]*$", re.IGNORECASE
)
# A page number opening or closing a running line (`17  CO-CURATION IN PRACTICE`, `Working Paper 11 | 17`).
_PAGE_NUMBER_AT_END = re.compile(r"^\d{1,4}(?=\s)|(?<=\s)\d{1,4}$")
# Lines either side of a page break that may be its furniture, not counting blank lines.
REACH = 2
MAX_RUNNING_WORDS = 15
# A running line is printed at this many page breaks (the text's start counting as one) at least.
MIN_BREAKS = 2
# A page holds this many lines of text at least.
MIN_LINES_PER_PAGE = 15


def without_running_lines(text: str) -> str:
    """`text` without the running headers and footers beside its page breaks (a form feed, or a
    line that is only a page number); the breaks and page numbers themselves are kept."""
    lines = text.split("\n")
    beside = [_beside(lines, first, last) for first, last in _page_breaks(lines)]
    first_page = [i for i, line in enumerate(lines) if line.strip(" \t\f")][:REACH]
    placed = {i for near in [first_page, *beside] for i in near}
    breaks_seen = Counter(_key(lines[i]) for i in placed)
    running = {key for key, n in breaks_seen.items() if key and n >= MIN_BREAKS}
    dropped = {i for near in beside for i in near if _key(lines[i]) in running}
    if not dropped:
        return text
    return "\n".join("\f" * lines[i].count("\f") if i in dropped else line for i, line in enumerate(lines))


def _page_breaks(lines: list[str]) -> list[tuple[int, int]]:
    """The first and last line of each page break: lines a form feed opens or that are page numbers,
    one after another (`Page 14 of 28`, then a form feed). Bare numbers closer together than a
    page's lines are a manuscript's line numbers or a list's, no pages' breaks."""
    numbered = [i for i, line in enumerate(lines) if _PAGE_NUMBER_LINE.match(line)]
    written = sum(1 for line in lines if line.strip())
    pages = numbered if len(numbered) * MIN_LINES_PER_PAGE <= written else []
    breaks: list[tuple[int, int]] = []
    for index in sorted({i for i, line in enumerate(lines) if "\f" in line} | set(pages)):
        if breaks and not any(line.strip() for line in lines[breaks[-1][1] + 1:index]):
            breaks[-1] = (breaks[-1][0], index)
        else:
            breaks.append((index, index))
    return breaks


def _beside(lines: list[str], first: int, last: int) -> list[int]:
    """The REACH non-blank lines before and after a page break that are not page numbers; the line
    a form feed opens is the next page's first."""
    after_start = last if "\f" in lines[last] and not _PAGE_NUMBER_LINE.match(lines[last]) else last + 1
    before = [i for i in range(first - 1, -1, -1) if lines[i].strip()][:REACH]
    after = [i for i in range(after_start, len(lines)) if lines[i].strip(" \t\f")][:REACH]
    return [i for i in before + after if not _PAGE_NUMBER_LINE.match(lines[i])]


def _key(line: str) -> str:
    """A line as it recurs from page to page: a page number at either end aside, its spacing collapsed."""
    words = _PAGE_NUMBER_AT_END.sub("#", line.replace("\f", " ").strip()).split()
    return " ".join(words) if len(words) <= MAX_RUNNING_WORDS else ""
