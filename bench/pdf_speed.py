"""PDF text extraction speed: our layout-aware loader (with cleaning) with its pdfium character
reader and with the old pdfplumber one, beside raw pdfplumber `extract_text()` on the same pages
and beside raw pypdfium2 text, a practical ceiling for text from PDF; and one long PDF read by
one and by two workers."""

from __future__ import annotations

import time
from pathlib import Path


def _ours(path: Path, reader: str = "pypdfium2") -> int:
    from ingest.clean import normalise
    from ingest.pdf_layout import load_pdf

    raw = load_pdf(path, reader=reader)
    normalise(raw)
    return len(raw.pages)


def _ours_pdfplumber(path: Path) -> int:
    return _ours(path, reader="pdfplumber")


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


EXTRACTORS = {"ours": _ours, "ours_pdfplumber": _ours_pdfplumber, "pdfplumber": _pdfplumber, "pypdfium2": _pdfium}


def pdf_speed(paths: list[Path]) -> dict:
    """Pages per second of each extractor over the same files, file by file in turn so that
    changing load on the machine falls on all alike; ratios are ours over the others. Libraries
    are imported before the clock starts, so that the first extractor does not pay for all."""
    import pdfplumber  # noqa: F401
    import pypdfium2  # noqa: F401

    import ingest.clean
    import ingest.pdf_layout  # noqa: F401

    seconds = dict.fromkeys(EXTRACTORS, 0.0)
    cpu_seconds = dict.fromkeys(EXTRACTORS, 0.0)
    pages = dict.fromkeys(EXTRACTORS, 0)
    for path in paths:
        for name, extract in EXTRACTORS.items():
            start, cpu_start = time.perf_counter(), time.process_time()
            pages[name] += extract(path)
            seconds[name] += time.perf_counter() - start
            cpu_seconds[name] += time.process_time() - cpu_start
    rate = {name: pages[name] / seconds[name] for name in EXTRACTORS}
    return {
        "pages": pages["ours"],
        "seconds": seconds,
        "pages_per_second": rate,
        # CPU time of this process: what the other users of a shared machine disturb least.
        "cpu_seconds": cpu_seconds,
        "ours_vs_old_pdfplumber_path_cpu": cpu_seconds["ours_pdfplumber"] / cpu_seconds["ours"],
        "ours_vs_old_pdfplumber_path": rate["ours"] / rate["ours_pdfplumber"],
        "ours_vs_pdfplumber": rate["ours"] / rate["pdfplumber"],
        "ours_vs_pypdfium2": rate["ours"] / rate["pypdfium2"],
    }


def write_long_pdf(sources: list[Path], n_pages: int, path: Path) -> Path:
    """A PDF of `n_pages` pages made by repeating the pages of `sources` in turn: a long report."""
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    try:
        while len(document) < n_pages:
            for source in sources:
                if len(document) >= n_pages:
                    break
                with_pages = pypdfium2.PdfDocument(str(source))
                try:
                    wanted = min(len(with_pages), n_pages - len(document))
                    document.import_pages(with_pages, list(range(wanted)))
                finally:
                    with_pages.close()
        document.save(str(path))
    finally:
        document.close()
    return path


def long_pdf_speedup(path: Path, workers: int, rounds: int = 2) -> dict:
    """Wall time to read one long PDF (the PDF path, cleaning included) in one piece and as page
    ranges on `workers` processes, alternated so that load from other users hits both alike."""
    from ingest.clean import normalise
    from ingest.pdf_layout import load_pdf
    from pipeline.workers import PoolMapper

    def read(mapper: PoolMapper | None) -> tuple[float, int]:
        start = time.perf_counter()
        raw = load_pdf(path, map_ranges=mapper)
        normalise(raw)
        return time.perf_counter() - start, len(raw.pages)

    one, pool = [], []
    for _ in range(rounds):
        seconds, pages = read(None)
        one.append(seconds)
        pool.append(read(PoolMapper(workers))[0])
    return {"pages": pages, "workers": workers, "one_worker_seconds": min(one), "pool_seconds": min(pool),
            "speedup": min(one) / min(pool)}


def long_parse_speedup(path: Path, workers: int) -> dict:
    """Wall time of the whole parse stage (load .. entities) of one long PDF with one worker and
    with `workers` for its page ranges: what a long report costs an ingest."""
    from ingest.document import entity_extractor, parse_document
    from pipeline.workers import PoolMapper

    entity_extractor()

    def parse(mapper: PoolMapper | None) -> tuple[float, dict]:
        start = time.perf_counter()
        parsed = parse_document(path, map_ranges=mapper)
        return time.perf_counter() - start, parsed.timings

    one, one_stages = parse(None)
    pool, pool_stages = parse(PoolMapper(workers))
    return {"workers": workers, "one_worker_seconds": one, "pool_seconds": pool, "speedup": one / pool,
            "one_worker_stages": one_stages, "pool_stages": pool_stages}
