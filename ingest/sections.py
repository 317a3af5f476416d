"""Find a document's headings and build its section tree.

Headings are recognised from the shape of a line, not from any one publisher's layout:
a short paragraph of its own, numbered (`6.3 ...`), ALL CAPS, or a capitalised title
without closing punctuation. Levels come from the printed number where there is one;
otherwise from the standard parts of a paper (`headings.yaml`): subsections sit under
Results, Findings or Discussion until the next standard part.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.records import CleanDocument, Section
from ingest.text.paragraphs import paragraphs
from ingest.text.sentences import SUPERSCRIPT_DIGITS, has_inner_sentence_end
from ingest.text.whitespace import collapse_spaces

HEADINGS_FILE = Path(__file__).with_name("headings.yaml")

MAX_HEADING_CHARS = 130
MAX_HEADING_WORDS = 18
# A multi-level number (`6.3`) or a labelled number (`Criterion 1:`) marks a heading
# strongly enough to allow a long title that ends with a full stop.
MAX_MARKED_HEADING_CHARS = 250
MAX_MARKED_HEADING_WORDS = 40
MAX_HEADING_LINES = 2

_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=\S)")
_CAPTION = re.compile(r"^(?:table|figure|fig\.|box|chart|exhibit|source|note|notes)\s*[\d:.]", re.IGNORECASE)
_OPENERS = tuple("-–—•*(['\"‘’“”«·") + tuple(SUPERSCRIPT_DIGITS + "^")
_DANGLING = re.compile(r"\b(?:the|and|of|to|a|an|in|for|with|on|or|by|at|from)$", re.IGNORECASE)
_LABELLED = re.compile(r"^[A-Z][A-Za-z]+ \d{1,2}[:.]\s+[A-Z]")
_QUOTE_MARKS = "'\"‘’“”"
_TRAILING_NOTE = re.compile(r"(?:[¹²³⁴⁵⁶⁷⁸⁹⁰,]+|\^\{[^}]*\})$")


@dataclass(frozen=True)
class HeadingNames:
    """The standard parts of a paper, by role."""

    opening: frozenset[str]
    top_level: frozenset[str]
    containers: frozenset[str]
    back_matter: frozenset[str]
    listings: frozenset[str]


@dataclass(frozen=True)
class HeadingLine:
    """A paragraph that reads as a heading."""

    char_start: int
    char_end: int
    number: str | None
    title: str
    text: str


@lru_cache(maxsize=4)
def load_heading_names(path: Path = HEADINGS_FILE) -> HeadingNames:
    """Read the standard heading names once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return HeadingNames(**{key: frozenset(data[key]) for key in HeadingNames.__dataclass_fields__})


def name_key(title: str) -> str:
    """Compare headings by their words: case-folded, no number, no closing punctuation."""
    return collapse_spaces(title.strip().rstrip(":.?").strip()).casefold()


def split_number(line: str) -> tuple[str | None, str]:
    """Split a printed section number (`6.3`, `2.`) from the heading title."""
    match = _NUMBERED.match(line)
    if not match:
        return None, line
    return match.group(1), line[match.end():]


def is_all_caps(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    return len(letters) >= 3 and sum(ch.isupper() for ch in letters) / len(letters) > 0.9


def looks_like_heading(paragraph: str) -> tuple[str | None, str] | None:
    """Return (number, title) when a paragraph has the shape of a heading, else None."""
    lines = paragraph.split("\n")
    if len(lines) > MAX_HEADING_LINES:
        return None
    text = _TRAILING_NOTE.sub("", " ".join(line.strip() for line in lines))
    number, title = split_number(text)
    marked = (number is not None and "." in number) or bool(_LABELLED.match(title))
    max_chars, max_words = (
        (MAX_MARKED_HEADING_CHARS, MAX_MARKED_HEADING_WORDS) if marked else (MAX_HEADING_CHARS, MAX_HEADING_WORDS)
    )
    if not 2 <= len(text) <= max_chars or len(text.split()) > max_words:
        return None
    if "\t" in paragraph or "@" in text or "http" in text or "www." in text or "...." in text:
        return None
    if text.startswith(_OPENERS) or _CAPTION.match(text):
        return None
    if marked and title.endswith("."):
        title = title[:-1]
    if not title[:1].isupper() or has_inner_sentence_end(title) or _DANGLING.search(title):
        return None
    caps = is_all_caps(title)
    if title[-1] in ".,;" or (title.endswith(":") and not caps) or title[-1] in _QUOTE_MARKS:
        return None
    if number is None and not caps and len(lines) > 1:
        return None
    return number, title


def _is_table_row(paragraph: str, names: HeadingNames, title: str) -> bool:
    """A label followed by tab-separated rows belongs to a table, unless it names a listing."""
    return "\t" in paragraph.split("\n", 1)[0] and name_key(title) not in names.listings


def find_heading_lines(text: str, names: HeadingNames, turns: Sequence[int] = ()) -> list[HeadingLine]:
    """Every paragraph shaped like a heading that is not the lead-in to a quotation or a speaker's
    turn (`turns`: the sorted offsets where a transcript's turns open; a short turn such as
    `Interviewer: And what changed?` has a heading's shape)."""
    paragraph_matches = list(paragraphs(text))
    found: list[HeadingLine] = []
    for i, match in enumerate(paragraph_matches):
        if _holds_turn(turns, match.start(), match.end()):
            continue
        parts = looks_like_heading(match.group(0))
        if parts is None:
            continue
        following = paragraph_matches[i + 1].group(0) if i + 1 < len(paragraph_matches) else ""
        previous = paragraph_matches[i - 1].group(0).rstrip() if i else ""
        standard = name_key(parts[1]) in names.top_level
        if not following or (following[:1] in _QUOTE_MARKS and not standard):
            continue
        if (following[:1].islower() and not standard) or _is_table_row(following, names, parts[1]):
            continue
        if previous.endswith(":") and not looks_like_heading(previous):
            continue
        number, title = parts
        found.append(HeadingLine(match.start(), match.end(), number, title, collapse_spaces(match.group(0))))
    return found


def _holds_turn(turns: Sequence[int], start: int, end: int) -> bool:
    i = bisect_left(turns, start)
    return i < len(turns) and turns[i] < end


def number_parts(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def follows_numbering(last: tuple[int, ...], number: str) -> bool:
    """A printed number continues the document's numbering: later, and at most one chapter on.

    This keeps numbered paragraphs quoted from other documents (`1.15. We will ...`) out.
    """
    parts = number_parts(number)
    if not last:
        return True
    return parts > last and parts[0] <= last[0] + 1


def select_headings(lines: list[HeadingLine], names: HeadingNames) -> list[tuple[HeadingLine, int]]:
    """Drop front matter and reference-list lines, and give each heading its level."""
    has_opening = any(name_key(line.title) in names.opening for line in lines)
    in_front = has_opening
    in_back = False
    container_level: int | None = None
    numbered_level = 0
    last_number: tuple[int, ...] = ()
    chosen: list[tuple[HeadingLine, int]] = []
    for line in lines:
        key = name_key(line.title)
        standard = key in names.top_level or key.startswith(("appendix", "annex"))
        if in_front and key not in names.opening:
            continue
        if in_back and not standard:
            continue
        if in_back and key in names.opening:
            last_number, numbered_level = (), 0
        in_front = False
        if line.number is not None and not follows_numbering(last_number, line.number):
            continue
        in_back = key in names.back_matter
        if line.number is not None:
            last_number = number_parts(line.number)
            level = len(last_number)
            numbered_level = level
            container_level = None
        elif standard:
            level = 1
            numbered_level = 0
            container_level = 1 if key in names.containers else None
        elif container_level is not None:
            level = container_level + 1
        else:
            level = numbered_level + 1 if numbered_level else 1
        chosen.append((line, level))
    return chosen


def build_sections(doc: CleanDocument, names: HeadingNames | None = None, turns: Sequence[int] = ()) -> list[Section]:
    """The section tree of a document, each section running to the next heading at its level or above.

    `turns` are the sorted offsets where the speaker turns of a transcript open: none of them heads a section.
    """
    names = names or load_heading_names()
    chosen = select_headings(find_heading_lines(doc.text, names, turns), names)
    sections: list[Section] = []
    stack: list[Section] = []
    for ordinal, (line, level) in enumerate(chosen):
        while stack and stack[-1].level >= level:
            stack.pop()
        parent = stack[-1] if stack else None
        end = _section_end(chosen, ordinal, level, len(doc.text))
        section = Section(
            ordinal=ordinal,
            level=level,
            number=line.number,
            heading=line.text,
            parent=parent.ordinal if parent else None,
            path=(*parent.path, line.text) if parent else (line.text,),
            char_start=line.char_start,
            char_end=end,
            page_start=doc.page_at(line.char_start),
            page_end=doc.page_at(max(end - 1, line.char_start)),
        )
        sections.append(section)
        stack.append(section)
    return sections


def _section_end(chosen: list[tuple[HeadingLine, int]], ordinal: int, level: int, text_end: int) -> int:
    for line, other_level in chosen[ordinal + 1:]:
        if other_level <= level:
            return line.char_start
    return text_end


def innermost_section(sections: list[Section], offset: int) -> Section | None:
    """The deepest section whose own text (up to its first subsection or end) holds `offset`."""
    best: Section | None = None
    for section in sections:
        if section.char_start > offset:
            break
        if offset < section.char_end:
            best = section
    return best
