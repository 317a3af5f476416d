"""OCR against the text path on the seed PDFs: word accuracy, quotation recall and pages per second.

Each seed PDF is rendered to an image-only copy (as a scanner at 300 dpi would make it) and read
back by OCR, one single-threaded Tesseract process per core. Only that reading is timed: making the
copy and reading the original's text layer are not. Speed is given two ways. The wall-clock rate
depends on what else the machine runs; the CPU seconds spent per page (Tesseract, plus rendering
and parsing here) do not, and `IDLE_CORES / cpu_per_page` is the rate that many idle cores reach,
which is the figure the target is set on.

    .venv/bin/python bench/ocr_figures.py [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.measure import Target, say

# The target is set for a two-core machine with nothing else running.
IDLE_CORES = 2


def ocr_figures(pdfs: list[Path], workdir: Path) -> dict:
    """Scores per document and pooled over all of them."""
    from ingest.cores import available_cores
    from queries.evaluation.ocr import evaluate_ocr

    documents = {}
    for pdf in pdfs:
        scores = evaluate_ocr(pdf, workdir)
        documents[scores.document] = {
            "pages": scores.pages, "word_accuracy": scores.word_accuracy,
            "word_accuracy_any_order": scores.word_accuracy_any_order, "quote_recall": scores.quote_recall,
            "reference_quotes": scores.reference_quotes, "matched_quotes": scores.matched_quotes,
            "ocr_seconds": scores.ocr_seconds, "ocr_cpu_seconds": scores.ocr_cpu_seconds,
            "tesseract_cpu_seconds": scores.tesseract_cpu_seconds,
            "mean_confidence": scores.mean_confidence,
        }
        say(f"{scores.document}: {scores.pages} pages, word accuracy {scores.word_accuracy:.4f} in reading order, "
            f"{scores.word_accuracy_any_order:.4f} in any order, quotations "
            f"{scores.matched_quotes}/{scores.reference_quotes}, {scores.pages_per_second:.2f} pages/s, "
            f"{scores.cpu_seconds_per_page:.2f} CPU s/page, "
            f"confidence {scores.mean_confidence:.3f}")
    pages = sum(d["pages"] for d in documents.values())
    seconds = sum(d["ocr_seconds"] for d in documents.values())
    reference = sum(d["reference_quotes"] for d in documents.values())
    cpu = sum(d["ocr_cpu_seconds"] for d in documents.values())
    tesseract = sum(d["tesseract_cpu_seconds"] for d in documents.values())
    return {
        "documents": documents,
        "pages": pages,
        "word_accuracy": _pooled(documents, "word_accuracy"),
        "word_accuracy_any_order": _pooled(documents, "word_accuracy_any_order"),
        "quote_recall": sum(d["matched_quotes"] for d in documents.values()) / reference if reference else 1.0,
        "pages_per_second": pages / seconds if seconds else 0.0,
        "cpu_seconds_per_page": cpu / pages if pages else 0.0,
        "tesseract_cpu_seconds_per_page": tesseract / pages if pages else 0.0,
        "workers": available_cores(),
        "load_average": os.getloadavg()[0],
        "idle_cores": IDLE_CORES,
        "idle_pages_per_second": IDLE_CORES * pages / cpu if cpu else 0.0,
    }


def _pooled(documents: dict, figure: str) -> float:
    """Pages-weighted mean of a per-document figure."""
    pages = sum(d["pages"] for d in documents.values())
    return sum(d[figure] * d["pages"] for d in documents.values()) / pages if pages else 1.0


def ocr_targets(figures: dict) -> list[Target]:
    return [
        Target("OCR word accuracy vs text layer, any order (seed PDFs)", figures["word_accuracy_any_order"], 0.97,
               True),
        Target("OCR word accuracy vs text layer, reading order (seed PDFs)", figures["word_accuracy"], 0.97, True),
        Target("OCR quotation recall vs text path (seed PDFs)", figures["quote_recall"], 0.90, True),
        Target(f"OCR pages/s on {figures['idle_cores']} idle cores ({figures['idle_cores']} / CPU s per page)",
               figures["idle_pages_per_second"], 1.0, True),
    ]


def report(figures: dict) -> None:
    say(f"pooled: word accuracy {figures['word_accuracy_any_order']:.4f} in any order, "
        f"{figures['word_accuracy']:.4f} in reading order, quotation recall {figures['quote_recall']:.3f}; "
        f"{figures['cpu_seconds_per_page']:.2f} CPU s/page ({figures['tesseract_cpu_seconds_per_page']:.2f} in "
        f"Tesseract) = {figures['idle_pages_per_second']:.2f} pages/s on {figures['idle_cores']} idle cores; "
        f"measured {figures['pages_per_second']:.2f} pages/s wall clock with {figures['workers']} Tesseract processes "
        f"on {figures['workers']} cores, load average {figures['load_average']:.1f}")


def main(argv: list[str] | None = None) -> int:
    from bench.run import PDF_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=None, help="keep the image-only PDFs here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="evidence-ocr-") as scratch:
        figures = ocr_figures(sorted(PDF_DIR.glob("*.pdf")), args.workdir or Path(scratch))
    report(figures)
    for target in ocr_targets(figures):
        say(target.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
