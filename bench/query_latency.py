"""Query latency: warm, in-process p50/p95 for theme evidence (codebook theme and free text),
passage search and quotation listings; and cold command-line wall time from start to the first
printed result."""

from __future__ import annotations

import itertools
import statistics
import subprocess
import time
from pathlib import Path

from bench.ingest_figures import ROOT, BenchStepFailed, bench_env
from bench.measure import latency_figures, repeat

CODEBOOK_THEME = "dedicated and ongoing resources"
FREE_TEXTS = (
    "funding for care homes after the pilot ended",
    "trust between health and social care partners",
    "leadership continuity when managers moved on",
    "sharing data with care homes during covid",
    "national rollout of a local model",
    "staff turnover and recruitment problems",
    "GP engagement with care home residents",
    "evaluation evidence that the model works",
)
COLD_FREE_TEXT = "funding for care homes after the pilot ended"
# Quotations a listing shows at once, as a reviewer pages through them.
QUOTES_LIMIT = 50


def warm_latency(data_dir: Path, embedder, times: int = 40) -> dict[str, dict[str, float]]:
    """Per-query seconds with the model loaded and the store opened once, as in a long-lived process:
    theme evidence (codebook theme, free text), passage search, and quotation listings (the
    interview quotations, the first QUOTES_LIMIT; one document's quotations, a different document each time)."""
    from queries.search.quote_filters import QuoteFilter
    from queries.store import EvidenceStore

    free = itertools.cycle(FREE_TEXTS)
    searched = itertools.cycle(FREE_TEXTS[::-1])
    interviews = QuoteFilter(kinds=("interview",))
    with EvidenceStore(data_dir, lambda: embedder) as store:
        with store.connection() as con:
            documents = itertools.cycle([QuoteFilter(docs=(row[0],)) for row in con.execute(
                "SELECT doc_id FROM documents WHERE status = 'ok' ORDER BY doc_id").fetchall()])
        return {
            "theme_codebook": latency_figures(repeat(lambda: store.theme(CODEBOOK_THEME), times)),
            "theme_free_text": latency_figures(repeat(lambda: store.theme(next(free)), times)),
            "search": latency_figures(repeat(lambda: store.search(next(searched), 10), times)),
            "quotes_interviews": latency_figures(repeat(lambda: store.quotes(interviews, QUOTES_LIMIT), times)),
            "quotes_document": latency_figures(repeat(lambda: store.quotes(next(documents)), times)),
        }


def first_result_seconds(args: list[str], data_dir: Path) -> float:
    """Seconds from starting `evidence ARGS` until it prints its first line of results on stdout."""
    command = [str(ROOT / ".venv" / "bin" / "evidence"), *args, "--data", str(data_dir)]
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, env=bench_env(), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as process:
        line = process.stdout.readline() if process.stdout else ""
        seconds = time.perf_counter() - start
        _, errors = process.communicate()
    if process.returncode != 0 or not line.strip():
        raise BenchStepFailed(f"{' '.join(args)} failed ({process.returncode}): {errors.strip()[-500:]}")
    return seconds


def cold_cli(data_dir: Path, times: int = 3) -> dict[str, float]:
    """Median first-result time of fresh `evidence theme` processes, codebook theme and free text."""
    return {
        "theme_codebook_seconds": statistics.median(
            first_result_seconds(["theme", CODEBOOK_THEME], data_dir) for _ in range(times)),
        "theme_free_text_seconds": statistics.median(
            first_result_seconds(["theme", COLD_FREE_TEXT], data_dir) for _ in range(times)),
        "search_seconds": statistics.median(
            first_result_seconds(["search", COLD_FREE_TEXT], data_dir) for _ in range(times)),
    }
