"""Run one ingest in a fresh process and print its figures as JSON on the last line.

A fresh process per ingest makes "cold" honest (nothing imported or loaded yet) and gives each
run its own peak memory: ru_maxrss never goes down within a process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingest.pdf_readers import DEFAULT_PDF_READER, PDF_READERS  # noqa: E402  (light: no PDF library)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--embedder", choices=("int8", "fp32"), default=None, help="default: int8 when built")
    parser.add_argument("--executor", choices=("local", "ray"), default="local")
    parser.add_argument("--address", default=None, help="the Ray cluster to use")
    parser.add_argument("--pdf-reader", choices=PDF_READERS, default=DEFAULT_PDF_READER)
    args = parser.parse_args(argv)

    from functools import partial

    from bench.measure import peak_rss_mb
    from index.embedder import SentenceTransformerEmbedder
    from pipeline.ingest_run import IngestOptions, run_ingest

    options = IngestOptions(show_progress=False, executor=args.executor, address=args.address,
                            pdf_reader=args.pdf_reader)
    if args.workers or args.executor == "ray":
        options.workers = args.workers
    embedder = partial(SentenceTransformerEmbedder, precision=args.embedder)
    summary = run_ingest(args.manifest, args.data, embedder, options)
    figures = {
        "seconds": summary.seconds,
        "process_seconds": time.perf_counter() - STARTED,
        "documents": summary.documents, "parsed": summary.parsed, "unchanged": summary.unchanged,
        "pages": summary.pages, "sections": summary.sections, "passages": summary.passages,
        "quotes": summary.quotes, "embedded": summary.embedded, "model_loaded": summary.model_loaded,
        "failures": summary.failures, "workers": options.workers, "executor": args.executor,
        "pdf_reader": args.pdf_reader,
        "embedder": embedder().precision,
        "stage_seconds": summary.stage_seconds, "worker_seconds": summary.worker_seconds,
        "peak_rss": peak_rss_mb(),
        "cpu_seconds": _cpu_seconds(),
    }
    print(json.dumps(figures))


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its finished workers: the work of the ingest, which
    other users of a shared machine stretch far less than its wall time."""
    import resource

    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


if __name__ == "__main__":
    main()
