"""Ingest figures: cold and warm runs in fresh processes, and the parse stage with one worker
against the process pool."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Run stages (parent process) and parse stages (summed over worker processes), in flow order.
WORKER_STAGES = ("load", "clean", "structure", "extract", "entities")
RUN_STAGES = ("load models", "parse", "store", "embed", "themes", "index")


class BenchStepFailed(RuntimeError):
    """A measured step did not finish cleanly, so its figures would mean nothing."""


def bench_env(root: Path = ROOT) -> dict[str, str]:
    """The environment every measured subprocess gets: offline model, the tree at `root` importable."""
    env = dict(os.environ)
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    return env


def ingest_in_child(manifest: Path, data_dir: Path, workers: int | None = None,
                    options: tuple[str, ...] = (), root: Path = ROOT) -> dict:
    """Run one whole ingest in a fresh interpreter with the code of the tree at `root` (this one by
    default); its figures, plus wall time seen from outside. `options` go to bench/ingest_child.py
    as they are (`--embedder fp32`, `--executor ray` ...)."""
    command = [sys.executable, "-m", "bench.ingest_child", str(manifest.resolve()), str(data_dir.resolve()), *options]
    if workers:
        command += ["--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=bench_env(root), capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise BenchStepFailed(f"ingest of {manifest} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    if figures["failures"]:
        raise BenchStepFailed(f"documents failed in {manifest}: {figures['failures']}")
    figures["wall_seconds"] = wall
    return figures


def per_unit(figures: dict) -> dict[str, float]:
    """Seconds per page and per quotation of one cold ingest."""
    seconds = figures["seconds"]
    return {
        "seconds_per_page": seconds / max(figures["pages"], 1),
        "seconds_per_quote": seconds / max(figures["quotes"], 1),
        "seconds_per_passage": seconds / max(figures["passages"], 1),
    }


def parse_pool_speedup(paths: list[Path], workers: int, rounds: int = 1) -> dict:
    """Wall time of the parse stage alone (every stage before storing, in worker processes) with one
    worker and with `workers`, alternated so that load from other users hits both alike."""
    from ingest.document import entity_extractor, parse_document
    from pipeline.workers import run_tasks

    entity_extractor()  # loaded before forking, as run_ingest does
    tasks = [(path.stem, (path, None, None)) for path in paths]

    def parse_all(n: int) -> float:
        start = time.perf_counter()
        for key, _, error in run_tasks(parse_document, tasks, n, timeout=None):
            if error is not None:
                raise BenchStepFailed(f"parsing {key} failed: {error}")
        return time.perf_counter() - start

    one, pool = [], []
    for _ in range(rounds):
        one.append(parse_all(1))
        pool.append(parse_all(workers))
    return {"workers": workers, "one_worker_seconds": min(one), "pool_seconds": min(pool),
            "speedup": min(one) / min(pool), "documents": len(paths)}
