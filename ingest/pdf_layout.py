"""Read a PDF into printed pages of text in reading order, from word positions.

A plain text dump of a PDF follows the content stream: it interleaves the two
columns of a journal page, keeps running headers, footers and margin line numbers
as if they were prose, and leaves words split at line ends. This loader rebuilds
the page from pdfplumber's words instead: it finds the column gutter of each page,
drops furniture by position and repetition, repairs line-end hyphenation and
separates paragraphs and headings, so that later stages see the words a reader sees.
"""

from __future__ import annotations

import bisect
import pickle
import re
import statistics
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import pairwise, starmap
from pathlib import Path
from typing import NamedTuple

import pdfplumber
import pypdfium2
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import LIT
from pdfplumber.utils.exceptions import PdfminerException

from ingest import pdf_ascii85
from ingest.collector import collector_paused
from ingest.errors import DocumentError, ResourceLimitExceeded
from ingest.limits import ResourceLimits, guard_pdf_parser
from ingest.notes import with_notes
from ingest.pdf_aligned_tables import AlignedRun, aligned_table_runs, cut_at_edges, is_turn_label
from ingest.pdf_chars import PdfiumPage, read_page, table_cells
from ingest.pdf_readers import DEFAULT_PDF_READER, PDF_READERS
from ingest.pdf_words import Word, extract_words, font_style, readable_glyphs
from ingest.records import RangeMapper, RawDocument, RawPage
from ingest.text.hyphenation import LETTER_SPLIT, Spelling, join_split_words, repair_document_hyphenation
from ingest.text.line_numbers import drop_margin_line_numbers
from ingest.text.marks import OPENING_MARKS
from ingest.text.sentences import SUPERSCRIPT_DIGITS
from ingest.text.whitespace import collapse_spaces

# A long PDF is read in ranges of this many pages when ranges can run in parallel, the last few
# ranges smaller, down to the minimum.
PAGES_PER_RANGE = 25
MIN_PAGES_PER_RANGE = 5
LITERAL_FORM = LIT("Form")

pdf_ascii85.use_in_pdf_parser()


class PdfError(DocumentError):
    """A PDF could not be turned into text; the message says why in one sentence."""


class PdfEncrypted(PdfError):
    """The PDF is encrypted and no (or a wrong) password was given."""


class PdfNoTextLayer(PdfError):
    """The PDF holds only images of pages; reading it would need OCR."""


class PdfUnreadable(PdfError):
    """The file is not a readable PDF: truncated, damaged or not a PDF at all."""


class PageLimitExceeded(PdfError, ValueError):
    """The PDF has more pages than the caller allowed."""

    def __init__(self, path: Path, n_pages: int, max_pages: int) -> None:
        super().__init__(f"{path} has {n_pages} pages, more than the limit of {max_pages}")
        self.n_pages = n_pages
        self.max_pages = max_pages


# Words closer than this fraction of the font size are one word (TeX-style PDFs
# draw no space glyphs, so the gap is all there is).
WORD_GAP_RATIO = 0.15
# A line whose first word lies further than this (in font sizes) from the line
# before is indented: a block quotation, a list item or a new paragraph.
INDENT_RATIO = 0.8
# A gap between lines this much larger than the page's usual leading starts a paragraph.
PARAGRAPH_LEADING_FACTOR = 1.25
# Where the type turns italic or upright between lines, a smaller gap does.
STYLE_CHANGE_LEADING_FACTOR = 1.1
# Lines that run on (reach the column's right edge) needed to measure the leading from them alone.
MIN_RUN_ON_PAIRS = 3
# Lines in this top/bottom share of the page may be running headers or footers.
MARGIN_ZONE = 0.12
# and they are among the first or last this many lines of the page.
MARGIN_LINES = 3
# A header or footer repeats on at least this share of pages (and on two at least).
FURNITURE_MIN_SHARE = 0.3
# A later page's margin line made of words of the first page's first lines (its title block), at
# least this many and this share of its own, is a running head, repeated or not.
TITLE_BLOCK_LINES = 12
MIN_HEAD_WORDS = 3
HEAD_WORDS_SHARE = 0.7
# Documents of this many pages at most are too short to show a running head by its repeating.
MAX_PAGES_UNREPEATED = 4
# At a column gutter at most this share of a page's lines (page-wide ones) cross it,
GUTTER_MAX_CROSSING_SHARE = 0.5
# and at least this share of lines have text on each side of it.
GUTTER_MIN_SIDE_SHARE = 0.1
# Smallest gutter between two columns, in font sizes of the body text.
GUTTER_MIN_RATIO = 1.2
# Each column holds at least this share of the characters beside the gutter; a narrow column beside
# prose (a sidebar of quotations) may hold less, down to the second share.
GUTTER_MIN_TEXT_SHARE = 0.15
SIDEBAR_MIN_TEXT_SHARE = 0.02
# Words most lines of a sidebar hold: it is prose, not a column of figures.
SIDEBAR_LINE_WORDS = 3
# Lines with text on both sides of a gutter that make the body beside a sidebar a table's columns.
MIN_SHARED_LINES = 3
# Lines a run of a column's or a sidebar's lines holds at least.
COLUMN_RUN_LINES = 3
# A line starting this share of the column's width right of the next line's start is set alone at
# the right (a signature aligned right), not a paragraph's first line.
SET_RIGHT_SHARE = 0.4
# A heading is short; a longer bold line is emphasised prose.
HEADING_MAX_WORDS = 20
# A run-in label (`Gail:`, `Senior nurse:`) is a few words in bold or italic before a colon.
RUN_IN_LABEL_MAX_WORDS = 4
# What ends a sentence at a line's end, maybe inside its closing mark.
SENTENCE_ENDS = ".?!…”’\""
# An attribution such as "(EHCH, Senior Manager 14, CCG)" is a few words in brackets.
ATTRIBUTION_MAX_WORDS = 12
# A block quotation's indent against the column's left edge, in body-text ems, and how much
# smaller than the body its type must be to read as set off.
SET_OFF_INDENT = 1.5
# A block indented on both sides, narrower than the column at either edge, needs less on each.
SET_OFF_BOTH_SIDES = 1.0
# A pull quote's type is at least this many times the body's, and it holds this many words at least.
PULL_QUOTE_SIZE_RATIO = 1.3
MIN_PULL_QUOTE_WORDS = 6
SMALLER_TYPE = 0.75
# Lines of one footnote block differ in size by at most this (a note's wrapped lines, the notes of a page).
NOTE_SIZE_SPREAD = 0.5
# A footnote's marker: a symbol, or a short word (a number, a letter) set smaller than the note, as a superscript.
NOTE_SYMBOLS = "*†‡§¶"
NOTE_MARKER_MAX_CHARS = 3
# A ruled box of one column whose rows hold this many words on average is a text box of running
# prose (a boxed quotation, a call-out), not a table.
TEXT_BOX_MIN_ROW_WORDS = 6

# What pdfminer raises on a damaged content stream, besides its own exceptions.
_PARSE_FAILURES = (PdfminerException, PSException, ValueError, KeyError, TypeError, IndexError, AssertionError)

_DIGITS = re.compile(r"\d+")
_KEY_WORD = re.compile(r"[^\W\d_]{2,}")
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_URL_PIECE = re.compile(r"[/=&%_#]|\.[a-z]{2,4}\b")


@dataclass(slots=True)
class _Line:
    """Words that share a baseline, left to right; after column splitting, one column's part.

    Its top is that of its words in the line's own type size: a note call raised above it, set
    smaller, does not lift the line and so widen the gap to the line above."""

    words: list[Word]
    column: int | None = None
    table_text: str | None = None
    x0: float = field(init=False)
    x1: float = field(init=False)
    top: float = field(init=False)
    bottom: float = field(init=False)
    size: float = field(init=False)
    bold: bool = field(init=False)
    italic: bool = field(init=False)

    def __post_init__(self) -> None:
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        self.size, self.bold, self.italic = _dominant_style(self.words)
        self.top = min(w.top for w in self.words if w.size > self.size - SMALLER_TYPE)

    @property
    def text(self) -> str:
        return self.table_text if self.table_text is not None else _join_words(self.words)


class _LaidOutPage(NamedTuple):
    """One page's text in reading order, the paragraphs its layout sets off, and its footnotes."""

    text: str
    set_off: tuple[tuple[int, str], ...]
    notes: tuple[str, ...]


@dataclass(slots=True)
class PageWords:
    """What one page yields before document-wide decisions: its lines and size."""

    number: int
    width: float
    height: float
    lines: list[_Line]
    tables: list[_Line]

    def __reduce__(self) -> tuple:
        """Pages travel between processes by pickle (read on one worker, laid out on another), as
        plain tuples: a named tuple per word pickles and unpickles through Python calls, several
        times slower (a 300-page PDF's words took 0.3 s to pickle and 0.4 s to unpickle that way)."""
        return _restored_page, (self.number, self.width, self.height, _packed(self.lines), _packed(self.tables))


_LINE_STATE = ("column", "table_text", "x0", "x1", "top", "bottom", "size", "bold", "italic")


def _packed(lines: Sequence[_Line]) -> list[tuple]:
    """Each line as a plain tuple: its words as plain tuples, then its `_LINE_STATE`."""
    return [(list(map(tuple, line.words)), *(getattr(line, name) for name in _LINE_STATE)) for line in lines]


def _unpacked(packed: Sequence[tuple]) -> list[_Line]:
    """The lines `_packed` gave, their measures set as they were rather than measured again."""
    lines = []
    for words, *state in packed:
        line = _Line.__new__(_Line)
        line.words = list(starmap(Word, words))
        for name, value in zip(_LINE_STATE, state, strict=True):
            setattr(line, name, value)
        lines.append(line)
    return lines


def _restored_page(number: int, width: float, height: float, lines: list[tuple], tables: list[tuple]) -> PageWords:
    return PageWords(number, width, height, _unpacked(lines), _unpacked(tables))


def page_count(path: Path, *, password: str | None = None) -> int:
    """Number of pages, read from the page tree without parsing any page content."""
    path = Path(path)
    with _opened(path, password=password) as pdf:
        return len(_page_objects(pdf, path))


def load_pdf(path: Path, *, password: str | None = None, max_pages: int | None = None,
             limits: ResourceLimits | None = None, reader: str = DEFAULT_PDF_READER,
             map_ranges: RangeMapper | None = None) -> RawDocument:
    """Read every printed page of the PDF at `path` as text in reading order.

    `reader` names where characters come from: pdfium (fast, the default) or pdfplumber
    (the reference). `map_ranges`, when given, reads the pages of a long PDF as ranges in
    parallel; the document-wide decisions (body size, running headers) are taken once on the
    joined pages and the ranges laid out with them in parallel again, and hyphenation is repaired
    on the whole, so the result does not depend on how the pages were split.

    Raises a `PdfError` subclass when the file is encrypted, has no text layer,
    is damaged, or has more than `max_pages` pages, and ResourceLimitExceeded past `limits`.
    """
    path = Path(path)
    limits = limits or ResourceLimits()
    if reader not in PDF_READERS:
        raise ValueError(f"unknown PDF reader {reader!r}; choose one of {', '.join(PDF_READERS)}")
    guard_pdf_parser(limits)
    with _opened(path, password=password) as pdf:
        page_objects = _page_objects(pdf, path)
        if max_pages is not None and len(page_objects) > max_pages:
            raise PageLimitExceeded(path, len(page_objects), max_pages)
        if reader == "pdfplumber":
            pages = [_read_page_words(page, number) for number, page in enumerate(page_objects, 1)]
        else:
            for number, page in enumerate(page_objects, 1):
                _inflate_streams(page, number)
        encrypted = pdf.doc.encryption is not None
    ranges = _page_ranges(len(page_objects), map_ranges)
    parallel = map_ranges if len(ranges) > 1 else None
    if reader != "pdfplumber" and parallel is not None:
        read = parallel(read_range_pickled, [(path, password, numbers, limits) for numbers in ranges])
        if not any(part.facts.has_text for part in read):
            raise _no_text(path, encrypted)
        decisions = _decisions([part.facts for part in read])
        parts = parallel(lay_out_pickled_range, [(part.pages, *decisions) for part in read])
        return RawDocument(pages=_joined(parts, [number for numbers in ranges for number in numbers]),
                           source_format="pdf")
    if reader != "pdfplumber":
        pages = read_page_range(path, password, range(1, len(page_objects) + 1), limits)
    if not _page_facts(pages).has_text:
        raise _no_text(path, encrypted)
    return RawDocument(pages=lay_out_pages(pages, ranges, parallel), source_format="pdf")


def _no_text(path: Path, encrypted: bool) -> PdfError:
    if encrypted:
        return PdfEncrypted(f"{path} is encrypted and no text could be decrypted from it; check the password")
    return PdfNoTextLayer(f"{path} has no text layer; OCR is not enabled")


def lay_out_pages(pages: Sequence[PageWords], ranges: Sequence[range] = (),
                  parallel: RangeMapper | None = None) -> list[RawPage]:
    """The pages' text in reading order, after the steps that look at all of them at once: the body
    text's size, running headers and footers, and words split by a hyphen across lines and pages.

    Pages read by OCR go through here too, so a scanned page is laid out as a text layer would be.
    With `parallel`, the `ranges` are laid out on the workers once the document-wide decisions are
    taken, so a long PDF keeps every worker busy."""
    decisions = _decisions([_page_facts(pages)])
    if parallel and len(ranges) > 1:
        args = [(pages[numbers.start - 1 : numbers.stop - 1], *decisions) for numbers in ranges]
        parts = parallel(lay_out_range, args)
    else:
        parts = [lay_out_range(pages, *decisions)]
    return _joined(parts, [page.number for page in pages])


def _joined(parts: Sequence[tuple[list[_LaidOutPage], Spelling]], numbers: Sequence[int]) -> list[RawPage]:
    """The laid-out ranges as one document's pages: the footnotes after the last page's body, and
    words split by a hyphen across lines and pages joined by the whole document's spelling."""
    laid_out = [page for part, _ in parts for page in part]
    texts = [page.text for page in laid_out]
    if texts:
        texts[-1] = with_notes(texts[-1], [note for page in laid_out for note in page.notes])
    texts = repair_document_hyphenation(texts, Spelling.joined(s for _, s in parts))
    return [RawPage(number=number, text=text, set_off=laid.set_off)
            for number, text, laid in zip(numbers, texts, laid_out)]


def read_range_pickled(path: Path, password: str | None, numbers: range, limits: ResourceLimits) -> _ReadRange:
    """Pages `numbers` read, with the facts the document-wide decisions need: a unit of work on its
    own, so that a long PDF's ranges are read in parallel. The pages come back pickled, to be
    unpickled by the worker that lays them out: the parent needs only the facts."""
    pages = read_page_range(path, password, numbers, limits)
    with collector_paused():
        return _ReadRange(_page_facts(pages), pickle.dumps(pages, pickle.HIGHEST_PROTOCOL))


def lay_out_pickled_range(pages: bytes, furniture: frozenset[str],
                          body_size: float) -> tuple[list[_LaidOutPage], Spelling]:
    """`lay_out_range` of pages `read_range_pickled` read."""
    with collector_paused():
        unpickled = pickle.loads(pages)
    return lay_out_range(unpickled, furniture, body_size)


def lay_out_range(pages: Sequence[PageWords], furniture: frozenset[str],
                  body_size: float) -> tuple[list[_LaidOutPage], Spelling]:
    """Each page laid out, once the document-wide furniture and body size are known, and the pages'
    spelling, which decides the hyphens at line ends: a unit of work on its own, so that the pages
    of a long PDF are laid out in parallel too."""
    laid_out = [_page_text(page, furniture, body_size) for page in pages]
    return laid_out, Spelling.of(text for page in laid_out for text in (page.text, *page.notes))


def _page_ranges(n_pages: int, map_ranges: RangeMapper | None) -> list[range]:
    """Consecutive page numbers in ranges of `PAGES_PER_RANGE`, the last ones shrinking to a quarter
    of the pages left (one range without a mapper): workers take ranges as they come free, and
    with the short ones last they end together. A range of full size takes about 0.3 s to read, and
    on a 300-page PDF the last of them kept one of two workers waiting for most of that."""
    if map_ranges is None or n_pages < 2 * PAGES_PER_RANGE:
        return [range(1, n_pages + 1)] if n_pages else []
    ranges: list[range] = []
    start = 1
    while start <= n_pages:
        left = n_pages - start + 1
        size = min(left, max(MIN_PAGES_PER_RANGE, min(PAGES_PER_RANGE, left // 4)))
        ranges.append(range(start, start + size))
        start += size
    return ranges


def read_page_range(path: Path, password: str | None, numbers: range, limits: ResourceLimits) -> list[PageWords]:
    """The words of pages `numbers` (1-based), read by pdfium; a page pdfium cannot describe
    exactly as pdfplumber would (see `ingest.pdf_chars`), or every page of a file pdfium will not
    open though pdfplumber did, is read by pdfplumber.

    A unit of work on its own: it opens the file itself, so ranges can be read in other processes.
    """
    guard_pdf_parser(limits)
    try:
        document = pypdfium2.PdfDocument(str(path), password=password)
    except pypdfium2.PdfiumError:
        document = None
    fallback: pdfplumber.PDF | None = None
    try:
        pages = []
        for number in numbers:
            with collector_paused():  # a page's characters are thousands of lists, freed together
                chars = _pdfium_page(document, number, limits) if document is not None else None
                if chars is not None and chars.exact:
                    pages.append(page_words(chars, number))
                    continue
            fallback = fallback or _open(path, password=password)
            pages.append(_read_page_words(_page_objects(fallback, path)[number - 1], number))
        return pages
    finally:
        if fallback is not None:
            with suppress(Exception):
                fallback.close()
        if document is not None:
            document.close()


def _pdfium_page(document: pypdfium2.PdfDocument, number: int, limits: ResourceLimits) -> PdfiumPage:
    page = document[number - 1]
    try:
        return read_page(page, number, limits)
    finally:
        page.close()


def page_words(page: PdfiumPage, number: int) -> PageWords:
    """Words and ruled tables of a page read by pdfium (or OCR), grouped as `_read_page_words` groups them."""
    tables = _find_tables(page)
    return _grouped_page(number, page.width, page.height, extract_words(page.glyphs, WORD_GAP_RATIO), tables)


def _inflate_streams(page: pdfplumber.page.Page, number: int) -> None:
    """Decompress the page's content streams (and its forms') under the resource limits, without
    interpreting them: pdfium has no limits of its own, so a stream bomb must fail here first."""
    try:
        _inflate(page.page_obj.contents, page.page_obj.resources, set())
    except PdfminerException as error:
        _raise_limit(error)
        raise PdfUnreadable(f"page {number} cannot be parsed (the file is damaged): {error}") from error
    except ResourceLimitExceeded:
        raise
    except (*_PARSE_FAILURES, RecursionError) as error:
        raise PdfUnreadable(f"page {number} cannot be parsed (the file is damaged): {error}") from error


def _inflate(contents: Sequence, resources: object, seen: set[int]) -> None:
    for stream in contents:
        stream = resolve1(stream)
        if isinstance(stream, PDFStream):
            stream.get_data()
    xobjects = resolve1((resolve1(resources) or {}).get("XObject")) if isinstance(resolve1(resources), dict) else None
    for ref in (xobjects or {}).values():
        form = resolve1(ref)
        if not isinstance(form, PDFStream) or id(form) in seen or resolve1(form.get("Subtype")) != LITERAL_FORM:
            continue
        seen.add(id(form))
        _inflate([form], form.get("Resources"), seen)


@contextmanager
def _opened(path: Path, *, password: str | None) -> Iterator[pdfplumber.PDF]:
    """The open PDF; closing it after a failure must not hide that failure behind a second one
    (pdfplumber's close walks the page tree again)."""
    pdf = _open(path, password=password)
    try:
        yield pdf
    except BaseException:
        with suppress(Exception):
            pdf.close()
        raise
    pdf.close()


def _open(path: Path, *, password: str | None) -> pdfplumber.PDF:
    """Open with pdfplumber, turning pdfminer's failures into our exceptions."""
    try:
        return pdfplumber.open(path, password=password or "")
    except PdfminerException as error:
        raise _translate(path, error.args[0] if error.args else error) from error


def _page_objects(pdf: pdfplumber.PDF, path: Path) -> list[pdfplumber.page.Page]:
    """The page tree, read without parsing any page's content."""
    try:
        return pdf.pages
    except PdfminerException as error:
        _raise_limit(error)
        raise PdfUnreadable(f"{path} has a damaged page tree: {error}") from error
    except (*_PARSE_FAILURES, RecursionError) as error:
        raise PdfUnreadable(f"{path} has a damaged page tree: {error or type(error).__name__}") from error


def _raise_limit(error: PdfminerException) -> None:
    """pdfplumber wraps whatever the parser raised; a resource limit is reported as itself."""
    cause = error.args[0] if error.args else None
    if isinstance(cause, ResourceLimitExceeded):
        raise cause from None


def _translate(path: Path, cause: object) -> PdfError | ResourceLimitExceeded:
    """One clear sentence for the pdfminer exception `cause`."""
    if isinstance(cause, PDFPasswordIncorrect):
        return PdfEncrypted(f"{path} is encrypted and the password is missing or wrong")
    if isinstance(cause, PDFEncryptionError):
        return PdfEncrypted(f"{path} uses an encryption this reader does not support: {cause}")
    if isinstance(cause, ResourceLimitExceeded):
        return cause
    return PdfUnreadable(f"{path} is not a readable PDF (truncated or damaged): {cause}")


def _read_page_words(page: pdfplumber.page.Page, number: int) -> PageWords:
    """Words of one page grouped into lines, with ruled tables taken out as blocks."""
    try:
        tables = _find_tables(page)
        raw_words = page.extract_words(
            extra_attrs=["fontname", "size"], x_tolerance_ratio=WORD_GAP_RATIO, keep_blank_chars=False
        )
    except PdfminerException as error:
        _raise_limit(error)
        raise PdfUnreadable(f"page {number} cannot be parsed (the file is damaged): {error}") from error
    except (*_PARSE_FAILURES, RecursionError) as error:
        raise PdfUnreadable(f"page {number} cannot be parsed (the file is damaged): {error}") from error
    finally:
        page.close()
    return _grouped_page(number, float(page.width), float(page.height), _page_words(raw_words), tables)


def _grouped_page(number: int, width: float, height: float, words: list[Word],
                  tables: Sequence[_RuledTable]) -> PageWords:
    table_lines = [_table_line(table) for table in tables]
    boxes = [table.bbox for table in tables]
    if boxes:
        words = [word for word in words if not _inside_any(word, boxes)]
    words = drop_margin_line_numbers(words)
    return PageWords(
        number=number,
        width=width,
        height=height,
        lines=_group_lines(words),
        tables=[line for line in table_lines if line is not None],
    )


@dataclass(frozen=True)
class _RuledTable:
    """A ruled table: where it lies on the page, and its cells' text row by row (read once: reading
    the cells is the costly part of finding a table)."""

    bbox: tuple[float, float, float, float]
    rows: list[list[str | None]]


def _find_tables(page: pdfplumber.page.Page | PdfiumPage) -> list[_RuledTable]:
    """Ruled tables only: a page without drawn lines has none, and skips the search.

    A ruled box holding one column of running prose is a text box: its words stay in the page's
    lines, so its paragraphs and quotation marks are read like the body's.
    """
    if len(page.lines) + len(page.rects) < 4:
        return []
    found = []
    for table in page.find_tables():
        if len(table.rows) < 2:
            continue
        rows = table_cells(table) if isinstance(page, PdfiumPage) else table.extract()
        if not _is_text_box(rows):
            found.append(_RuledTable(tuple(table.bbox), rows))
    return found


def _is_text_box(rows: list[list[str | None]]) -> bool:
    """One column (at most one filled cell per row) of rows long enough to be prose."""
    cells = [[cell for cell in row if cell and cell.strip()] for row in rows]
    if any(len(filled) > 1 for filled in cells):
        return False
    filled_rows = [filled[0] for filled in cells if filled]
    words = sum(len(cell.split()) for cell in filled_rows)
    return bool(filled_rows) and words >= TEXT_BOX_MIN_ROW_WORDS * len(filled_rows)


def _table_line(table: _RuledTable) -> _Line | None:
    """A table as one block whose text is its rows, cells separated by tabs."""
    text_rows = ["\t".join(_cell_text(cell) for cell in row) for row in table.rows]
    text_rows = [row for row in text_rows if row.strip()]
    if not text_rows:
        return None
    x0, top, x1, bottom = table.bbox
    corners = [Word("", x0, x1, top, bottom, 0.0, False, False)]
    return _Line(words=corners, table_text="\n".join(text_rows))


def _cell_text(cell: str | None) -> str:
    """A table cell on one line, with words that the narrow cell broke joined again."""
    return collapse_spaces(join_split_words(cell or "", LETTER_SPLIT))


def _page_words(raw_words: Sequence[dict]) -> list[Word]:
    """pdfplumber's upright words as the layout's, with style flags from the font name."""
    words = []
    for raw in raw_words:
        if not raw.get("upright", True):
            continue
        bold, italic = font_style(raw["fontname"])
        words.append(Word(readable_glyphs(raw["text"]), raw["x0"], raw["x1"], raw["top"], raw["bottom"],
                          round(raw["size"], 1), bold, italic))
    return words


def _inside_any(word: Word, boxes: Sequence[tuple]) -> bool:
    x = (word.x0 + word.x1) / 2
    y = (word.top + word.bottom) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _group_lines(words: list[Word]) -> list[_Line]:
    """Cluster words into physical lines by their vertical middle, top to bottom.

    A line sits where its first word does, unless that word is a note call raised above it (short,
    and in type smaller than the words that join it): then where the first of those sits, so a
    paragraph's number set smaller beside the line still joins it."""
    ordered = sorted(words, key=lambda w: (w.top + w.bottom) / 2)
    lines: list[list[Word]] = []
    anchor: Word | None = None
    for word in ordered:
        middle = (word.top + word.bottom) / 2
        if anchor is not None and middle - (anchor.top + anchor.bottom) / 2 <= 0.45 * word.size:
            lines[-1].append(word)
            if _is_call_beside(anchor, word):
                anchor = word
        else:
            lines.append([word])
            anchor = word
    return [_Line(words=sorted(line, key=lambda w: w.x0)) for line in _with_raised_calls(lines)]


def _is_call_beside(call: Word, word: Word) -> bool:
    """Whether `call` may be a note's call raised beside `word`: a number or mark of a few characters
    set smaller, but not so much smaller that `word` is display type (a drop cap, a watermark)."""
    return len(call.text) <= NOTE_MARKER_MAX_CHARS and call.size + SMALLER_TYPE <= word.size <= 2 * call.size


def _with_raised_calls(lines: list[list[Word]]) -> list[list[Word]]:
    """The lines with each note call raised above its line (`...learners”.¹²` set as a superscript,
    its middle too high to share the line's) put back into the line below it that it overlaps, so the
    call does not stand as a line of its own between two lines of a sentence."""
    merged: list[list[Word]] = []
    for index, line in enumerate(lines):
        below = lines[index + 1] if index + 1 < len(lines) else None
        raised = (below is not None and all(len(word.text) <= NOTE_MARKER_MAX_CHARS for word in line)
                  and max(word.size for word in line) <= min(word.size for word in below) - SMALLER_TYPE
                  and max(word.bottom for word in line) > min(word.top for word in below))
        if raised and below is not None:
            below.extend(line)
        else:
            merged.append(line)
    return merged


def _join_words(words: Sequence[Word]) -> str:
    """Words of one line as text: a space where there is a gap, none where a font changed mid-word."""
    parts = [words[0].text]
    for previous, word in pairwise(words):
        if word.x0 - previous.x1 > WORD_GAP_RATIO * word.size:
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def _dominant_style(words: Sequence[Word]) -> tuple[float, bool, bool]:
    """The size most of the line's characters have, and whether most are bold, or italic."""
    first = words[0]
    style = (first.size, first.bold, first.italic)
    if first.text and all((word.size, word.bold, word.italic) == style for word in words):
        return style  # a line in one typeface, as most are
    sizes: Counter[float] = Counter()
    bold = italic = total = 0
    for word in words:
        length = len(word.text)
        sizes[word.size] += length
        total += length
        bold += length if word.bold else 0
        italic += length if word.italic else 0
    return sizes.most_common(1)[0][0], bold * 2 > total, italic * 2 > total


def _furniture_key(line: _Line) -> str:
    """A line's text with numbers blanked, so 'Page 3' and 'Page 4' are one header."""
    return _DIGITS.sub("#", " ".join(line.text.lower().split()))


def _margin_candidates(page: PageWords) -> list[_Line]:
    """The first and last lines of a page (MARGIN_LINES each), when they sit near its top or bottom edge.

    A running footer may be three lines (a date, the authors, the page number), each its own line.
    """
    ends = page.lines[:MARGIN_LINES] + page.lines[-MARGIN_LINES:]
    return [
        line for line in ends if line.bottom <= page.height * MARGIN_ZONE or line.top >= page.height * (1 - MARGIN_ZONE)
    ]


@dataclass(frozen=True)
class _PageFacts:
    """What the document-wide decisions read from some pages: characters per type size (in the order
    sizes first appear), each page's margin keys, the words of the first page's title block (empty
    unless these pages hold the first), and whether any page has text."""

    sizes: Counter[float]
    margin_keys: tuple[frozenset[str], ...]
    has_text: bool
    title_words: frozenset[str] = frozenset()


def _page_facts(pages: Sequence[PageWords]) -> _PageFacts:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            for word in line.words:
                sizes[word.size] += len(word.text)
    margin_keys = tuple(frozenset(_furniture_key(line) for line in _margin_candidates(page)) for page in pages)
    title = frozenset(word for page in pages if page.number == 1 for line in page.lines[:TITLE_BLOCK_LINES]
                      for word in _key_words(_furniture_key(line)))
    return _PageFacts(sizes, margin_keys, any(page.lines or page.tables for page in pages), title)


def _decisions(facts: Sequence[_PageFacts]) -> tuple[frozenset[str], float]:
    """The texts of running headers and footers, and the size most characters are set in, for the
    pages the facts were read from, in order. A running head is a margin line repeated across pages,
    or, in a document too short to repeat it, one on a later page made of the words of the first
    page's title block (`Children and Young People Scrutiny Panel   Home to School Transport Review`)."""
    sizes: Counter[float] = Counter()
    pages_with_key: Counter[str] = Counter()
    title = frozenset().union(*(part.title_words for part in facts))
    echoes: set[str] = set()
    pages = sum(len(part.margin_keys) for part in facts)
    for part in facts:
        sizes.update(part.sizes)
        for index, keys in enumerate(part.margin_keys):
            pages_with_key.update(keys)
            if pages > MAX_PAGES_UNREPEATED or (part.title_words and index == 0):
                continue  # the first page's own lines are its title, not its furniture
            echoes.update(key for key in keys if _echoes_title(key, title))
    needed = max(2, FURNITURE_MIN_SHARE * pages)
    furniture = frozenset(key for key, count in pages_with_key.items() if count >= needed) | echoes
    return furniture, sizes.most_common(1)[0][0] if sizes else 10.0


def _key_words(key: str) -> frozenset[str]:
    return frozenset(_KEY_WORD.findall(key))


def _echoes_title(key: str, title: frozenset[str]) -> bool:
    """Whether a margin line is the title block's words: most of them, and a few at least (an author's
    name there may carry an affiliation's letter, `Brannigan` printed `Branniganb`), and no sentence's
    end, as the last words of a paragraph that a page break carried over have."""
    words = _key_words(key)
    shared = len(words & title)
    return (shared >= MIN_HEAD_WORDS and shared >= HEAD_WORDS_SHARE * len(words)
            and key.rstrip()[-1:] not in SENTENCE_ENDS)


@dataclass(frozen=True)
class _ReadRange:
    """A range of pages read on a worker: the facts the document-wide decisions read, and the pages
    pickled (a page's words are many small objects, which the parent need never build)."""

    facts: _PageFacts
    pages: bytes


def _is_furniture(line: _Line, furniture: frozenset[str]) -> bool:
    return _furniture_key(line) in furniture or bool(_PAGE_NUMBER.match(line.text.strip()))


def _page_text(page: PageWords, furniture: frozenset[str], body_size: float) -> _LaidOutPage:
    """The page's paragraphs in reading order, separated by blank lines, those set off by layout, and
    its footnotes (kept out of the reading order)."""
    margin = set(map(id, _margin_candidates(page)))
    lines = [line for line in page.lines if not (id(line) in margin and _is_furniture(line, furniture))]
    body, notes = _footnotes(lines, body_size)
    gutter = _find_gutter(body, page.width, body_size)
    spanning, body = _page_wide_aligned_tables(body, gutter)
    segments = _with_aligned_tables(_split_columns(body, gutter, body_size)) + spanning + page.tables
    for table in page.tables:
        table.column = _column_of(table, gutter)
    text, set_off = _paragraphs(_reading_order(segments), body_size)
    return _LaidOutPage(text, set_off, _note_texts(notes))


def _footnotes(lines: Sequence[_Line], body_size: float) -> tuple[list[_Line], list[_Line]]:
    """The page's lines split into body and footnotes.

    Footnotes are the lines at the foot of the page in type smaller than the body's and than the
    line above them, the first of which opens with a note's marker (see `_opens_note`).
    """
    ordered = sorted((line for line in lines if line.table_text is None), key=lambda line: line.top)
    if not ordered:
        return list(lines), []
    start = len(ordered)
    while start > 0 and ordered[start - 1].size <= ordered[-1].size + NOTE_SIZE_SPREAD:
        start -= 1
    foot = ordered[start:]
    largest = max(line.size for line in foot)
    if (start == 0 or largest > body_size - SMALLER_TYPE or ordered[start - 1].size < largest + SMALLER_TYPE
            or not _opens_note(foot[0])):
        return list(lines), []
    notes = set(map(id, foot))
    return [line for line in lines if id(line) not in notes], foot


_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
_NOTE_NUMBER = re.compile(r"\d{1,3}\.")


def _opens_note(line: _Line) -> bool:
    """Whether a line opens with a footnote's marker: a note symbol, a short word (a number, a letter)
    set smaller than the rest of the line, as a superscript, or a note's number with a stop as notes
    printed from a web page set it (`3. Interview with a council leader, ...`)."""
    first = line.words[0]
    if first.text[0] in NOTE_SYMBOLS or (len(line.words) > 1 and _NOTE_NUMBER.fullmatch(first.text)):
        return True
    return len(line.words) > 1 and len(first.text) <= NOTE_MARKER_MAX_CHARS and first.size <= line.size - SMALLER_TYPE


def _note_texts(lines: Sequence[_Line]) -> tuple[str, ...]:
    """The notes, one per line that opens with a marker, each with the lines that continue it."""
    notes: list[list[str]] = []
    for line in lines:
        if _opens_note(line) or not notes:
            notes.append([])
            notes[-1].append(_with_raised_marker(line))
        else:
            notes[-1].append(line.text)
    return tuple("\n".join(note) for note in notes)


def _with_raised_marker(line: _Line) -> str:
    """A note's first line, its number printed as the superscript it is set as (`¹² Interview with ...`):
    so the notes' numbers, counting up one after another, are never taken for a manuscript's line numbers."""
    first = line.words[0]
    if not first.text.isdigit() or len(line.words) < 2 or first.size > line.size - SMALLER_TYPE:
        return line.text
    return first.text.translate(_TO_SUPERSCRIPT) + " " + _join_words(line.words[1:])


def _find_gutter(lines: Sequence[_Line], page_width: float, body_size: float) -> float | None:
    """The x of a two-column page's gutter, or None for a single column.

    Each column carries prose: each side holds a fair share of the characters of the lines the gutter
    parts (not a column of page refs, nor a table's last column beside prose that spans the page),
    or the narrow side is a sidebar (see `_sidebar_beside`); and most lines it parts stand in runs
    of such lines, no line across the gutter between them: a line set alone between lines that cross
    it is a signature aligned right or a paragraph's short last line, no column's.
    """
    gutter = _gutter_candidate(lines, page_width, body_size)
    if gutter is None:
        return None
    share = _narrower_sides_share(lines, gutter, body_size)
    if share < SIDEBAR_MIN_TEXT_SHARE or (share < GUTTER_MIN_TEXT_SHARE
                                          and not _sidebar_beside(lines, gutter, page_width, body_size)):
        return None
    if not _parted_in_runs(lines, gutter, body_size):
        return None
    unlabelled = _without_margin_labels(lines, gutter)
    if unlabelled is not None and _find_gutter(unlabelled, page_width, body_size) is None:
        return None  # an exchange set with its speakers' labels in a margin: one column, read line by line
    return gutter


def _gutter_candidate(lines: Sequence[_Line], page_width: float, body_size: float) -> float | None:
    """Where the lines part as columns do, or None.

    At a gutter few lines have a word across it (only page-wide titles and tables),
    and many lines have text on each side of it with a wide gap or nothing at all
    between. Justified prose has gaps too, but narrow ones, and not at one x line
    after line.
    """
    n_lines = len(lines)
    if n_lines < 6:
        return None
    left = max(0, int(min(line.x0 for line in lines)))
    right = min(int(page_width), int(max(line.x1 for line in lines)))
    lo, hi = int(left + 0.2 * (right - left)), int(right - 0.2 * (right - left))
    if hi <= lo:
        return None
    crossing, wide_gaps = _crossing_and_gap_counts(lines, lo, hi, GUTTER_MIN_RATIO * body_size)
    ends_before = _cumulative_counts([line.x1 for line in lines], lo, hi)
    starts_after = [n_lines - n for n in _cumulative_counts([line.x0 for line in lines], lo, hi + 1)[1:]]
    needed_each_side = max(3, GUTTER_MIN_SIDE_SHARE * n_lines)
    candidates = [
        i
        for i, cross in enumerate(crossing)
        if cross <= GUTTER_MAX_CROSSING_SHARE * n_lines
        and ends_before[i] + wide_gaps[i] >= needed_each_side
        and starts_after[i] + wide_gaps[i] >= needed_each_side
    ]
    if not candidates:
        return None
    fewest = min(crossing[i] for i in candidates)
    best = _widest_run([i for i in candidates if crossing[i] == fewest])
    return lo + (best[0] + best[-1]) / 2


def _without_margin_labels(lines: Sequence[_Line], gutter: float) -> list[_Line] | None:
    """The lines without the speakers' labels (`Participant B:`) that stand alone left of a gutter on
    the line their turn opens: what the page holds besides such a margin of labels; None without any."""
    kept: list[_Line] = []
    for line in lines:
        left = [word for word in line.words if word.x1 <= gutter]
        if is_turn_label(left) and len(left) < len(line.words) and line.words[len(left)].x0 >= gutter:
            kept.append(_Line(words=line.words[len(left):], column=line.column))
        else:
            kept.append(line)
    return kept if any(k is not line for k, line in zip(kept, lines)) else None


def _crossing_and_gap_counts(lines: Sequence[_Line], lo: int, hi: int, min_gap: float) -> tuple[list[int], list[int]]:
    """For each x in [lo, hi]: how many lines have a word across x, and how many a gap of `min_gap` or more."""
    crossing = [0] * (hi - lo + 2)
    gaps = [0] * (hi - lo + 2)
    for line in lines:
        for previous, word in pairwise(line.words):
            if word.x0 - previous.x1 >= min_gap:
                _add_span(gaps, previous.x1, word.x0, lo, hi)
        for word in line.words:
            _add_span(crossing, word.x0, word.x1, lo, hi)
    return _running_totals(crossing), _running_totals(gaps)


def _add_span(delta: list[int], x0: float, x1: float, lo: int, hi: int) -> None:
    """Count the integer x strictly inside (x0, x1) in a difference array over [lo, hi]."""
    start, stop = max(lo, int(x0) + 1), min(hi, int(x1) - (x1 == int(x1)))
    if start <= stop:
        delta[start - lo] += 1
        delta[stop - lo + 1] -= 1


def _running_totals(delta: list[int]) -> list[int]:
    totals, running = [], 0
    for change in delta[:-1]:
        running += change
        totals.append(running)
    return totals


def _narrower_sides_share(lines: Sequence[_Line], gutter: float, body_size: float) -> float:
    """The share of the characters of the lines the gutter parts that its emptier side holds: columns
    carry prose, a column of page refs or a table's last column beside prose that spans the page holds little."""
    left_chars = right_chars = 0
    for line in lines:
        parts = _parted(line, gutter, body_size)
        if parts is not None:
            left_chars += sum(len(word.text) for word in parts[0])
            right_chars += sum(len(word.text) for word in parts[1])
    return min(left_chars, right_chars) / (left_chars + right_chars) if left_chars + right_chars else 0.0


def _sidebar_beside(lines: Sequence[_Line], gutter: float, page_width: float, body_size: float) -> bool:
    """Whether a gutter's narrow side is a sidebar beside the body: of the lines the gutter parts, most
    of the narrow side's are words (not a table's figures) in runs of lines (lines set alone at the
    margin are attributions or captions), and the wider side parts nowhere as a table's columns do (a
    table's theme and quotation columns beside its narrow participant column)."""
    wider, narrower = sorted(_sides(lines, gutter, body_size),
                             key=lambda side: sum(len(word.text) for line in side for word in line.words), reverse=True)
    wordy = sum(sum(any(c.isalpha() for c in word.text) for word in line.words) >= SIDEBAR_LINE_WORDS
                for line in narrower)
    return (2 * _lines_in_runs(narrower) >= len(narrower) and 2 * wordy >= len(narrower)
            and not _has_columns(wider, page_width, body_size))


def _sides(lines: Sequence[_Line], gutter: float, body_size: float) -> tuple[list[_Line], list[_Line]]:
    """The parts of the lines the gutter parts, left of it and right of it."""
    sides: tuple[list[_Line], list[_Line]] = ([], [])
    for line in lines:
        parts = _parted(line, gutter, body_size)
        for side, words in zip(sides, parts or ()):
            if words:
                side.append(_Line(words=words))
    return sides


def _parted_in_runs(lines: Sequence[_Line], gutter: float, body_size: float) -> bool:
    """Whether most of the lines the gutter parts stand, top to bottom, in runs of COLUMN_RUN_LINES or
    more such lines with no line across the gutter between them."""
    runs = [0]
    for line in sorted(lines, key=lambda line: line.top):
        if _parted(line, gutter, body_size) is None:
            runs.append(0)
        else:
            runs[-1] += 1
    return 2 * sum(run for run in runs if run >= COLUMN_RUN_LINES) >= sum(runs)


def _lines_in_runs(lines: Sequence[_Line]) -> int:
    """How many of the lines stand in runs of COLUMN_RUN_LINES or more, each within two type sizes
    of the one above: a column's paragraphs, where an attribution set at the margin stands alone."""
    ordered = sorted(lines, key=lambda line: line.top)
    runs: list[int] = []
    for previous, line in zip([None, *ordered], ordered):
        if previous is not None and runs and line.top - previous.top <= 2 * line.size:
            runs[-1] += 1
        else:
            runs.append(1)
    return sum(run for run in runs if run >= COLUMN_RUN_LINES)


def _has_columns(lines: Sequence[_Line], page_width: float, body_size: float) -> bool:
    """Whether lines part as columns do, some of them holding text on both sides (a table's cells): not
    as a column of prose parts where a heading ends early and a pull quote starts late."""
    gutter = _gutter_candidate(lines, page_width, body_size)
    if gutter is None:
        return False
    both = sum(parts is not None and bool(parts[0]) and bool(parts[1])
               for parts in (_parted(line, gutter, body_size) for line in lines))
    return both >= MIN_SHARED_LINES


def _parted(line: _Line, gutter: float, body_size: float) -> tuple[list[Word], list[Word]] | None:
    """A line's words left and right of the gutter, or None for a line that spans it: one that crosses
    the gutter, or steps over it with an ordinary word space."""
    left = [word for word in line.words if word.x1 <= gutter]
    right = [word for word in line.words if word.x0 >= gutter]
    if len(left) + len(right) < len(line.words) or (
            left and right and right[0].x0 - left[-1].x1 < GUTTER_MIN_RATIO * body_size):
        return None
    return left, right


def _cumulative_counts(values: Sequence[float], lo: int, hi: int) -> list[int]:
    """For each x in [lo, hi], how many of `values` are below x."""
    ordered = sorted(values)
    return [bisect.bisect_left(ordered, x) for x in range(lo, hi + 1)]


def _widest_run(indices: Sequence[int]) -> list[int]:
    """The longest stretch of consecutive integers in sorted `indices`."""
    runs: list[list[int]] = [[indices[0]]]
    for index in indices[1:]:
        if index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return max(runs, key=len)


def _split_columns(lines: Sequence[_Line], gutter: float | None, body_size: float) -> list[_Line]:
    """Cut each line at the gutter into a left (0) and right (1) part.

    A line that crosses the gutter, or steps over it with an ordinary word space,
    spans the page and stays whole.
    """
    if gutter is None:
        return list(lines)
    segments = []
    for line in lines:
        parts = _parted(line, gutter, body_size)
        if parts is None:
            segments.append(_Line(words=line.words, column=None))
        else:
            segments.extend(_Line(words=part, column=column) for column, part in enumerate(parts) if part)
    return segments


def _page_wide_aligned_tables(lines: Sequence[_Line], gutter: float | None) -> tuple[list[_Line], list[_Line]]:
    """On a two-column page, the tables without rules that span both columns, each as one block, and
    the other lines. Found before the lines are cut at the gutter, which would part a row's cells
    between the columns; a table spans the page when a line of it has a word across the gutter (two
    columns of prose, side by side, line up as a table's two columns would, but never cross it)."""
    if gutter is None:
        return [], list(lines)
    ordered = sorted(lines, key=lambda line: line.top)
    blocks: list[_Line] = []
    taken: set[int] = set()
    for aligned in aligned_table_runs([line.words for line in ordered]):
        run = ordered[aligned.first:aligned.end]
        if any(word.x0 < gutter < word.x1 for line in run for word in line.words):
            blocks.extend(_aligned_blocks(run, None, aligned))
            taken.update(map(id, run))
    return blocks, [line for line in lines if id(line) not in taken]


def _with_aligned_tables(segments: list[_Line]) -> list[_Line]:
    """The segments with each run of lines that is a table without rules (see
    `ingest.pdf_aligned_tables`) replaced by one block whose text is its rows, cells parted by tabs."""
    by_column: dict[int | None, list[_Line]] = {}
    for segment in segments:
        by_column.setdefault(segment.column, []).append(segment)
    kept: list[_Line] = []
    for column, lines in by_column.items():
        lines.sort(key=lambda line: line.top)
        taken = 0
        for aligned in aligned_table_runs([line.words for line in lines]):
            kept.extend(lines[taken:aligned.first])
            kept.extend(_aligned_blocks(lines[aligned.first:aligned.end], column, aligned))
            taken = aligned.end
        kept.extend(lines[taken:])
    return kept


def _aligned_blocks(lines: Sequence[_Line], column: int | None, aligned: AlignedRun) -> list[_Line]:
    """A table's lines as one block whose text is its rows, cells parted by tabs; boxes of prose side
    by side (a row of quotation cards) as one block each, its lines as they are, left to right."""
    if not aligned.boxes:
        words = [word for line in lines for word in line.words]
        return [_Line(words=words, column=column, table_text="\n".join("\t".join(row) for row in aligned.rows))]
    parts = [cut_at_edges(line.words, aligned.edges) for line in lines]
    boxes = [[line_parts[index] for line_parts in parts if line_parts[index]]
             for index in range(len(aligned.edges) + 1)]
    # Each piece of a box stands where the whole box does, so the box's label follows its words.
    return [_Line(words=[word for words in box for word in words], column=column,
                  table_text="\n".join(_join_words(words) for words in piece))
            for box in boxes if box for piece in _with_label_apart(box)]


def _with_label_apart(box: list[list[Word]]) -> list[list[list[Word]]]:
    """A box's lines, the label closing it in smaller type (`Participant, aged 80–84`) apart from its
    words, as a paragraph of its own below them."""
    size = _dominant_style([word for words in box for word in words])[0]
    cut = len(box)
    while cut > 1 and _dominant_style(box[cut - 1])[0] <= size - SMALLER_TYPE:
        cut -= 1
    return [box[:cut], box[cut:]] if cut < len(box) else [box]


def _column_of(block: _Line, gutter: float | None) -> int | None:
    if gutter is None or block.x0 < gutter < block.x1:
        return None
    return 0 if block.x1 <= gutter else 1


def _reading_order(segments: Sequence[_Line]) -> list[_Line]:
    """Top to bottom; between two page-wide elements, the left column before the right."""
    ordered: list[_Line] = []
    band: list[_Line] = []
    for segment in sorted(segments, key=lambda s: (s.top, s.x0)):
        if segment.column is None:
            ordered.extend(sorted(band, key=lambda s: (s.column, s.top)))
            band = []
            ordered.append(segment)
        else:
            band.append(segment)
    ordered.extend(sorted(band, key=lambda s: (s.column, s.top)))
    return ordered


def _paragraphs(lines: Sequence[_Line], body_size: float) -> tuple[str, tuple[tuple[int, str], ...]]:
    """Join lines into paragraphs, breaking on gaps, indents, headings and column changes.

    Also names the paragraphs set off from the body text (see `_set_off_kind`), by index.
    """
    if not lines:
        return "", ()
    column_right = _column_right_edges(lines)
    leading = _usual_leading(lines, column_right)
    paragraphs: list[list[_Line]] = [[lines[0]]]
    for line in lines[1:]:
        current = paragraphs[-1]
        if _starts_paragraph(current, line, leading, column_right, body_size):
            paragraphs.append([line])
        else:
            current.append(line)
    left_edges = _column_left_edges(lines, body_size)
    marks = tuple(
        (index, kind)
        for index, paragraph in enumerate(paragraphs)
        if (kind := _set_off_kind(paragraph, left_edges, column_right, body_size)) is not None
    )
    return "\n\n".join(_paragraph_text(paragraph) for paragraph in paragraphs), marks


def _column_left_edges(lines: Sequence[_Line], body_size: float) -> dict[int | None, float]:
    """Where most lines of each column start: the body text's left edge. Lines in the body's type
    decide where the column has them, so a page given mostly to block quotations in smaller type
    still measures their indent from the prose around them."""
    starts: dict[int | None, Counter[int]] = {}
    body_starts: dict[int | None, Counter[int]] = {}
    for line in lines:
        if line.table_text is None:
            starts.setdefault(line.column, Counter())[round(line.x0)] += 1
            if line.size > body_size - SMALLER_TYPE / 2:
                body_starts.setdefault(line.column, Counter())[round(line.x0)] += 1
    return {column: float((body_starts.get(column) or counter).most_common(1)[0][0])
            for column, counter in starts.items()}


def _set_off_kind(paragraph: Sequence[_Line], left_edges: dict[int | None, float],
                  column_right: dict[int | None, float], body_size: float) -> str | None:
    """How a paragraph is set off from the body text, if it is: a block quotation's layout.

    Indented: every line starts clearly right of the column's usual left edge (two lines at
    least, so a first-line indent is not one), or, where no line reaches the column's right edge
    either, a little right of it: a block narrowed on both sides. Italic or small: every line is
    set so. Large: a pull quote, a sentence or more set in type well above the body's. Headings
    and tables are never set off.
    """
    if _is_pull_quote(paragraph, body_size):
        return "large"
    if any(line.table_text is not None or _is_heading(line, body_size) for line in paragraph):
        return None
    left = left_edges.get(paragraph[0].column)
    indent = min(line.x0 for line in paragraph) - left if left is not None else 0.0
    inset = column_right[paragraph[0].column] - max(line.x1 for line in paragraph)
    narrowed = indent >= SET_OFF_BOTH_SIDES * body_size and inset >= SET_OFF_BOTH_SIDES * body_size
    if len(paragraph) >= 2 and (indent >= SET_OFF_INDENT * body_size or narrowed):
        return "indented"
    if all(line.italic for line in paragraph):
        return "italic"
    if all(line.size <= body_size - SMALLER_TYPE for line in paragraph):
        return "small"
    return None


def _is_pull_quote(paragraph: Sequence[_Line], body_size: float) -> bool:
    """Whether a paragraph is set as a pull quote: every line in type well above the body's, and words
    enough to end as a sentence does, where a heading is a phrase."""
    if any(line.table_text is not None or line.size < PULL_QUOTE_SIZE_RATIO * body_size for line in paragraph):
        return False
    words = sum(len(line.words) for line in paragraph)
    return words >= MIN_PULL_QUOTE_WORDS and paragraph[-1].text.rstrip()[-1:] in ".!?…”’\""


def _paragraph_text(paragraph: Sequence[_Line]) -> str:
    """Lines joined by newlines, except inside a web address that the typesetter broke."""
    parts = [paragraph[0].text]
    last_token = parts[0].rsplit(" ", 1)[-1]
    for line in paragraph[1:]:
        text = line.text
        runs_on = _url_continues(last_token, text)
        parts.append("" if runs_on else "\n")
        parts.append(text)
        tail = text.rsplit(" ", 1)[-1]
        last_token = last_token + tail if runs_on and " " not in text else tail
    return "".join(parts)


def _url_continues(last_token: str, text: str) -> bool:
    """Whether the web address `last_token` (the end of a line) runs on into `text`.

    Addresses are broken anywhere and without a hyphen; one runs on when its
    brackets are still open or the next line starts with more address characters.
    """
    in_angle_brackets = last_token.startswith("<") and ">" not in last_token
    if not in_angle_brackets and "://" not in last_token and "www." not in last_token:
        return False
    unclosed = any(last_token.count(a) > last_token.count(b) for a, b in ("<>", "()", "[]"))
    if not unclosed and last_token.endswith((">", ")", "]")):
        return False
    first = text.split(" ", 1)[0]
    return unclosed or last_token.endswith("//") or _URL_PIECE.search(first) is not None


def _usual_leading(lines: Sequence[_Line], column_right: dict[int | None, float]) -> float:
    """The page's typical distance between baselines inside a paragraph, as a multiple of font size.

    Measured after lines that reach their column's right edge, where the text visibly runs on to
    the next line. A page of one-line paragraphs with space between them (a transcript's turns)
    holds more paragraph gaps than line gaps, and a median over every pair of lines would take the
    paragraph gap for the leading and join the turns. Where too few lines run on, every pair counts.
    """
    pairs = [
        (previous, (line.top - previous.top) / line.size)
        for previous, line in pairwise(lines)
        if previous.column == line.column
        and previous.table_text is None
        and line.table_text is None
        and previous.size == line.size
        and line.top > previous.top
    ]
    run_on = [ratio for previous, ratio in pairs if _is_full(previous, column_right)]
    ratios = run_on if len(run_on) >= MIN_RUN_ON_PAIRS else [ratio for _, ratio in pairs]
    return statistics.median(ratios) if ratios else 1.2


def _column_right_edges(lines: Sequence[_Line]) -> dict[int | None, float]:
    """How far text reaches in each column: a line reaching it is a full (justified) line."""
    edges: dict[int | None, float] = {}
    for line in lines:
        edges[line.column] = max(edges.get(line.column, 0.0), line.x1)
    return edges


def _is_full(line: _Line, column_right: dict[int | None, float]) -> bool:
    """Whether a line reaches its column's right edge (within a letter), as a line whose text runs on does."""
    return line.x1 >= column_right[line.column] - line.size


def _is_heading(line: _Line, body_size: float) -> bool:
    """Bold or larger than the body text, and short."""
    if line.table_text is not None or len(line.words) > HEADING_MAX_WORDS:
        return False
    return line.bold or line.size >= body_size + 1


def _starts_paragraph(
    paragraph: list[_Line],
    line: _Line,
    leading: float,
    column_right: dict[int | None, float],
    body_size: float,
) -> bool:
    """Whether `line` begins a new paragraph after the lines of `paragraph`."""
    previous = paragraph[-1]
    if previous.table_text is not None or line.table_text is not None:
        return True
    if len(paragraph) == 1 and previous.text.strip() in OPENING_MARKS:
        return False  # a card's large opening mark, set on a line of its own above the words
    if _is_heading(previous, body_size) != _is_heading(line, body_size):
        return True
    if abs(previous.size - line.size) >= 0.75:
        return True
    if previous.column != line.column or line.top < previous.top:
        return not _is_full(previous, column_right)
    size = max(previous.size, line.size)
    if line.top - previous.top > PARAGRAPH_LEADING_FACTOR * leading * size:
        return True
    if previous.italic != line.italic and line.top - previous.top > STYLE_CHANGE_LEADING_FACTOR * leading * size:
        return True  # a headnote in italics, then the words it introduces, a little space between
    if paragraph[0].italic and _is_attribution(line):
        return False
    if paragraph[0].italic and _is_attribution(previous):
        return True
    if (_opens_with_run_in_label(line) or _opens_turn(line)) and previous.text.rstrip()[-1:] in SENTENCE_ENDS:
        return True
    return _indent_breaks(paragraph, line, column_right)


def _opens_with_run_in_label(line: _Line) -> bool:
    """A line opening with a label set in bold or italic and ending in a colon, the rest set otherwise
    (`Gail: The queue...`): a speaker's turn or a run-in heading, which opens a paragraph."""
    first = line.words[0]
    style = (first.bold, first.italic)
    if not any(style):
        return False
    for count, word in enumerate(line.words[:RUN_IN_LABEL_MAX_WORDS], start=1):
        if (word.bold, word.italic) != style:
            return False
        if word.text.endswith(":"):
            rest = line.words[count:]
            return bool(rest) and all((w.bold, w.italic) != style for w in rest)
    return False


def _opens_turn(line: _Line) -> bool:
    """A line opening with a speaker's label, a capitalised word or few ending in a colon, before words
    (`Rosa: The chair. There was ...`), as an exchange's turns open."""
    for count, word in enumerate(line.words[:RUN_IN_LABEL_MAX_WORDS], start=1):
        if word.text.endswith(":"):
            return line.words[0].text[:1].isupper() and is_turn_label(line.words[:count]) and count < len(line.words)
    return False


def _is_attribution(line: _Line) -> bool:
    """A short line that is only a bracketed phrase, as a quotation's source code is printed."""
    text = line.text.rstrip(".")
    return len(line.words) <= ATTRIBUTION_MAX_WORDS and text[:1] in "([" and text[-1:] in ")]"


def _indent_breaks(paragraph: list[_Line], line: _Line, column_right: dict[int | None, float]) -> bool:
    """Indentation changes: an indent opens a paragraph unless it hangs under a list item's text or
    under a first line that runs on into it (to the column's edge, or the indented line goes on in
    lower case): a hanging indent, as a speaker's turn in a transcript or a reference is set;
    an outdent closes an indented block (two lines or more, or of another style), a hanging one, or a
    line set alone far to the right (a signature aligned right, which reaches the column's edge as a
    full line does)."""
    previous = paragraph[-1]
    shift = line.x0 - previous.x0
    tolerance = INDENT_RATIO * line.size
    if shift > tolerance:
        hangs_under_text = len(previous.words) > 1 and abs(line.x0 - previous.words[1].x0) < 2
        runs_on = ((_is_full(previous, column_right) or line.text[:1].islower())
                   and not previous.text.rstrip().endswith(":"))
        return not ((hangs_under_text or runs_on) and len(paragraph) == 1)
    if shift < -tolerance:
        same_indent = [p for p in paragraph if abs(p.x0 - previous.x0) < 2]
        hanging = abs(line.x0 - paragraph[0].x0) < 2 and len(same_indent) < len(paragraph)
        set_right = len(paragraph) == 1 and -shift >= SET_RIGHT_SHARE * (column_right[line.column] - line.x0)
        return len(same_indent) >= 2 or previous.italic != line.italic or hanging or set_right
    return False

