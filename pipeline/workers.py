"""Run one function over many inputs in worker processes, each with a time limit that is enforced.

A pool cannot stop one stuck task; here every task gets a process of its own (forked, so
it starts with the parent's imports already loaded), at most `workers` at a time, and a
task that outlives its limit is killed while the others go on. The parts of one document
(`PoolMapper`) have no limits of their own, as the document's covers them: they share a few
processes forked for the map.

A worker dies with the process that started it (a kernel death signal on Linux), and closes
the other workers' pipe ends it inherited, so a killed run leaves no worker blocked on a pipe
nobody reads.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing as mp
import os
import pickle
import signal
import sys
import time
import traceback
import weakref
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from typing import Any

from ingest.collector import collector_paused
from ingest.cores import one_blas_thread
from ingest.errors import DocumentError

# prctl(2) option: the signal a process receives when its parent dies.
PR_SET_PDEATHSIG = 1


class TaskTimeout(DocumentError):
    """A task ran past its time limit and was stopped."""


class WorkerCrashed(DocumentError):
    """A worker process died without an answer (killed, out of memory, a crash in C code)."""


@dataclass(frozen=True)
class _Running:
    key: Any
    process: BaseProcess
    conn: Connection
    deadline: float | None
    limit: float | None  # seconds from the start to the deadline
    then: tuple | None = None  # the arguments of the task that follows, with this one's result


def _die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent ends; end now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _child(conn: Connection, parent: int, inherited: list[Connection], fn: Callable, args: tuple) -> None:
    _started(parent, inherited)
    try:
        with one_blas_thread():  # the pool gives each task a core; BLAS threads would take the others'
            _answer(conn, fn, args)
    finally:
        conn.close()


def _started(parent: int, inherited: list[Connection]) -> None:
    """A forked worker's first steps: die with `parent`, close the pipe ends of other workers."""
    _die_with_parent(parent)
    for other in inherited:
        other.close()


def _answer(conn: Connection, fn: Callable[..., Any], args: tuple) -> None:
    """Send `fn(*args)`'s result, or its failure, to the parent: (True, result) or (False, error)."""
    try:
        result = fn(*args)
        with collector_paused():
            conn.send((True, result))
    except BaseException as error:  # every failure goes back to the parent, which decides
        conn.send((False, _portable(error)))


def _reply(conn: Connection, process: BaseProcess) -> tuple[Any, BaseException | None]:
    """The result `_answer` sent, or the task's error, or WorkerCrashed when the worker died first."""
    try:
        with collector_paused():
            ok, payload = conn.recv()
    except EOFError:
        process.join()
        return None, WorkerCrashed(f"the worker stopped unexpectedly (exit code {process.exitcode})")
    return (payload, None) if ok else (None, payload)


def _portable(error: BaseException) -> BaseException:
    """The error itself when it survives pickling, else a plain one with the same message.

    Exceptions with their own constructor arguments often cannot be rebuilt on the other side.
    """
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:
        message = str(error) or "".join(traceback.format_exception_only(error)).strip()
        return RuntimeError(message)


def run_tasks(
    fn: Callable[..., Any],
    tasks: Iterable[tuple[Any, tuple]],
    workers: int,
    timeout: float | None = None,
    begun: dict[Any, Begun] | None = None,
) -> Generator[tuple[Any, Any, BaseException | None], None, None]:
    """Yield (key, result, error) for each (key, args) task as it finishes, in completion order.
    A task is taken from `tasks` only when a worker is free for it. A task whose key has work
    `begun` takes over that work's worker, which counts as one of the pool's, and runs once it
    ends, with the work's result after its own arguments, within the work's time limit (a failed
    work fails the task)."""
    pending = iter(tasks)
    running: list[_Running] = []
    try:
        while True:
            while len(running) < max(workers, 1) and (item := next(pending, None)) is not None:
                key, args = item
                early = begun.pop(key, None) if begun else None
                running.append(early.adopted(key, args) if early else _start(key, fn, args, timeout, running))
            if not running:
                return
            for task, result, error in _collect(running):
                if task.then is not None and error is None:  # the task keeps the begun work's deadline
                    follow = _start(task.key, fn, (*task.then, result), timeout, running)
                    running.append(replace(follow, deadline=task.deadline, limit=task.limit))
                else:
                    yield task.key, result, error
    finally:
        for task in running:
            task.process.kill()
            task.process.join()


def _start(key: Any, fn: Callable, args: tuple, timeout: float | None, running: Sequence[_Running]) -> _Running:
    """Fork a worker for `fn(*args)`; it closes the pipe ends of the `running` tasks it inherits."""
    context = mp.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    inherited = [receiver, *(task.conn for task in running)]
    # Not daemonic: a task may run parts of its own work in processes (a long PDF's page ranges);
    # it dies with this process all the same (see _die_with_parent).
    process = context.Process(target=_child, args=(sender, os.getpid(), inherited, fn, args))
    _fork(process)
    sender.close()
    return _Running(key, process, receiver, time.monotonic() + timeout if timeout else None, timeout)


class Begun:
    """Work started at once in a worker of its own, for the task that run_tasks later gives it: the
    part of a task that needs nothing this process is about to load runs while it loads, on a core
    that would otherwise wait. Its time limit counts from now and covers the task that takes it over."""

    def __init__(self, fn: Callable[..., Any], args: tuple, timeout: float | None = None):
        self._task: _Running | None = _start(None, fn, args, timeout, ())

    def adopted(self, key: Any, args: tuple) -> _Running:
        """The running work, to be followed by the task `key` with `args`."""
        if self._task is None:
            raise RuntimeError("this work was adopted or cancelled already")
        task, self._task = self._task, None
        return replace(task, key=key, then=args)

    def cancel(self) -> None:
        """Stop the work if no task took it over (the run ended first)."""
        if self._task is not None:
            self._task.process.kill()
            self._task.process.join()
            self._task.conn.close()
            self._task = None


def _fork(process: BaseProcess) -> None:
    """Start `process` with every object this one holds frozen out of the garbage collector's reach.

    A forked worker shares this process's memory until it writes to it, and a collection writes
    to every object it visits: without the freeze, each worker's first collections copied most of
    the parent's heap: parsing a 300-page PDF on two workers took 9% more CPU than on one, and 1%
    with the freeze.
    """
    gc.freeze()
    try:
        process.start()
    finally:
        gc.unfreeze()


def _collect(running: list[_Running]) -> Iterator[tuple[_Running, Any, BaseException | None]]:
    now = time.monotonic()
    deadlines = [t.deadline - now for t in running if t.deadline is not None]
    wait_for = max(min(deadlines), 0.0) if deadlines else None
    ready = wait([t.conn for t in running], timeout=wait_for)
    for task in list(running):
        if task.conn in ready:
            running.remove(task)
            yield task, *_receive(task)
        elif task.deadline is not None and time.monotonic() >= task.deadline:
            running.remove(task)
            task.process.kill()
            task.process.join()
            task.conn.close()
            yield task, None, TaskTimeout(f"stopped after the time limit of {task.limit:g} s")


def _receive(task: _Running) -> tuple[Any, BaseException | None]:
    try:
        return _reply(task.conn, task.process)
    finally:
        task.conn.close()
        task.process.join()


@dataclass(frozen=True)
class PoolMapper:
    """Run one function over argument tuples in up to `workers` processes; results in input order.

    Given to a parse so that the parts of one long document (a PDF's page ranges) keep several
    cores busy; a part that fails fails the whole, with the part's own error.
    """

    workers: int

    def __call__(self, fn: Callable[..., Any], args: Sequence[tuple]) -> list[Any]:
        return self.map_beside(fn, args, None)[0]

    def map_beside(self, fn: Callable[..., Any], args: Sequence[tuple],
                   beside: Callable[[], Any] | None) -> tuple[list[Any], Callable[[], Any]]:
        """`fn` over `args` as a call does, and `beside` on the same workers once they are all
        started: the results come back as soon as `fn`'s are in, with a function that waits for
        `beside`'s, so the caller works on them while `beside` still runs."""
        results: dict[Any, Any] = {}
        beside_error: list[BaseException] = []

        def collect(until: Callable[[], bool]) -> None:
            while not until():
                key, result, error = servers.next_result()
                if error is not None and key == _BESIDE:  # raised when its result is asked for
                    beside_error.append(error)
                elif error is not None:
                    servers.stop()
                    raise error
                results[key] = result

        # Workers forked here inherit one BLAS thread, so none has to set its own; the limit holds
        # until the results are in, as raising it again wakes a BLAS thread that spins for a while
        # (see one_blas_thread).
        with one_blas_thread():
            servers = _TaskServers(self.workers, fn, args, beside)
            collect(lambda: all(index in results for index in range(len(args))))

        def beside_result() -> Any:
            collect(lambda: _BESIDE in results)
            if beside_error:
                raise beside_error[0]
            return results[_BESIDE]

        return [results[index] for index in range(len(args))], beside_result


_BESIDE = "beside"  # the key of the task run beside a mapper's own


class _TaskServers:
    """Processes forked once for one map, each running task after task until none is left.

    The function, every task's arguments and the task beside are inherited at the fork, so only a
    task's index goes to a worker and only its result comes back; a map of a dozen page ranges
    forks as many processes as it has workers, not a dozen. Forking a large parent took 5–12 ms,
    and each new process paid again for the pages it first wrote to: on a 300-page PDF read on two
    workers, a process per task spent a tenth of the wall time between tasks.
    """

    def __init__(self, workers: int, fn: Callable[..., Any], args: Sequence[tuple],
                 beside: Callable[[], Any] | None) -> None:
        self._pending: Iterator[Any] = iter([*range(len(args)), *([_BESIDE] if beside else [])])
        self._busy: dict[Connection, tuple[BaseProcess, Any]] = {}
        weakref.finalize(self, _stop, self._busy)
        context = mp.get_context("fork")
        for _ in range(min(max(workers, 1), len(args) + (beside is not None))):
            mine, theirs = context.Pipe()
            inherited = [mine, *self._busy]
            process = context.Process(target=_serve, args=(theirs, os.getpid(), inherited, fn, args, beside))
            _fork(process)
            theirs.close()
            self._hand_next(mine, process)

    def next_result(self) -> tuple[Any, Any, BaseException | None]:
        """(key, result, error) of the next task to end; its worker takes the next task, if any."""
        ready = wait(list(self._busy))
        conn = next(conn for conn in self._busy if conn in ready)
        process, key = self._busy.pop(conn)
        result, error = _reply(conn, process)
        if isinstance(error, WorkerCrashed):
            conn.close()
        else:
            self._hand_next(conn, process)
        return key, result, error

    def stop(self) -> None:
        """End every worker still running a task."""
        _stop(self._busy)

    def _hand_next(self, conn: Connection, process: BaseProcess) -> None:
        key = next(self._pending, None)
        conn.send(key)
        if key is None:  # the worker ends
            process.join()
            conn.close()
        else:
            self._busy[conn] = (process, key)


def _serve(conn: Connection, parent: int, inherited: list[Connection], fn: Callable[..., Any],
           args: Sequence[tuple], beside: Callable[[], Any] | None) -> None:
    """Run the tasks whose keys the parent sends, until it sends None."""
    _started(parent, inherited)
    with one_blas_thread():  # the pool gives each task a core; BLAS threads would take the others'
        while (key := conn.recv()) is not None:
            if key == _BESIDE and beside is not None:
                _answer(conn, beside, ())
            else:
                _answer(conn, fn, args[key])
    conn.close()


def _stop(busy: dict[Connection, tuple[BaseProcess, Any]]) -> None:
    for conn, (process, _) in busy.items():
        process.kill()
        process.join()
        conn.close()
    busy.clear()
