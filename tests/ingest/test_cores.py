"""The one way to keep a computation on a single core."""

from __future__ import annotations

from contextlib import nullcontext

from ingest.cores import one_blas_thread


def test_inside_a_one_thread_block_one_blas_thread_changes_nothing() -> None:
    """A worker forked inside the block must not set its BLAS threads again: in a forked process
    that wakes a spinning thread."""
    import numpy  # noqa: F401  (loads the BLAS)

    with one_blas_thread():
        assert isinstance(one_blas_thread(), nullcontext)
