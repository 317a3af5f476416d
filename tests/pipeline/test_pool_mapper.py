"""The worker pool that maps one function over the parts of a long document, with one more task
run beside them and collected later."""

from __future__ import annotations

import gc
import os
import time
from pathlib import Path

import pytest

from pipeline.workers import PoolMapper, WorkerCrashed


def _square(n: int) -> int:
    return n * n


def _fail() -> None:
    raise ValueError("the task beside failed")


def _fail_on(n: int, bad: int) -> int:
    if n == bad:
        raise ValueError(f"part {n} failed")
    return n


def _die() -> None:
    os._exit(3)


def test_results_come_in_the_order_of_the_arguments() -> None:
    assert PoolMapper(2)(_square, [(n,) for n in range(7)]) == [n * n for n in range(7)]


def test_a_map_of_many_tasks_runs_them_in_as_many_processes_as_it_has_workers() -> None:
    processes = set(PoolMapper(2)(os.getpid, [()] * 9))

    assert len(processes) == 2 and os.getpid() not in processes


def test_a_map_of_nothing_is_empty() -> None:
    assert PoolMapper(2)(_square, []) == []


def test_a_part_that_fails_fails_the_map_with_its_own_error() -> None:
    with pytest.raises(ValueError, match="part 3 failed"):
        PoolMapper(2)(_fail_on, [(n, 3) for n in range(6)])


def test_a_worker_that_dies_fails_the_map() -> None:
    with pytest.raises(WorkerCrashed, match="exit code 3"):
        PoolMapper(2)(_die, [()] * 3)


def test_the_results_come_back_while_the_task_beside_still_runs(tmp_path: Path) -> None:
    release = tmp_path / "release"

    def beside() -> str:
        deadline = time.monotonic() + 30
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return "released" if release.exists() else "never released"

    results, beside_result = PoolMapper(2).map_beside(_square, [(n,) for n in range(3)], beside)
    release.touch()  # the task beside waits for this, so the results came back while it ran

    assert results == [0, 1, 4]
    assert beside_result() == "released"


def test_a_task_beside_that_fails_raises_its_error_when_its_result_is_asked_for() -> None:
    results, beside_result = PoolMapper(2).map_beside(_square, [(2,)], _fail)

    assert results == [4]
    with pytest.raises(ValueError, match="the task beside failed"):
        beside_result()


def _blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [library["num_threads"] for library in threadpool_info() if library["user_api"] == "blas"]


def test_every_worker_runs_its_part_with_one_blas_thread() -> None:
    import numpy  # noqa: F401  (loads the BLAS the workers inherit)

    assert PoolMapper(2)(_blas_threads, [()] * 3) == [[1] * len(_blas_threads())] * 3


def test_the_garbage_collector_runs_again_once_the_results_are_in() -> None:
    PoolMapper(2)(_square, [(n,) for n in range(3)])

    assert gc.isenabled()
