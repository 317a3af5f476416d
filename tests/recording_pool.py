"""A worker pool that remembers how many tasks each call handed it, so a test can see work was split."""

from __future__ import annotations

from pipeline.workers import PoolMapper


class RecordingMapper:
    """The worker pool, remembering how many tasks (page ranges, text pieces) each call was given."""

    def __init__(self, workers: int) -> None:
        self.pool = PoolMapper(workers)
        self.calls: list[int] = []

    def __call__(self, fn, args):
        self.calls.append(len(args))
        return self.pool(fn, args)
