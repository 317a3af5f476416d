"""Where an ingest parses and embeds: worker processes on this machine, or a Ray cluster.

Both give the run the same things: `run_tasks` with the interface of `pipeline.workers.run_tasks`
((key, result, error) per task, in completion order, each task under the time limit), and the
embedder to use. Locally, `begin` also starts the first part of a task before the shared model
is loaded, so that a core does not wait while the model loads. The run is the same either way;
only where the work happens differs, so the published tables and index are the same too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Protocol

from index.embedder import Embedder

if TYPE_CHECKING:
    from pipeline.workers import Begun

EXECUTORS = ("local", "ray")


class Executor(Protocol):
    """Runs the parse tasks and provides the embedder of one ingest."""

    def begin(self, key: Any, fn: Callable[..., Any], args: tuple, workers: int | None, timeout: float | None) -> None:
        """Start `fn(*args)` at once, before `prepare`, where that puts a core to work that would wait
        while the model loads (more than one local worker; not Ray). The task `key` of the next
        `run_tasks` then gets its result as one more argument, else runs without it."""

    def prepare(self, load: Callable[[], Any]) -> None:
        """Load what every task needs, where it saves work (before forking local workers)."""

    def run_tasks(self, fn: Callable[..., Any], tasks: Iterable[tuple[Any, tuple]], workers: int | None,
                  timeout: float | None) -> Iterator[tuple[Any, Any, BaseException | None]]: ...

    def embedder(self, factory: Callable[[], Embedder]) -> Embedder: ...


class LocalExecutor:
    """Forked worker processes on this machine (`pipeline.workers`); the embedder in this process."""

    def __init__(self) -> None:
        self._begun: dict[Any, Begun] = {}

    def begin(self, key: Any, fn: Callable[..., Any], args: tuple, workers: int | None, timeout: float | None) -> None:
        from ingest.cores import available_cores
        from pipeline.workers import Begun

        if (workers or available_cores()) > 1:  # one worker waits for the model either way
            self._begun[key] = Begun(fn, args, timeout)

    def prepare(self, load: Callable[[], Any]) -> None:
        load()  # workers are forked from this process, so they start with it loaded

    def run_tasks(self, fn: Callable[..., Any], tasks: Iterable[tuple[Any, tuple]], workers: int | None,
                  timeout: float | None) -> Iterator[tuple[Any, Any, BaseException | None]]:
        from ingest.cores import available_cores
        from pipeline.workers import run_tasks

        return run_tasks(fn, tasks, workers or available_cores(), timeout, self._begun)

    def embedder(self, factory: Callable[[], Embedder]) -> Embedder:
        return factory()

    def close(self) -> None:
        """Stop work begun that no task took over (a run that ended early)."""
        for begun in self._begun.values():
            begun.cancel()


@contextmanager
def open_executor(kind: str = "local", address: str | None = None) -> Iterator[Executor]:
    """The executor named `kind`; Ray (imported only here) is connected on first use and let go at the end."""
    if kind == "local":
        local = LocalExecutor()
        try:
            yield local
        finally:
            local.close()
        return
    if kind != "ray":
        raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, not {kind!r}")
    from pipeline.ray_executor import RayExecutor

    executor = RayExecutor(address)
    try:
        yield executor
    finally:
        executor.close()
