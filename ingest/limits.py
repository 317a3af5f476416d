"""Per-document resource limits, so a small hostile file fails in seconds instead of using the time limit.

A 200-byte PDF whose object refers to itself sends the PDF parser round a loop for ever; a few
hundred kilobytes of compressed stream can expand to gigabytes; one page can draw millions of
characters; a huge text file takes minutes. Each limit below stops its document with one sentence
naming the limit and the option that raises it.

The PDF parser (pdfminer) has no such limits, so `guard_pdf_parser` wraps three of its internals,
once per process: following an object reference, inflating a Flate stream, and drawing a character.
Ingest runs every document in a worker process of its own, so the limits in force are that document's.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

from ingest.errors import ResourceLimitExceeded

MB = 1024 * 1024
# Pages a PDF may have unless the user raises it: a long report has a few hundred.
DEFAULT_MAX_PAGES = 2000
# The page size the character limit is stated for: A4, in square points. A larger page may draw
# proportionally more (a QDA tool exports its coded segments as one page metres long).
LIMIT_PAGE_AREA = 595 * 842


@dataclass(frozen=True)
class ResourceLimits:
    """How much one document may ask for; the defaults fit every real report we know of many times over.

    A dense page of a report draws about 5,000 characters and its content stream takes well under
    a megabyte; a long report as text is under a megabyte. Parsing a text costs about thirty CPU
    seconds per megabyte (spaCy's named-entity recognition nearly all of it) and the PDF parser reads
    about a megabyte of content a second, so past these limits a document would spend minutes for
    nothing a reader uses.
    """

    max_stream_bytes: int = 16 * MB
    max_page_chars: int = 50_000
    max_reference_depth: int = 32
    max_text_bytes: int = 4 * MB

    def page_chars(self, width: float, height: float) -> int:
        """Characters a page of this size (in points) may draw: `max_page_chars` for a page of A4
        or less, and in proportion to its area for a larger one, since the limit is one of density."""
        return int(self.max_page_chars * max(1.0, width * height / LIMIT_PAGE_AREA))

    def too_many_chars(self, number: int, width: float, height: float) -> ResourceLimitExceeded:
        """The error for page `number`, of this size, drawing more characters than it may."""
        return ResourceLimitExceeded(
            f"page {number} draws more than {self.page_chars(width, height):,} characters "
            "(limit: --max-page-chars, per A4 of page)"
        )


_active = ResourceLimits()
_installed = False


def guard_pdf_parser(limits: ResourceLimits) -> None:
    """Make the PDF parser enforce `limits` from now on in this process."""
    global _active, _installed
    _active = limits
    if _installed:
        return
    from pdfminer import pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer

    resolve = pdftypes.PDFObjRef.resolve
    render_char = PDFLayoutAnalyzer.render_char

    def bounded_resolve(self: pdftypes.PDFObjRef, default: object = None) -> Any:
        value, depth = resolve(self, default), 0
        while isinstance(value, pdftypes.PDFObjRef):
            depth += 1
            if depth > _active.max_reference_depth:
                raise ResourceLimitExceeded(
                    f"object {self.objid} refers to itself or through more than "
                    f"{_active.max_reference_depth} other references; the PDF is malformed"
                )
            value = resolve(value, default)
        return value

    def counted_render_char(self: Any, *args: Any, **kwargs: Any) -> float:
        self.evidence_chars = getattr(self, "evidence_chars", 0) + 1
        if self.evidence_chars > _active.max_page_chars:
            page = self._stack[0] if self._stack else self.cur_item  # below any form drawn on the page
            if self.evidence_chars > _active.page_chars(page.width, page.height):
                raise _active.too_many_chars(self.pageno, page.width, page.height)
        return render_char(self, *args, **kwargs)

    # Patching the parser in place is the point here, so the type checker is told so line by line.
    pdftypes.PDFObjRef.resolve = bounded_resolve  # type: ignore[method-assign]
    PDFLayoutAnalyzer.render_char = counted_render_char  # type: ignore[method-assign]
    pdftypes.zlib = _BoundedZlib()  # type: ignore[assignment]
    _installed = True


class _BoundedZlib:
    """The parts of `zlib` the PDF parser uses, refusing output past the stream limit."""

    error = zlib.error

    def decompress(self, data: bytes) -> bytes:
        inflater = self.decompressobj()
        out = inflater.decompress(data)
        if not inflater.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out

    def decompressobj(self, *args: Any) -> _BoundedInflater:
        return _BoundedInflater(zlib.decompressobj(*args))


class _BoundedInflater:
    def __init__(self, inflater: Any) -> None:
        self._inflater = inflater
        self._produced = 0

    @property
    def eof(self) -> bool:
        return self._inflater.eof

    def decompress(self, data: bytes) -> bytes:
        room = _active.max_stream_bytes - self._produced
        out = self._inflater.decompress(data, room + 1)
        self._produced += len(out)
        if self._produced > _active.max_stream_bytes:
            raise ResourceLimitExceeded(
                f"a compressed stream expands past {_active.max_stream_bytes // MB} MB (limit: --max-stream-mb)"
            )
        return out
