"""Plain records that the ingest stages hand to one another and to the store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

# Runs `fn` over argument tuples, possibly in worker processes, and returns the results in order:
# how the parts of one long document (its page ranges) are worked on in parallel.
RangeMapper = Callable[[Callable[..., Any], Sequence[tuple]], Sequence[Any]]


@dataclass(frozen=True)
class RawPage:
    """The text of one printed page as a loader read it, before cleaning.

    Paragraphs are separated by a blank line; a heading is a paragraph of its own.
    `ocr_confidence` is set when the text was read by OCR, not from a text layer.
    """

    number: int
    text: str
    ocr_confidence: float | None = None
    # Paragraphs (blocks between blank lines) the layout sets off from the body text, by index,
    # with the kind of mark: indented, italic or small type in a PDF.
    set_off: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class LayoutMark:
    """A span of the clean text that the layout set off from the body text, and how."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class RawDocument:
    """What a loader returns: pages of text in reading order."""

    pages: list[RawPage]
    source_format: str


@dataclass(frozen=True)
class CleanDocument:
    """The one normalised text of a document, with a map from offsets back to pages.

    `page_starts[i]` is the offset where page `page_numbers[i]` begins; every offset
    stored later points into `text`.
    """

    text: str
    page_starts: list[int]
    page_numbers: list[int]
    set_off: tuple[LayoutMark, ...] = ()

    def page_at(self, offset: int) -> int:
        """The printed page holding the character at `offset`."""
        from bisect import bisect_right

        i = bisect_right(self.page_starts, offset) - 1
        return self.page_numbers[max(i, 0)] if self.page_numbers else 1


@dataclass(frozen=True)
class Section:
    """A heading and the text it governs, up to the next heading of the same or a higher level."""

    ordinal: int
    level: int
    number: str | None
    heading: str
    parent: int | None
    path: tuple[str, ...]
    char_start: int
    char_end: int
    page_start: int
    page_end: int


@dataclass(frozen=True)
class Passage:
    """A sentence-aligned chunk inside one section, short enough for the embedding model."""

    ordinal: int
    section: int | None
    text: str
    page: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Attribution:
    """A printed attribution parsed into a canonical respondent code and its facets."""

    raw: str
    code: str | None
    scheme: str | None
    source_kind: str
    facets: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Quote:
    """One verbatim quotation, located exactly in the normalised text."""

    ordinal: int
    text: str
    char_start: int
    char_end: int
    attribution: Attribution | None
    inline: bool
    lead_in_role: str | None
    section: int | None = None
    page: int = 1


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in the normalised text.

    `aliases` are the names the document printed for the entity in its own definitions
    (long form and acronym); `source` is where the entity came from: gazetteer, acronym,
    pattern or ner.
    """

    canonical: str
    label: str
    surface: str
    char_start: int
    char_end: int
    aliases: tuple[str, ...] = ()
    source: str = "gazetteer"


@dataclass(frozen=True)
class ParsedDocument:
    """Everything ingest learns from one file: plain records, ready to store."""

    clean: CleanDocument
    n_pages: int
    source_format: str
    sections: list[Section]
    passages: list[Passage]
    quotes: list[Quote]
    mentions: list[Mention]
    timings: dict[str, float] = field(default_factory=dict)
    # What the document turned out to be when its content says so ("transcript"), else None.
    kind: str | None = None
    # Printed page number -> mean word confidence, for the pages read by OCR.
    ocr_confidence: dict[int, float] = field(default_factory=dict)
