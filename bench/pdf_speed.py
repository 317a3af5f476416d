"""PDF text extraction speed: our layout-aware loader (with cleaning) with its pdfium character
reader and with the old pdfplumber one, beside raw pdfplumber `extract_text()` on the same pages
and beside raw pypdfium2 text, a practical ceiling for text from PDF; and one long PDF read by
one and by two workers."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any


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
    are imported before the clock starts, so that the first extractor does not pay for all, and
    each extractor's clock runs until its own garbage is collected: pdfminer leaves hundreds of
    thousands of objects in reference cycles, and whichever extractor ran next paid for collecting
    them (ours read one 8-page file in 0.8 s instead of 0.2 s that way)."""
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
            gc.collect()
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
    from ingest.cores import one_blas_thread
    from ingest.pdf_layout import load_pdf
    from pipeline.workers import PoolMapper

    def read(mapper: PoolMapper | None) -> tuple[float, int]:
        start = time.perf_counter()
        with one_blas_thread():  # as in an ingest's worker, where a document is read
            raw = load_pdf(path, map_ranges=mapper)
            normalise(raw, parallel=mapper)
        return time.perf_counter() - start, len(raw.pages)

    one, pool = [], []
    for _ in range(rounds):
        seconds, pages = read(None)
        one.append(seconds)
        pool.append(read(PoolMapper(workers))[0])
    return {"pages": pages, "workers": workers, "one_worker_seconds": min(one), "pool_seconds": min(pool),
            "speedup": min(one) / min(pool)}


class _TimedMapper:
    """The worker pool, counting the wall and parent CPU seconds spent inside its calls: the rest
    of a parse is what the parent does alone, the serial part."""

    def __init__(self, workers: int) -> None:
        from pipeline.workers import PoolMapper

        self.pool = PoolMapper(workers)
        self.wall = 0.0
        self.parent_cpu = 0.0

    def __call__(self, fn, args):
        return self._timed(self.pool, fn, args)

    def map_beside(self, fn, args, beside):
        results, beside_result = self._timed(self.pool.map_beside, fn, args, beside)
        return results, lambda: self._timed(beside_result)

    def _timed(self, call, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return call(*args)
        finally:
            self.wall += time.perf_counter() - wall
            self.parent_cpu += time.process_time() - cpu


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def long_parse_speedup(path: Path, workers: int, rounds: int = 2) -> dict:
    """The whole parse stage (load .. entities) of one long PDF with one worker and with `workers`
    for its page ranges and text pieces, alternated for `rounds` rounds: the best wall times, and
    CPU seconds (this process and its workers), which a shared machine disturbs far less.

    The serial part is the CPU the parent spends outside the workers' calls in a pooled parse;
    Amdahl's law with it gives the speedup on an idle machine of `workers` cores."""
    from ingest.cores import one_blas_thread
    from ingest.document import entity_extractor, parse_document

    entity_extractor()

    def parse(mapper: _TimedMapper | None) -> dict[str, Any]:
        wall, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        with one_blas_thread():  # as in an ingest's worker: a second BLAS thread would lend one worker two cores
            parsed = parse_document(path, map_ranges=mapper)
        parent_cpu = time.process_time() - cpu
        figures: dict[str, Any] = {"wall": time.perf_counter() - wall, "cpu": parent_cpu + _children_cpu() - children,
                                   "parent_cpu": parent_cpu, "stages": parsed.timings}
        if mapper is not None:
            figures["serial_cpu"] = figures["parent_cpu"] - mapper.parent_cpu
        return figures

    one, pool = [], []
    for _ in range(rounds):
        one.append(parse(None))
        pool.append(parse(_TimedMapper(workers)))
    one_wall, pool_wall = min(r["wall"] for r in one), min(r["wall"] for r in pool)
    one_cpu = min(r["cpu"] for r in one)
    serial = min(r["serial_cpu"] for r in pool) / one_cpu
    return {"workers": workers, "rounds": rounds, "one_worker_seconds": one_wall, "pool_seconds": pool_wall,
            "speedup": one_wall / pool_wall, "one_worker_cpu_seconds": one_cpu,
            "pool_cpu_seconds": min(r["cpu"] for r in pool), "serial_fraction": serial,
            "amdahl_speedup": 1 / (serial + (1 - serial) / workers),
            "one_worker_stages": one[0]["stages"], "pool_stages": pool[0]["stages"],
            "runs": {"one": one, "pool": pool}}


def long_ingest_speedup(path: Path, workdir: Path, workers: int, rounds: int = 2) -> dict:
    """The parse stage of an ingest of the long PDF alone, with one worker and with `workers`,
    alternated: the path `evidence ingest` takes, where the document's own worker process starts
    the processes for its page ranges and text pieces. Vectors come from the hashing embedder, so
    the run's other stages stay short; they are not measured here."""
    from bench.ingest_figures import BenchStepFailed
    from index.embedder import HashingEmbedder
    from pipeline.ingest_run import IngestOptions, run_ingest

    workdir.mkdir(parents=True, exist_ok=True)
    manifest = workdir / "manifest.yaml"
    manifest.write_text(f"root: {path.parent}\ndocuments:\n  - {{id: long, path: {path.name}, title: Long}}\n",
                        encoding="utf-8")

    def parse_seconds(count: int, run: int) -> float:
        summary = run_ingest(manifest, workdir / f"data-{count}-{run}", HashingEmbedder,
                             IngestOptions(workers=count, show_progress=False))
        if summary.failures:
            raise BenchStepFailed(f"the long PDF failed to ingest with {count} workers: {summary.failures[0][1]}")
        return summary.stage_seconds["parse"]

    one, pool = [], []
    for run in range(rounds):
        one.append(parse_seconds(1, run))
        pool.append(parse_seconds(workers, run))
    return {"workers": workers, "rounds": rounds, "one_worker_seconds": min(one), "pool_seconds": min(pool),
            "speedup": min(one) / min(pool)}
