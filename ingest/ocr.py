"""Read the pages of a PDF that carry no text layer (scans, photographed pages) with Tesseract OCR.

OCR is slower and less exact than a text layer, so it is only a fallback: a page is read this
way when the layout loader found (next to) no words on it and an image covers much of the page. Each OCR'd page
keeps the mean confidence of its words, so a reader can weigh what came from it.

Tesseract's words, with the ruling lines seen in the page image, are handed to the text layer's
layout as the characters a text layer would hold (`ingest.ocr_layer`), so a scanned page gets the
same reading order, columns, running headers, paragraphs and ruled tables read row by row as a
born-digital one.

Tesseract is a system program (Debian `tesseract-ocr`, installed by `make setup`) with its
English model on disk; nothing is downloaded at run time.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections import deque
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingest.cores import available_cores
from ingest.errors import DocumentError
from ingest.limits import ResourceLimits
from ingest.ocr_layer import OcrLayer, ocr_layer
from ingest.page_rulings import ruling_edges
from ingest.pdf_layout import PdfNoTextLayer, PdfUnreadable, lay_out_pages, load_pdf, page_words
from ingest.pdf_readers import DEFAULT_PDF_READER
from ingest.records import RangeMapper, RawDocument, RawPage

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


class OcrError(DocumentError):
    """A page needed OCR and it could not be done or found no words."""


class OcrUnavailable(OcrError):
    """Tesseract is not installed."""


class OcrFoundNothing(OcrError):
    """OCR ran on pages without a text layer and read no words on any of them."""


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
        layers = ocr_pages(document, numbers)
        total = len(document)
    laid_out = lay_out_pages([page_words(layer.page, number) for number, layer in zip(numbers, layers)])
    read = {page.number: replace(page, ocr_confidence=layer.confidence) for page, layer in zip(laid_out, layers)}
    if raw is None and not any(page.text.strip() for page in read.values()):
        raise OcrFoundNothing(f"{path} has no text layer and OCR found no words on its {len(read)} scanned page(s)")
    pages = raw.pages if raw else [RawPage(number=n, text="") for n in range(1, total + 1)]
    return RawDocument(pages=[read.get(page.number, page) for page in pages], source_format="pdf")


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


def ocr_pages(document: pypdfium2.PdfDocument, numbers: Sequence[int], workers: int | None = None) -> list[OcrLayer]:
    """OCR the numbered pages in order, one single-threaded Tesseract process per core at a time.

    Pages are rendered here, one at a time (pdfium must not be called from two threads), a
    few pages ahead of the Tesseract processes, so a long scan never holds all its page images.
    """
    workers = workers or available_cores()
    read: list[OcrLayer] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        running: deque[Future[OcrLayer]] = deque()
        for number in numbers:
            if len(running) >= 2 * workers:
                read.append(running.popleft().result())
            running.append(pool.submit(ocr_image, render_page(document, number)))
        read.extend(future.result() for future in running)
    return read


def ocr_image(image: Image.Image) -> OcrLayer:
    """Read one page image: Tesseract's words and the image's ruling lines, as a text layer."""
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
    return ocr_layer(done.stdout.decode("utf-8", "replace"), dpi, ruling_edges(image, dpi))
