"""Parse one document file into plain records: the whole ingest of a file, free of any store.

This runs in worker processes, so it imports nothing from `index` or `queries` and
returns only picklable records.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, Protocol, TypeVar

from ingest.clean import normalise
from ingest.errors import EmptyDocument
from ingest.limits import ResourceLimits
from ingest.passages import build_passages
from ingest.pdf_readers import DEFAULT_PDF_READER
from ingest.quotes import find_quotes
from ingest.records import CleanDocument, ParsedDocument, Passage, Quote, RawDocument, Section
from ingest.sections import build_sections, innermost_section
from ingest.text_loader import load_text
from ingest.transcript import TRANSCRIPT_KIND, read_transcript

if TYPE_CHECKING:
    from ingest.entities import EntityExtractor

HTML_SUFFIXES = (".html", ".htm", ".xhtml")

T = TypeVar("T")


class BesideMapper(Protocol):
    """Runs a function over argument tuples on workers (`pipeline.workers.PoolMapper`), and can run
    one more task beside them whose result is collected later."""

    def __call__(self, fn: Callable[..., Any], args: Sequence[tuple]) -> Sequence[Any]: ...

    def map_beside(self, fn: Callable[..., Any], args: Sequence[tuple],
                   beside: Callable[[], Any] | None) -> tuple[Sequence[Any], Callable[[], Any]]: ...


# Bump when parsing changes, so an unchanged file is parsed again by the new code.
PARSER_VERSION = "23"


class StageClock:
    """Seconds spent per named stage."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start


@lru_cache(maxsize=1)
def entity_extractor() -> EntityExtractor:
    """One spaCy pipeline per process; call it before forking workers so they share it.
    Imported here: spaCy takes seconds to import, which a run that parses nothing never pays."""
    with _torch_hidden():
        from ingest.entities import EntityExtractor

    return EntityExtractor()


@contextmanager
def _torch_hidden() -> Iterator[None]:
    """Make `import torch` fail while spaCy is first imported, unless torch is loaded already.

    spaCy's thinc imports torch whenever it is installed, to offer PyTorch layers; the small
    English model runs on thinc's numpy layers and never uses them. Skipping that import takes
    about 2.5 s off every process that parses. Torch imports normally again afterwards.
    """
    if "torch" in sys.modules:
        yield
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # the documented way to block an import
    try:
        yield
    finally:
        if sys.modules.get("torch", False) is None:  # still the block, not a torch imported meanwhile
            del sys.modules["torch"]


def load_raw(path: Path, password: str | None = None, max_pages: int | None = None,
             limits: ResourceLimits | None = None, ocr: bool = True, pdf_reader: str = DEFAULT_PDF_READER,
             map_ranges: Callable | None = None) -> RawDocument:
    """Pick the loader by file type; `pdf_reader` and `map_ranges` (page ranges in parallel) apply to PDFs."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from ingest.ocr import load_pdf_with_ocr

        return load_pdf_with_ocr(path, password=password, max_pages=max_pages, limits=limits, ocr=ocr,
                                 reader=pdf_reader, map_ranges=map_ranges)
    if suffix == ".docx":
        from ingest.docx_loader import load_docx

        return load_docx(path)
    if suffix in HTML_SUFFIXES:
        from ingest.html_loader import load_html

        return load_html(path)
    return load_text(path, limits)


class ReadDocument(NamedTuple):
    """A document loaded and cleaned: the part of a parse that needs no language model, so it can
    run in a process started before the model is loaded, and be handed to the parse."""

    clean: CleanDocument
    n_pages: int
    source_format: str
    ocr_confidence: dict[int, float]
    seconds: dict[str, float]


def read_document(
    path: Path,
    password: str | None = None,
    max_pages: int | None = None,
    limits: ResourceLimits | None = None,
    ocr: bool = True,
    pdf_reader: str = DEFAULT_PDF_READER,
    map_ranges: BesideMapper | None = None,
) -> ReadDocument:
    """Load and clean one document; EmptyDocument when no text is left. The arguments are
    parse_document's first ones."""
    clock = StageClock()
    with clock("load"):
        raw = load_raw(path, password=password, max_pages=max_pages, limits=limits, ocr=ocr, pdf_reader=pdf_reader,
                       map_ranges=map_ranges)
    with clock("clean"):
        clean = normalise(raw, parallel=map_ranges)
    if not clean.text.strip():
        raise EmptyDocument(f"{path.name} has no text after cleaning")
    return ReadDocument(clean=clean, n_pages=len(raw.pages), source_format=raw.source_format,
                        ocr_confidence={p.number: p.ocr_confidence for p in raw.pages if p.ocr_confidence is not None},
                        seconds=clock.seconds)


def parse_document(
    path: Path,
    password: str | None = None,
    max_pages: int | None = None,
    limits: ResourceLimits | None = None,
    ocr: bool = True,
    pdf_reader: str = DEFAULT_PDF_READER,
    map_ranges: BesideMapper | None = None,
    kind: str | None = None,
    interviewers: tuple[str, ...] = (),
    read: ReadDocument | None = None,
) -> ParsedDocument:
    """Load, clean, structure and extract one document, timing each stage for the benchmark.

    `kind` is the manifest's word for the document ("transcript" has it read as speaker turns
    even when few); `interviewers` names speaker labels that are the interviewer's. `pdf_reader`
    picks the PDF character reader; `map_ranges` lets a long PDF's page ranges be read in parallel.
    `read` is the document already read (read_document, with the same arguments), else it is read here.
    """
    read = read or read_document(path, password, max_pages, limits, ocr, pdf_reader, map_ranges)
    clean = read.clean
    clock = StageClock()
    clock.seconds.update(read.seconds)
    alongside = _Alongside(map_ranges, partial(_structure, clean, kind, interviewers)) if map_ranges else None
    with clock("entities"):
        mentions = entity_extractor().extract(clean.text, map_pieces=alongside)
    structure = alongside.result() if alongside else _structure(clean, kind, interviewers)
    clock.seconds.update(structure.seconds)
    return ParsedDocument(
        clean=clean,
        n_pages=read.n_pages,
        source_format=read.source_format,
        sections=structure.sections,
        passages=structure.passages,
        quotes=structure.quotes,
        mentions=mentions,
        timings=clock.seconds,
        kind=TRANSCRIPT_KIND if structure.transcript else None,
        ocr_confidence=read.ocr_confidence,
    )


class _Structure(NamedTuple):
    """Sections, passages and quotations of a clean text, whether it reads as a transcript, and the
    seconds each stage took."""

    sections: list[Section]
    passages: list[Passage]
    quotes: list[Quote]
    transcript: bool
    seconds: dict[str, float]


def _structure(clean: CleanDocument, kind: str | None, interviewers: tuple[str, ...]) -> _Structure:
    clock = StageClock()
    with clock("extract"):
        transcript = read_transcript(clean.text, interviewers=interviewers, declared=kind == TRANSCRIPT_KIND)
        found = transcript.quotes if transcript else find_quotes(clean.text, set_off=clean.set_off)
    with clock("structure"):
        sections = build_sections(clean, turns=[turn.header_start for turn in transcript.turns] if transcript else ())
        passages = build_passages(clean, sections)
    with clock("extract"):
        quotes = place_quotes(found, clean, sections)
    return _Structure(sections, passages, quotes, transcript is not None, clock.seconds)


class _Alongside(Generic[T]):
    """A mapper of a long text's pieces that runs one more task of the same document on the same
    workers: a long report's structure and quotations are worked out while the parent joins the
    entity pieces, instead of before them, which kept the workers waiting. Without a call for
    pieces (a short text), the task runs here when its result is asked for."""

    def __init__(self, mapper: BesideMapper, task: Callable[[], T]):
        self._mapper = mapper
        self._task = task
        self._result: Callable[[], T] | None = None

    def __call__(self, fn: Callable[..., Any], args: Sequence[tuple]) -> Sequence[Any]:
        if self._result is not None:
            return self._mapper(fn, args)
        results, self._result = self._mapper.map_beside(fn, args, self._task)
        return results

    def result(self) -> T:
        return self._task() if self._result is None else self._result()


def place_quotes(quotes: list[Quote], clean: CleanDocument, sections: list[Section]) -> list[Quote]:
    """Give each quotation the section and page where it starts."""
    placed = []
    for quote in quotes:
        section = innermost_section(sections, quote.char_start)
        placed.append(
            replace(quote, section=section.ordinal if section else None, page=clean.page_at(quote.char_start))
        )
    return placed
