"""Running headers and footers in a plain text copied from a paged document.

A report saved or copied as text keeps each page's furniture where the page broke: a footer
(`Page 14 of 28`, a bare `17`) and the next page's running header (`Hearing from Carers: Direct
Payments Review 2023`), often in the middle of a quotation that runs over the break. Page numbers
are furniture by their shape; a running header or footer only by recurring: a short line printed
beside two page breaks or more, its page number aside, is the page's furniture there and is left
out. The text's start counts as a break, as the first page has its header too, but the words
printed there (the title on the first line) stay, as do the same words elsewhere (a heading).
A running line that carries its page's number (`Evaluation of the Hubs Fund     23`) marks a
break by itself, where such lines recur a page apart with rising numbers; and footnotes printed
at the foot of a page that cuts a paragraph move below the paragraph's end on the next page.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

# A line that is only a page number: `17`, `- 17 -`, `Page 14`, `Page 14 of 28`.
_PAGE_NUMBER_LINE = re.compile(
    r"^[ \t\f]*(?:page[ \t]+)?[-–—]?[ \t]*\d{1,4}(?:[ \t]+of[ \t]+\d{1,4})?[ \t]*[-–—]?[ \t]*$", re.IGNORECASE
)
# A running line carrying its page's number at one end, set apart by a wide space or a bar:
# `Evaluation of the Hubs Fund     23`, `238     JOURNAL OF WORK`, `Page 14 | Year 2 Report`.
_FOLIO_LINE = re.compile(
    r"^[ \t\f]*(?:(?:page[ \t]+)?(?P<first>\d{1,4})(?:[ \t]*[|·•][ \t]*|[ \t]{3,})[^\s\d][^\n]{0,100}"
    r"|[^\s\d][^\n]{0,100}?\S(?:[ \t]*[|·•][ \t]*|[ \t]{3,})(?:page[ \t]+)?(?P<last>\d{1,4}))[ \t]*$",
    re.IGNORECASE,
)
# A footnote at a page's foot, opening with its number in superscript (`¹ See Annex 3.`), and the rule above the notes.
_NOTE_LINE = re.compile(r"^[ \t]*[¹²³⁴⁵⁶⁷⁸⁹⁰]+[ \t]*\S")
_NOTE_RULE = re.compile(r"^[ \t]*[_─—-]{5,}[ \t]*$")
# How a paragraph's last line ends when no page break cut it.
_ENDS_PARAGRAPH = ".!?:"
# A page number that names itself: `Page 14`, `Page 14 of 28`.
_NAMED_PAGE = re.compile(r"^[ \t\f]*page[ \t]+\d", re.IGNORECASE)
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
    line that is only a page number). The page numbers of a break that is surely a page's end are
    left out too, the first becoming a form feed where the text has none there, so that the
    document has its pages and a paragraph the break cut is read whole; other numbers are kept."""
    lines = text.split("\n")
    breaks = _page_breaks(lines)
    beside = [_beside(lines, first, last) for first, last in breaks]
    first_page = [i for i, line in enumerate(lines) if line.strip(" \t\f")][:REACH]
    placed = {i for near in [first_page, *beside] for i in near}
    breaks_seen = Counter(_key(lines[i]) for i in placed)
    running = {key for key, n in breaks_seen.items() if key and n >= MIN_BREAKS}
    dropped = {i for near in beside for i in near if _key(lines[i]) in running}
    page_ends = [(first, last) for (first, last), near in zip(breaks, beside)
                 if _is_page_end(lines[first:last + 1], near, dropped)]
    if not dropped and not page_ends:
        return text
    kept = list(lines)
    for i in dropped:
        kept[i] = "\f" * lines[i].count("\f")
    for first, last in page_ends:
        fed = any("\f" in line for line in lines[first:last + 1])
        numbers = [i for i in range(first, last + 1) if _is_number_line(lines[i])]
        for i in numbers:
            kept[i] = "\f" * lines[i].count("\f") if fed else ("\f" if i == numbers[0] else "")
    for first, last in reversed(page_ends):
        kept = _notes_after_cut_paragraph(kept, first, last)
    return "\n".join(kept)


def _notes_after_cut_paragraph(lines: list[str], first: int, last: int) -> list[str]:
    """The lines with the footnotes printed at a page's foot (`¹ See Annex 3.`, maybe under a rule)
    moved below the paragraph the page break cuts, which runs on at the next page's top: so a
    quotation the break cut reads on without them. Where no paragraph is cut, they stay."""
    above = [i for i in range(first - 1, -1, -1) if lines[i].strip(" \t\f")]
    notes = []
    for i in above:
        if not _NOTE_LINE.match(lines[i]):
            break
        notes.append(i)
    if not notes:
        return lines
    start = notes[-1]
    if start > 0 and _NOTE_RULE.match(lines[start - 1]):
        start -= 1
    cut = next((i for i in range(start - 1, -1, -1) if lines[i].strip(" \t\f")), None)
    if cut is None or lines[cut].rstrip()[-1:] in _ENDS_PARAGRAPH:
        return lines
    after = next((i for i in range(last + 1, len(lines)) if lines[i].strip(" \t\f")), None)
    if after is None:
        return lines
    resumed_end = next((i for i in range(after, len(lines)) if not lines[i].strip(" \t\f")), len(lines))
    moved = lines[start:notes[0] + 1]
    return [*lines[:start], *lines[notes[0] + 1:resumed_end], "", *moved, *lines[resumed_end:]]


def _is_page_end(break_lines: list[str], beside: list[int], dropped: set[int]) -> bool:
    """A break whose page numbers are surely a page's: a form feed is among them, its running lines
    were dropped, or its number says it is a page's (`Page 14`)."""
    return (any("\f" in line for line in break_lines) or bool(dropped.intersection(beside))
            or any(_NAMED_PAGE.match(line) or _FOLIO_LINE.match(line) for line in break_lines))


def _page_breaks(lines: list[str]) -> list[tuple[int, int]]:
    """The first and last line of each page break: lines a form feed opens or that are page numbers,
    one after another (`Page 14 of 28`, then a form feed). Bare numbers closer together than a
    page's lines are a manuscript's line numbers or a list's, no pages' breaks."""
    numbered = [i for i, line in enumerate(lines) if _PAGE_NUMBER_LINE.match(line)]
    written = sum(1 for line in lines if line.strip())
    pages = numbered if len(numbered) * MIN_LINES_PER_PAGE <= written else []
    pages += _folio_lines(lines)
    breaks: list[tuple[int, int]] = []
    for index in sorted({i for i, line in enumerate(lines) if "\f" in line} | set(pages)):
        if breaks and not any(line.strip() for line in lines[breaks[-1][1] + 1:index]):
            breaks[-1] = (breaks[-1][0], index)
        else:
            breaks.append((index, index))
    return breaks


def _is_number_line(line: str) -> bool:
    """A line that is a page's number, alone or in its running line."""
    return bool(_PAGE_NUMBER_LINE.match(line) or _FOLIO_LINE.match(line))


def _folio_lines(lines: list[str]) -> list[int]:
    """Running lines with their page's number (`Evaluation of the Hubs Fund     23`): two at least, their
    numbers rising, a page's lines apart, so that the rows of a table of figures are none."""
    found = [(i, int(match.group("first") or match.group("last"))) for i, line in enumerate(lines)
             if len(line.split()) <= MAX_RUNNING_WORDS and (match := _FOLIO_LINE.match(line))]
    spaced = all(b[0] - a[0] >= MIN_LINES_PER_PAGE and b[1] > a[1] for a, b in pairwise(found))
    return [i for i, _ in found] if len(found) >= MIN_BREAKS and spaced else []


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
