"""PDF text extraction speed: our layout-aware loader (with cleaning) beside raw pdfplumber
`extract_text()` on the same pages and beside pypdfium2, a practical ceiling for text from PDF."""

from __future__ import annotations

import time
from pathlib import Path


def _ours(path: Path) -> int:
    from ingest.clean import normalise
    from ingest.pdf_layout import load_pdf

    raw = load_pdf(path)
    normalise(raw)
    return len(raw.pages)


def _pdfplumber(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def _pdfium(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        return len(document)
    finally:
        document.close()


EXTRACTORS = {"ours": _ours, "pdfplumber": _pdfplumber, "pypdfium2": _pdfium}


def pdf_speed(paths: list[Path]) -> dict:
    """Pages per second of each extractor over the same files, file by file in turn so that
    changing load on the machine falls on all three alike; ratios are ours over the others."""
    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    pages = dict.fromkeys(EXTRACTORS, 0)
    for path in paths:
        for name, extract in EXTRACTORS.items():
            start = time.perf_counter()
            pages[name] += extract(path)
            seconds[name] += time.perf_counter() - start
    rate = {name: pages[name] / seconds[name] for name in EXTRACTORS}
    return {
        "pages": pages["ours"],
        "seconds": seconds,
        "pages_per_second": rate,
        "ours_vs_pdfplumber": rate["ours"] / rate["pdfplumber"],
        "ours_vs_pypdfium2": rate["ours"] / rate["pypdfium2"],
    }
