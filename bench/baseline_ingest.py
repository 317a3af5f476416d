"""Ingest time of this tree against an earlier revision, on the same corpus under the same load.

A change's cost to ingest is a ratio, not two absolute times: the machine is shared, so the two
trees' cold ingests run alternately in fresh processes (baseline first, then this tree, for each
round) and each round gives its own ratio. The earlier revision is exported with `git archive`
into a folder of its own and runs its own `bench/ingest_child.py`.

The whole-run ratio counts every stage, including stages the baseline did not have yet, and
the embedding stage, whose wall time swings most with other users' load. The parse comparison
runs only the parse of each document (load, clean, structure, extract, entities) in one process
per tree, alternated, and compares CPU seconds as well as wall seconds; its per-stage figures
show where a change's cost lies (the quotation finder runs in `extract`).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tarfile
from pathlib import Path

from bench.ingest_figures import ROOT, BenchStepFailed, bench_env, ingest_in_child

PARSE_CHILD = Path(__file__).resolve().parent / "parse_child.py"


def export_revision(revision: str, folder: Path) -> Path:
    """The files of `revision` of this repository, written into `folder`; the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / "tree.tar"
    done = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), revision],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchStepFailed(f"cannot export revision {revision}: {done.stderr.strip()}")
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    archive.unlink()
    return folder


def baseline_ratio(revision: str, manifest: Path, workdir: Path, rounds: int = 1) -> dict:
    """Cold ingests of `manifest` by `revision` and by this tree, alternated; per-round and median ratios."""
    tree = export_revision(revision, workdir / "tree")
    runs = []
    for n in range(rounds):
        before = ingest_in_child(manifest, workdir / f"before{n}", root=tree)
        after = ingest_in_child(manifest, workdir / f"after{n}")
        shared = set(before["stage_seconds"]) & set(after["stage_seconds"])
        runs.append({
            "before_seconds": before["seconds"], "after_seconds": after["seconds"],
            "ratio": after["seconds"] / before["seconds"],
            "shared_stages": sorted(shared),
            "shared_ratio": _stage_sum(after, shared) / _stage_sum(before, shared),
            "before_stages": before["stage_seconds"], "after_stages": after["stage_seconds"],
            "before_quotes": before["quotes"], "after_quotes": after["quotes"],
        })
    return {
        "revision": revision, "rounds": runs,
        **{key: statistics.median(run[key] for run in runs) for key in ("ratio", "shared_ratio")},
    }


def parse_ratio(revision: str, paths: list[Path], workdir: Path, rounds: int = 3) -> dict:
    """Parse-only runs of `paths` by `revision` and by this tree, alternated; the median CPU and
    wall ratios, and each stage's median ratio (this tree / the revision)."""
    tree = workdir / "tree"
    if not tree.is_dir():
        export_revision(revision, tree)
    runs = []
    for _ in range(rounds):
        runs.append((parse_in_child(paths, tree), parse_in_child(paths, ROOT)))
    stages = sorted(set(runs[0][0]["stage_seconds"]) & set(runs[0][1]["stage_seconds"]))
    return {
        "revision": revision, "rounds": [{"before": before, "after": after} for before, after in runs],
        "cpu_ratio": statistics.median(a["cpu_seconds"] / b["cpu_seconds"] for b, a in runs),
        "wall_ratio": statistics.median(a["wall_seconds"] / b["wall_seconds"] for b, a in runs),
        "stage_ratios": {stage: statistics.median(a["stage_seconds"][stage] / max(b["stage_seconds"][stage], 1e-9)
                                                  for b, a in runs) for stage in stages},
    }


def parse_in_child(paths: list[Path], root: Path) -> dict:
    """Parse `paths` in a fresh interpreter with the code of the tree at `root`; its figures."""
    done = subprocess.run([sys.executable, str(PARSE_CHILD), *map(str, paths)], cwd=root, env=bench_env(root),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BenchStepFailed(f"parsing with the tree at {root} failed: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _stage_sum(figures: dict, stages: set[str]) -> float:
    return max(sum(figures["stage_seconds"].get(stage, 0.0) for stage in stages), 1e-9)
