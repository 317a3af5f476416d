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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("data", type=Path)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args(argv)

    from bench.measure import peak_rss_mb
    from index.embedder import SentenceTransformerEmbedder
    from pipeline.ingest_run import IngestOptions, run_ingest

    options = IngestOptions(show_progress=False)
    if args.workers:
        options.workers = args.workers
    summary = run_ingest(args.manifest, args.data, SentenceTransformerEmbedder, options)
    figures = {
        "seconds": summary.seconds,
        "process_seconds": time.perf_counter() - STARTED,
        "documents": summary.documents, "parsed": summary.parsed, "unchanged": summary.unchanged,
        "pages": summary.pages, "sections": summary.sections, "passages": summary.passages,
        "quotes": summary.quotes, "embedded": summary.embedded, "model_loaded": summary.model_loaded,
        "failures": summary.failures, "workers": options.workers,
        "stage_seconds": summary.stage_seconds, "worker_seconds": summary.worker_seconds,
        "peak_rss": peak_rss_mb(),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
