"""Work begun in a worker before the parent loads what later tasks share, and tasks taken only
when a worker is free for them."""

from __future__ import annotations

import os
import time
from pathlib import Path

from pipeline.workers import Begun, TaskTimeout, run_tasks


def _pid_and_square(n: int) -> tuple[int, int]:
    return os.getpid(), n * n


def _fail() -> None:
    raise ValueError("the reading failed")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _touch_later(path: Path) -> None:
    time.sleep(30)
    path.touch()


def test_a_begun_task_runs_in_its_own_process_and_gives_its_result() -> None:
    (pid, square), error = Begun(_pid_and_square, (7,)).outcome()

    assert error is None
    assert (pid != os.getpid(), square) == (True, 49)


def test_a_begun_task_that_fails_gives_its_error() -> None:
    result, error = Begun(_fail, ()).outcome()

    assert result is None
    assert isinstance(error, ValueError) and str(error) == "the reading failed"


def test_a_begun_task_past_its_time_limit_is_stopped() -> None:
    result, error = Begun(_sleep, (30,), timeout=0.5).outcome()

    assert result is None and isinstance(error, TaskTimeout)


def test_a_begun_task_never_collected_is_stopped_when_cancelled(tmp_path: Path) -> None:
    touched = tmp_path / "touched"
    begun = Begun(_touch_later, (touched,))

    begun.cancel()

    assert begun.outcome() == (None, None)
    assert not touched.exists()


def test_a_task_is_taken_only_when_a_worker_is_free_for_it() -> None:
    taken: list[int] = []

    def tasks():
        for n in range(4):
            taken.append(n)
            yield n, (n,)

    finished = run_tasks(_pid_and_square, tasks(), workers=2)
    first = next(finished)
    finished.close()

    assert taken == [0, 1]  # two workers: the third task waits until one of them ends
    assert first[1][1] == first[0] ** 2
