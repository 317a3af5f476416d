"""Read the pages of a PDF that carry no text layer (scans, photographed pages) with Tesseract OCR.

OCR is slower and less exact than a text layer, so it is only a fallback: a page is read this
way when the layout loader found (next to) no words on it and an image covers much of the page. Each OCR'd page
keeps the mean confidence of its words, so a reader can weigh what came from it.

Tesseract is a system program (Debian `tesseract-ocr`, installed by `make setup`) with its
English model on disk; nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from collections import Counter, deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingest.errors import DocumentError
from ingest.limits import ResourceLimits
from ingest.pdf_layout import (
    FURNITURE_MIN_SHARE,
    MARGIN_ZONE,
    PdfNoTextLayer,
    PdfUnreadable,
    RangeMapper,
    load_pdf,
)
from ingest.pdf_readers import DEFAULT_PDF_READER
from ingest.records import RawDocument, RawPage
from pipeline.workers import default_workers

TESSERACT = "tesseract"
LANGUAGE = "eng"
# Resolution pages are rendered at. Tesseract scales every text line to one height before reading
# it, so a finer rendering mostly costs page analysis: measured on 300 dpi scans of reports, 150 dpi
# reads words as well as 200 or 300 dpi do, at two thirds of the CPU time of 300.
OCR_DPI = 150
# One Tesseract process per core, each single-threaded: its own threads slow it down on a busy machine.
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}
# Seconds one page may take before Tesseract is stopped.
PAGE_TIMEOUT = 120.0
# A page with no words in its text layer is read when an image covers at least this share of it;
FIGURE_MIN_SHARE = 0.25
# a page with fewer words than this (a stamped page number) only when an image covers nearly all of it.
STAMP_MAX_WORDS = 5
SCAN_MIN_SHARE = 0.9
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-–—(\[]?\s*\d{1,4}\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


class OcrError(DocumentError):
    """A page needed OCR and it could not be done or found no words."""


class OcrUnavailable(OcrError):
    """Tesseract is not installed."""


class OcrFoundNothing(OcrError):
    """OCR ran on pages without a text layer and read no words on any of them."""


@dataclass(frozen=True)
class OcrLine:
    """One line Tesseract read, with the paragraph it belongs to and its place on the page (0..1 from the top)."""

    paragraph: tuple[int, int]
    text: str
    top: float
    bottom: float


@dataclass(frozen=True)
class OcrPage:
    """The lines Tesseract read on one page and the mean confidence (0..1) of its words."""

    lines: tuple[OcrLine, ...]
    confidence: float

    @property
    def text(self) -> str:
        """Paragraphs as Tesseract found them, separated by blank lines."""
        paragraphs: dict[tuple[int, int], list[str]] = {}
        for line in self.lines:
            paragraphs.setdefault(line.paragraph, []).append(line.text)
        return "\n\n".join("\n".join(lines) for lines in paragraphs.values())


def load_pdf_with_ocr(
    path: Path, *, password: str | None = None, max_pages: int | None = None,
    limits: ResourceLimits | None = None, ocr: bool = True, reader: str = DEFAULT_PDF_READER,
    map_ranges: RangeMapper | None = None,
) -> RawDocument:
    """Read a PDF by its text layer, and OCR the pages that have none (unless `ocr` is off).

    `reader` and `map_ranges` are passed to `load_pdf`."""
    path = Path(path)
    try:
        raw = load_pdf(path, password=password, max_pages=max_pages, limits=limits, reader=reader,
                       map_ranges=map_ranges)
    except PdfNoTextLayer:
        if not ocr:
            raise PdfNoTextLayer(f"{path} has no text layer and OCR is turned off") from None
        raw = None
    if raw is not None and not ocr:
        return raw
    return _fill_pages(path, raw, password)


def _fill_pages(path: Path, raw: RawDocument | None, password: str | None) -> RawDocument:
    """OCR every image page whose text layer gave no words; a document with no text at all must yield some."""
    with _open(path, password) as document:
        texts = {page.number: page.text for page in raw.pages} if raw else {}
        numbers = [n for n in range(1, len(document) + 1) if needs_ocr(document, n, texts.get(n, ""))]
        if raw is not None and not numbers:
            return raw
        if not numbers:
            raise PdfNoTextLayer(f"{path} has no text layer and no page that looks scanned (no page-sized image)")
        read = dict(zip(numbers, without_running_lines(ocr_pages(document, numbers))))
        total = len(document)
    if raw is None and not any(page.text.strip() for page in read.values()):
        raise OcrFoundNothing(f"{path} has no text layer and OCR found no words on its {len(read)} scanned page(s)")
    pages = raw.pages if raw else [RawPage(number=n, text="") for n in range(1, total + 1)]
    return RawDocument(
        pages=[
            replace(page, text=read[page.number].text, ocr_confidence=read[page.number].confidence)
            if page.number in read else page
            for page in pages
        ],
        source_format="pdf",
    )


def _open(path: Path, password: str | None) -> pypdfium2.PdfDocument:
    try:
        return pypdfium2.PdfDocument(str(path), password=password)
    except pypdfium2.PdfiumError as error:
        raise PdfUnreadable(f"{path} cannot be rendered for OCR: {error}") from None


def needs_ocr(document: pypdfium2.PdfDocument, number: int, text: str) -> bool:
    """Whether a page is a picture of text: no words in its text layer and an image on a good part of it,
    or a mere stamp of words (a page number) over an image that covers the page, as scanners leave."""
    words = len(text.split())
    if words >= STAMP_MAX_WORDS:
        return False
    share = _largest_image_share(document, number)
    return share >= (FIGURE_MIN_SHARE if words == 0 else SCAN_MIN_SHARE)


def _largest_image_share(document: pypdfium2.PdfDocument, number: int) -> float:
    page = document[number - 1]
    try:
        width, height = page.get_size()
        areas = [
            (right - left) * (top - bottom)
            for left, bottom, right, top in (
                image.get_bounds() for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3)
            )
        ]
        return max(areas, default=0.0) / (width * height) if width and height else 0.0
    finally:
        page.close()


def render_page(document: pypdfium2.PdfDocument, number: int, dpi: int = OCR_DPI) -> Image.Image:
    """One page as a greyscale image at `dpi`, which the image carries (Tesseract sizes text by it)."""
    page = document[number - 1]
    try:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        page.close()
    image.info["dpi"] = (dpi, dpi)
    return image


def ocr_pages(document: pypdfium2.PdfDocument, numbers: Sequence[int], workers: int | None = None) -> list[OcrPage]:
    """OCR the numbered pages in order, one single-threaded Tesseract process per core at a time.

    Pages are rendered here, one at a time (pdfium must not be called from two threads), a
    few pages ahead of the Tesseract processes, so a long scan never holds all its page images.
    """
    workers = workers or default_workers()
    read: list[OcrPage] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: deque[Future[OcrPage]] = deque()
        for number in numbers:
            if len(running) >= 2 * workers:
                read.append(running.popleft().result())
            running.append(pool.submit(ocr_image, render_page(document, number)))
        read.extend(future.result() for future in running)
    return read


def ocr_image(image: Image.Image) -> OcrPage:
    """Read one page image: paragraphs as Tesseract found them, separated by blank lines."""
    executable = shutil.which(TESSERACT)
    if executable is None:
        raise OcrUnavailable("a page has no text layer and Tesseract OCR is not installed (run `make setup`)")
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PPM")  # uncompressed: PNG would cost a fifth of the OCR time
    dpi = round(image.info.get("dpi", (OCR_DPI, OCR_DPI))[0])
    try:
        done = subprocess.run(
            [executable, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "--dpi", str(dpi), "tsv"],
            input=buffer.getvalue(), capture_output=True, timeout=PAGE_TIMEOUT, check=False,
            env={**os.environ, **_TESSERACT_ENV},
        )
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR of a page took longer than {PAGE_TIMEOUT:g} s and was stopped") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise OcrError(f"Tesseract failed: {message[-1] if message else f'exit code {done.returncode}'}")
    return page_from_tsv(done.stdout.decode("utf-8", "replace"))


def page_from_tsv(tsv: str) -> OcrPage:
    """Turn Tesseract's word table into lines and a confidence weighted by word length."""
    words: dict[tuple[int, int, int], list[dict[str, str]]] = {}
    height = 0.0
    weighted = letters = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row.get("level") == "1":
            height = float(row["height"]) or 1.0
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word or float(row.get("conf") or -1) < 0:
            continue
        words.setdefault((int(row["block_num"]), int(row["par_num"]), int(row["line_num"])), []).append(row)
        weighted += float(row["conf"]) * len(word)
        letters += len(word)
    lines = tuple(
        OcrLine(
            paragraph=key[:2],
            text=" ".join(row["text"].strip() for row in row_words),
            top=min(float(row["top"]) for row in row_words) / (height or 1.0),
            bottom=max(float(row["top"]) + float(row["height"]) for row in row_words) / (height or 1.0),
        )
        for key, row_words in words.items()
    )
    return OcrPage(lines=lines, confidence=round(weighted / letters / 100, 4) if letters else 0.0)


def without_running_lines(pages: list[OcrPage]) -> list[OcrPage]:
    """Drop running headers, footers and page numbers: margin lines that repeat across pages or are a number.

    The text layer's loader drops them the same way, so a scanned report reads like a born-digital one.
    """
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_running_key(line) for line in page.lines if _in_margin(line)})
    needed = max(2, FURNITURE_MIN_SHARE * len(pages))
    running = {key for key, n in counts.items() if n >= needed}
    return [
        replace(page, lines=tuple(
            line for line in page.lines
            if not (_in_margin(line) and (_running_key(line) in running or _PAGE_NUMBER.match(line.text)))
        ))
        for page in pages
    ]


def _in_margin(line: OcrLine) -> bool:
    return line.bottom <= MARGIN_ZONE or line.top >= 1 - MARGIN_ZONE


def _running_key(line: OcrLine) -> str:
    """A line's text with numbers blanked, so 'Page 3' and 'Page 4' are one footer."""
    return _DIGITS.sub("#", " ".join(line.text.casefold().split()))
