"""Score the OCR path against the text path of the same PDF: words read right, quotations kept.

A PDF with a text layer is rendered page by page to images and wrapped as an image-only PDF,
which the pipeline can only read by OCR. The text layer's reading of the original is the
reference, and words are compared page by page (see `words` for what a word is). Word accuracy
is counted two ways, both as a share of the reference's words:

- in reading order: the words of the two readings aligned in order (difflib's matching blocks,
  no junk heuristic), so a word read right but put elsewhere on the page does not count;
- in any order: the words the two readings share, counted with multiplicity, wherever they stand
  (a table read column by column where the text layer reads it row by row loses nothing here).

The gap between the two is what reading order costs. Quotation recall is the share of the
reference's quotations the OCR'd document yields too (matched by the rule the annotated
evaluation uses).
"""

from __future__ import annotations

import re
import resource
import time
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

import pypdfium2

from ingest.clean import normalise
from ingest.ocr import load_pdf_with_ocr, render_page
from ingest.pdf_layout import load_pdf
from ingest.quotes import find_quotes
from ingest.records import Quote, RawDocument
from ingest.text.sentences import SUPERSCRIPT_DIGITS
from queries.evaluation.quotations import score_quotes

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# Footnote markers set as superscripts are not words, and OCR reads them as plain digits or not at all.
_SUPERSCRIPTS = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
# Characters of a quotation's start used to place it in the text, as annotations do.
PLACE_CHARS = 40
# Resolution of the image-only renditions: the setting document scanners usually use, whatever OCR reads them at.
SCAN_DPI = 300


@dataclass(frozen=True)
class OcrScores:
    """How the OCR reading of one PDF compares with its text layer."""

    document: str
    pages: int
    reference_words: int
    matched_words: int
    matched_words_any_order: int
    reference_quotes: int
    matched_quotes: int
    ocr_seconds: float
    ocr_cpu_seconds: float  # Tesseract's and this process's (rendering, reading Tesseract's output)
    tesseract_cpu_seconds: float
    mean_confidence: float

    @property
    def word_accuracy(self) -> float:
        return self.matched_words / self.reference_words if self.reference_words else 1.0

    @property
    def word_accuracy_any_order(self) -> float:
        return self.matched_words_any_order / self.reference_words if self.reference_words else 1.0

    @property
    def quote_recall(self) -> float:
        return self.matched_quotes / self.reference_quotes if self.reference_quotes else 1.0

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.ocr_seconds if self.ocr_seconds else 0.0

    @property
    def cpu_seconds_per_page(self) -> float:
        return self.ocr_cpu_seconds / self.pages if self.pages else 0.0


def image_only_pdf(source: Path, target: Path, dpi: int = SCAN_DPI) -> int:
    """Write `target`: every page of `source` as a picture only, no text layer; return the page count."""
    with pypdfium2.PdfDocument(str(source)) as document:
        images = [render_page(document, number, dpi) for number in range(1, len(document) + 1)]
    images[0].save(target, format="PDF", save_all=True, append_images=images[1:], resolution=float(dpi))
    return len(images)


def words(text: str) -> list[str]:
    """Words as OCR accuracy counts them: case folded; dashes, punctuation and superscripts apart;
    line-end hyphens joined."""
    return [w.casefold() for w in _WORD.findall(_SUPERSCRIPTS.sub(" ", re.sub(r"-\n(?=[a-z])", "", text)))]


def matched_words(reference: str, hypothesis: str) -> int:
    """Reference words OCR read the same, aligned in order."""
    matcher = SequenceMatcher(None, words(reference), words(hypothesis), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks())


def matched_words_any_order(reference: str, hypothesis: str) -> int:
    """Reference words OCR read the same, wherever on the page it put them."""
    return sum((Counter(words(reference)) & Counter(words(hypothesis))).values())


def evaluate_ocr(source: Path, workdir: Path) -> OcrScores:
    """OCR an image-only copy of `source` and compare it with the text layer's reading."""
    reference = load_pdf(source)
    scanned = workdir / f"{source.stem}.image-only.pdf"
    image_only_pdf(source, scanned)
    start, cpu_start, tesseract_start = time.perf_counter(), _cpu_seconds(), _children_cpu_seconds()
    ocr = load_pdf_with_ocr(scanned)
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu_start
    tesseract = _children_cpu_seconds() - tesseract_start
    by_number = {page.number: page.text for page in ocr.pages}
    reference_quotes = _quotes(reference)
    found = _quotes(ocr)
    scores = score_quotes(found, [_as_annotation(q) for q in reference_quotes], normalise(ocr).text)
    confidences = [page.ocr_confidence for page in ocr.pages if page.ocr_confidence is not None]
    return OcrScores(
        document=source.stem,
        pages=len(ocr.pages),
        reference_words=sum(len(words(page.text)) for page in reference.pages),
        matched_words=sum(matched_words(page.text, by_number.get(page.number, "")) for page in reference.pages),
        matched_words_any_order=sum(
            matched_words_any_order(page.text, by_number.get(page.number, "")) for page in reference.pages
        ),
        reference_quotes=len(reference_quotes),
        matched_quotes=scores.matched,
        ocr_seconds=seconds,
        ocr_cpu_seconds=cpu,
        tesseract_cpu_seconds=tesseract,
        mean_confidence=sum(confidences) / len(confidences) if confidences else 0.0,
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of the OCR processes it has waited for."""
    return time.process_time() + _children_cpu_seconds()


def _children_cpu_seconds() -> float:
    """CPU time of the finished child processes (the Tesseract runs) this process has waited for."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return children.ru_utime + children.ru_stime


def _quotes(raw: RawDocument) -> list[Quote]:
    return find_quotes(normalise(raw).text)


def _as_annotation(quote: Quote) -> dict:
    code = quote.attribution.code if quote.attribution and quote.attribution.source_kind == "interview" else None
    return {"text": quote.text, "respondent": code, "start": quote.text[:PLACE_CHARS]}
