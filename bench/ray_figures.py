"""Ray against the local worker pool: the same documents ingested cold both ways, each in a fresh
process, on a Ray instance started here with as many CPUs as the pool has workers (its start-up is
timed apart, as a cluster is started once for many runs), and the two published states compared."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from bench.ingest_figures import ingest_in_child


def published_rows_by_table(data: Path) -> dict[str, list[tuple]]:
    """Every row of every table of the published database, timestamps left out (they say when, not what)."""
    from index.published import published

    con = duckdb.connect(str(published(data).db_path), read_only=True)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        rows = {}
        for table in tables:
            columns = [r[0] for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND data_type <> 'TIMESTAMP' "
                "ORDER BY ordinal_position", [table]).fetchall()]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = con.execute(f'SELECT {listed} FROM "{table}" ORDER BY ALL').fetchall()
        return rows
    finally:
        con.close()


def same_published_state(first: Path, second: Path) -> list[str]:
    """What differs between two published states (tables by rows, index files by bytes); empty when none."""
    from index.published import published

    differences = []
    rows_first, rows_second = published_rows_by_table(first), published_rows_by_table(second)
    for table in sorted(set(rows_first) | set(rows_second)):
        if rows_first.get(table) != rows_second.get(table):
            differences.append(f"table {table}")
    index_first, index_second = published(first).index_dir, published(second).index_dir
    for name in sorted({p.name for p in index_first.iterdir()} | {p.name for p in index_second.iterdir()}):
        a, b = index_first / name, index_second / name
        if not (a.is_file() and b.is_file() and a.read_bytes() == b.read_bytes()):
            differences.append(f"index file {name}")
    return differences


def ray_against_local(manifest: Path, workdir: Path, workers: int) -> dict:
    """Cold ingest with the local pool of `workers` and with Ray on `workers` CPUs of this machine."""
    import ray

    start = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
    startup = time.perf_counter() - start
    try:
        address = ray.get_runtime_context().gcs_address
        local = ingest_in_child(manifest, workdir / "local", workers=workers)
        on_ray = ingest_in_child(manifest, workdir / "ray", options=("--executor", "ray", "--address", address))
    finally:
        ray.shutdown()
    return {
        "workers": workers, "ray_start_seconds": startup,
        "local_seconds": local["seconds"], "ray_seconds": on_ray["seconds"],
        "ratio": on_ray["seconds"] / local["seconds"],
        "local_stage_seconds": local["stage_seconds"], "ray_stage_seconds": on_ray["stage_seconds"],
        "differences": same_published_state(workdir / "local", workdir / "ray"),
    }
