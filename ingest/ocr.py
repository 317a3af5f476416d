"""Read the pages of a PDF that carry no text layer (scans, photographed pages) with Tesseract OCR.

OCR is slower and less exact than a text layer, so it is only a fallback: a page is read this
way when the layout loader found no words on it and the page holds an image. Each OCR'd page
keeps the mean confidence of its words, so a reader can weigh what came from it.

Tesseract is a system program (Debian `tesseract-ocr`, installed by `make setup`) with its
English model on disk; nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image

from ingest.errors import DocumentError
from ingest.pdf_layout import PdfNoTextLayer, PdfUnreadable, load_pdf
from ingest.records import RawDocument, RawPage

TESSERACT = "tesseract"
LANGUAGE = "eng"
# Resolution pages are rendered at: Tesseract reads body text best at about 300 dpi.
OCR_DPI = 300
# One Tesseract process per core, each single-threaded: its own threads slow it down on a busy machine.
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}
# Seconds one page may take before Tesseract is stopped.
PAGE_TIMEOUT = 120.0


class OcrError(DocumentError):
    """A page needed OCR and it could not be done or found no words."""


class OcrUnavailable(OcrError):
    """Tesseract is not installed."""


class OcrFoundNothing(OcrError):
    """OCR ran on pages without a text layer and read no words on any of them."""


@dataclass(frozen=True)
class OcrPage:
    """The text Tesseract read on one page and the mean confidence (0..1) of its words."""

    text: str
    confidence: float


def load_pdf_with_ocr(
    path: Path, *, password: str | None = None, max_pages: int | None = None, ocr: bool = True
) -> RawDocument:
    """Read a PDF by its text layer, and OCR the pages that have none (unless `ocr` is off)."""
    path = Path(path)
    try:
        raw = load_pdf(path, password=password, max_pages=max_pages)
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
        numbers = [n for n in range(1, len(document) + 1) if not texts.get(n, "").strip() and _has_image(document, n)]
        if raw is not None and not numbers:
            return raw
        read = dict(zip(numbers, ocr_pages([render_page(document, n) for n in numbers])))
        total = len(document)
    if raw is None and not any(page.text.strip() for page in read.values()):
        raise OcrFoundNothing(f"{path} has no text layer and OCR found no words on its {total} page(s)")
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


def _has_image(document: pypdfium2.PdfDocument, number: int) -> bool:
    """Whether the page draws any image: a page with neither words nor images is blank, not scanned."""
    page = document[number - 1]
    try:
        return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    finally:
        page.close()


def render_page(document: pypdfium2.PdfDocument, number: int, dpi: int = OCR_DPI) -> Image.Image:
    """One page as a greyscale image at `dpi`."""
    page = document[number - 1]
    try:
        return page.render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        page.close()


def ocr_pages(images: Sequence[Image.Image], workers: int | None = None) -> list[OcrPage]:
    """OCR page images in order, one Tesseract process per core at a time."""
    if not images:
        return []
    workers = workers or max(len(os.sched_getaffinity(0)), 1)
    with ThreadPoolExecutor(max_workers=min(workers, len(images))) as pool:
        return list(pool.map(ocr_image, images))


def ocr_image(image: Image.Image) -> OcrPage:
    """Read one page image: paragraphs as Tesseract found them, separated by blank lines."""
    executable = shutil.which(TESSERACT)
    if executable is None:
        raise OcrUnavailable("a page has no text layer and Tesseract OCR is not installed (run `make setup`)")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    try:
        done = subprocess.run(
            [executable, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"],
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
    """Turn Tesseract's word table into text and a confidence weighted by word length."""
    paragraphs: dict[tuple[str, str], dict[str, list[str]]] = {}
    weighted = letters = 0.0
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if row.get("level") != "5" or not word or float(row.get("conf") or -1) < 0:
            continue
        lines = paragraphs.setdefault((row["block_num"], row["par_num"]), {})
        lines.setdefault(row["line_num"], []).append(word)
        weighted += float(row["conf"]) * len(word)
        letters += len(word)
    text = "\n\n".join("\n".join(" ".join(words) for words in lines.values()) for lines in paragraphs.values())
    return OcrPage(text=text, confidence=round(weighted / letters / 100, 4) if letters else 0.0)
