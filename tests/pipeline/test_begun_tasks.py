"""Work begun in a worker before the parent loads what later tasks share, taken over by the task it
was begun for; and tasks taken only when a worker is free for them."""

from __future__ import annotations

import time
from pathlib import Path

from pipeline.workers import Begun, TaskTimeout, run_tasks


def _arguments(*args: int) -> tuple[int, ...]:
    return args


def _square(n: int) -> int:
    return n * n


def _fail() -> None:
    raise ValueError("the reading failed")


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


def _touch_later(path: Path) -> None:
    time.sleep(0.3)
    path.touch()


def _outcomes(tasks, workers: int, begun: dict) -> dict:
    return {key: (result, error) for key, result, error in run_tasks(_arguments, tasks, workers, begun=begun)}


def test_a_task_gets_the_result_of_the_work_begun_for_it_after_its_own_arguments() -> None:
    begun = {"long": Begun(_square, (7,))}

    outcomes = _outcomes([("long", (1,)), ("short", (2,))], 2, begun)

    assert outcomes == {"long": ((1, 49), None), "short": ((2,), None)}
    assert begun == {}  # taken over


def test_work_begun_that_fails_fails_its_task_with_the_work_error() -> None:
    (result, error), = _outcomes([("long", (1,))], 2, {"long": Begun(_fail, ())}).values()

    assert result is None
    assert isinstance(error, ValueError) and str(error) == "the reading failed"


def test_work_begun_past_its_time_limit_is_stopped() -> None:
    (result, error), = _outcomes([("long", (1,))], 2, {"long": Begun(_sleep, (30,), timeout=0.5)}).values()

    assert result is None and isinstance(error, TaskTimeout)


def _sleep_then(seconds: float, _begun_result: None) -> None:
    time.sleep(seconds)


def test_the_time_limit_of_work_begun_covers_the_task_that_takes_it_over() -> None:
    begun = {"long": Begun(_sleep, (0.6,), timeout=1.0)}

    (result, error), = {key: (result, error) for key, result, error
                        in run_tasks(_sleep_then, [("long", (0.6,))], 2, timeout=1.0, begun=begun)}.values()

    assert result is None and isinstance(error, TaskTimeout)  # 0.6 s each: within the limit apart, not together


def test_work_begun_counts_as_one_of_the_pool_workers() -> None:
    taken: list[str] = []

    def tasks():
        for key in ("long", "short"):
            taken.append(key)
            yield key, (1,)

    finished = run_tasks(_arguments, tasks(), workers=1, begun={"long": Begun(_square, (3,))})
    first = next(finished)
    finished.close()

    assert first == ("long", (1, 9), None)
    assert taken == ["long"]  # the one worker was the begun work's, then its task's


def test_work_begun_and_never_taken_over_is_stopped_when_cancelled(tmp_path: Path) -> None:
    touched = tmp_path / "touched"
    begun = Begun(_touch_later, (touched,))

    begun.cancel()
    time.sleep(1.0)  # the work would have touched the file by now

    assert not touched.exists()


def test_a_task_is_taken_only_when_a_worker_is_free_for_it() -> None:
    taken: list[int] = []

    def tasks():
        for n in range(4):
            taken.append(n)
            yield n, (n,)

    finished = run_tasks(_square, tasks(), workers=2)
    first = next(finished)
    finished.close()

    assert taken == [0, 1]  # two workers: the third task waits until one of them ends
    assert first[1] == first[0] ** 2
