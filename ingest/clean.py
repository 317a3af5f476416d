"""Turn a loader's pages into one normalised document text with a map back to pages.

Every offset stored later points into the text this module returns, so it is the one
place that decides what counts as the document's words: extraction markup, manuscript
line numbers, page furniture and cover sheets are dropped; the words are kept exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.layout_marks import (
    locate_marks,
    markdown_marks,
    strip_blockquote,
    text_marks,
    without_quoted_block_marks,
)
from ingest.records import CleanDocument, LayoutMark, RangeMapper, RawDocument, RawPage
from ingest.text.hyphenation import join_split_words
from ingest.text.line_numbers import (
    drop_embedded_count,
    drop_line_numbers,
    drop_number_runs,
    embedded_count,
    is_line_numbered,
)
from ingest.text.paragraphs import LIST_ITEM, paragraphs
from ingest.text.whitespace import tidy

FURNITURE_FILE = Path(__file__).with_name("furniture.yaml")

_TAGS = re.compile(
    r"</?(?:i|b|em|strong|u|sup|sub|p|br|span|div|li|ul|ol|td|tr|th|font)\b[^<>]{0,80}>", re.IGNORECASE
)
_WIKILINK = re.compile(r"\[\[(?:[^\]|\n]+\|)?(?P<shown>[^\]|\n]+)\]\]")
_STARS = re.compile(r"(?<![\s*])\*+|\*+(?=[^\s*])|^\*+$")
_BULLET = re.compile(r"^(\s*[-–•]\s*)[♣★→+▪●◦■✓✔➢►▶\uf0b7\uf0a7](\s+)")
_GLYPH_BULLET = re.compile(r"^(\s*)[♣★→▪●◦■✓✔➢►▶\uf0b7\uf0a7](\s+)")

# Cover-sheet paragraphs are short; only this much of a paragraph is searched for markers.
COVER_PARAGRAPH_CHARS = 2000
# Pages per task when a long document's pages are cleaned on several workers.
CLEAN_PAGES_PER_TASK = 50
# Bare numbers counting up inside one quotation that betray line numbers left in it.
ARTEFACT_COUNT_RUN = 3


@dataclass(frozen=True)
class FurnitureRules:
    """Publisher furniture and cover-sheet markers, read from a data file so users can extend them."""

    lines: tuple[re.Pattern[str], ...]
    cover_markers: tuple[re.Pattern[str], ...]
    cover_min_markers: int
    cover_max_share: float


@lru_cache(maxsize=4)
def load_furniture_rules(path: Path = FURNITURE_FILE) -> FurnitureRules:
    """Read furniture patterns once per process."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return FurnitureRules(
        lines=tuple(re.compile(p, re.IGNORECASE) for p in data["furniture_lines"]),
        cover_markers=tuple(re.compile(p, re.IGNORECASE) for p in data["cover_markers"]),
        cover_min_markers=int(data["cover_min_markers"]),
        cover_max_share=float(data["cover_max_share"]),
    )


def strip_markup(line: str) -> str:
    """Drop markdown emphasis and HTML emphasis tags that text extraction left in, and print a wiki's
    links (`[[P03]]`, `[[people/p03|P03]]`) as the words they show."""
    return _WIKILINK.sub(r"\g<shown>", _STARS.sub("", _TAGS.sub("", line)))


def strip_bullet_glyph(line: str) -> str:
    """Reduce decorative bullet glyphs (♣ ★ → +) to a plain list dash."""
    line = _BULLET.sub(r"\1", line)
    return _GLYPH_BULLET.sub(r"\1- ", line)


def drop_furniture(lines: list[str], rules: FurnitureRules) -> list[str]:
    """Remove running furniture lines such as "For peer review only"."""
    return [line for line in lines if not any(p.match(line.strip()) for p in rules.lines)]


def drop_cover_sheet(text: str, rules: FurnitureRules) -> str:
    """Remove a repository or publisher cover sheet at the start of the document.

    The cover is the run of paragraphs from the start up to the last paragraph holding a
    cover marker, provided markers are dense there and the run stays near the start.
    """
    limit = int(len(text) * rules.cover_max_share) or len(text)
    cover_end = 0
    markers = 0
    gap = 0
    for match in paragraphs(text):
        if match.start() > limit:
            break
        hits = sum(1 for p in rules.cover_markers if p.search(match.group(0)[:COVER_PARAGRAPH_CHARS]))
        if hits:
            markers += hits
            cover_end = match.end()
            gap = 0
        else:
            gap += 1
            if gap > 6 and markers:
                break
    if markers < rules.cover_min_markers:
        return text
    return text[cover_end:]


def furniture_in(text: str, rules: FurnitureRules | None = None) -> str | None:
    """The first piece of page furniture or line numbering inside a passage, or None when it is clean.

    Used to hold extracted quotations to "verbatim or nothing": what the cleaner drops elsewhere
    must not survive inside a quotation.
    """
    rules = rules or load_furniture_rules()
    for pattern in rules.lines:
        found = re.search(pattern.pattern.strip("^$"), text, re.IGNORECASE)
        if found:
            return found.group(0)
    count = embedded_count(text)
    if len(count) >= ARTEFACT_COUNT_RUN:
        return " ".join(token.group(1) for token in count)
    return None


def reflow(text: str) -> str:
    """Join the lines of each paragraph with spaces, as a PDF's layout broke them.

    List items and tab-separated table rows keep their own lines.
    """
    lines = text.split("\n")
    out = lines[:1]
    for line in lines[1:]:
        previous = out[-1]
        if previous and line and "\t" not in previous and "\t" not in line and not LIST_ITEM.match(line):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return "\n".join(out)


def normalise(raw: RawDocument, rules: FurnitureRules | None = None,
              parallel: RangeMapper | None = None) -> CleanDocument:
    """Clean every page and join them into one text, recording where each page starts.

    Paragraphs the layout set off (a loader's marks, or Markdown blockquotes and emphasis)
    become spans of the clean text. With `parallel` (a mapper over worker processes), a long
    document's pages are cleaned in groups on the workers: each page is cleaned alone once the
    document-wide facts (line numbering) are known, so the text does not depend on the grouping.
    """
    rules = rules or load_furniture_rules()
    numbered = is_line_numbered([line for page in raw.pages for line in _newlines(page.text).split("\n")])
    groups = [raw.pages[start:start + CLEAN_PAGES_PER_TASK] for start in range(0, len(raw.pages), CLEAN_PAGES_PER_TASK)]
    args = [(group, numbered, rules, raw.source_format) for group in groups]
    if parallel is not None and len(groups) > 1:
        cleaned = [page for part in parallel(clean_pages, args) for page in part]
    else:
        cleaned = clean_pages(raw.pages, numbered, rules, raw.source_format)
    marks: list[LayoutMark] = []
    offset = 0
    for text, page_marks in cleaned:
        marks.extend(LayoutMark(mark.start + offset, mark.end + offset, mark.kind) for mark in page_marks)
        offset += len(text) + 2
    return _join_pages([text for text, _ in cleaned], [page.number for page in raw.pages], rules, marks)


def clean_pages(pages: Sequence[RawPage], numbered: bool, rules: FurnitureRules,
                source_format: str) -> list[tuple[str, list[LayoutMark]]]:
    """Each page's clean text, and its set-off paragraphs as spans of that text: a unit of work on
    its own, so that the pages of a long document are cleaned in parallel."""
    def clean(text: str) -> str:
        return _clean_page(text.split("\n"), numbered, rules, source_format)

    cleaned = []
    for page in pages:
        raw_text = _newlines(page.text)
        text = clean(raw_text)
        page_marks = _layout_marks(source_format, page)
        cleaned.append((text, locate_marks(raw_text, page_marks, text, clean, 0) if page_marks else []))
    return cleaned


def _layout_marks(source_format: str, page: RawPage) -> tuple[tuple[int, str], ...]:
    """The set-off paragraphs of a page: read from a text's own markup or indentation, else the loader's."""
    if source_format == "markdown":
        return markdown_marks(_newlines(page.text))
    if source_format == "text":
        return text_marks(_newlines(page.text))
    return page.set_off


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean_page(lines: list[str], numbered: bool, rules: FurnitureRules, source_format: str) -> str:
    """One page's lines as clean text: numbers, furniture and markup dropped, words kept."""
    if numbered:
        lines = drop_line_numbers(lines)
    lines = drop_furniture(lines, rules)
    if source_format == "markdown":
        lines = [strip_blockquote(line) for line in lines]
    elif source_format == "text":
        lines = without_quoted_block_marks(lines)
    lines = [drop_number_runs(strip_bullet_glyph(strip_markup(line))) for line in lines]
    text = tidy(join_split_words("\n".join(lines)))
    if source_format == "pdf":
        text = tidy(drop_embedded_count(text))
    return reflow(text) if source_format == "pdf" else text


def _join_pages(texts: list[str], numbers: list[int], rules: FurnitureRules, marks: list[LayoutMark]) -> CleanDocument:
    """Join cleaned pages, dropping a cover sheet first, and keep the page map and marks exact."""
    whole = "\n\n".join(texts)
    without_cover = drop_cover_sheet(whole, rules)
    dropped = len(whole) - len(without_cover)
    stripped = without_cover.lstrip("\n")
    dropped += len(without_cover) - len(stripped)

    starts: list[int] = []
    kept_numbers: list[int] = []
    offset = 0
    for text, number in zip(texts, numbers):
        page_end = offset + len(text)
        if page_end > dropped:
            starts.append(max(offset - dropped, 0))
            kept_numbers.append(number)
        offset = page_end + 2
    kept_marks = tuple(
        LayoutMark(mark.start - dropped, mark.end - dropped, mark.kind) for mark in marks if mark.start >= dropped
    )
    return CleanDocument(text=stripped, page_starts=starts, page_numbers=kept_numbers, set_off=kept_marks)
