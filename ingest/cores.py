"""The cores this process may run on: the one figure every worker pool and thread count sizes itself
by, and the one way to keep a computation on a single core."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager, nullcontext


def available_cores() -> int:
    """Cores in this process's CPU affinity, which a container or `taskset` may set below the machine's count."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # platforms without CPU affinity
        return max(os.cpu_count() or 1, 1)


def one_blas_thread() -> AbstractContextManager:
    """Keep numpy's BLAS to one thread inside the block.

    Two cases need it. Small products (a query, a classifier of a few hundred rows) finish before
    BLAS threads wake, and on a busy machine their spinning made a query 50 times slower. And in a
    pool of worker processes, one per core, each worker's own BLAS threads would contend for the
    cores the other workers use: parsing the default corpus took a quarter more CPU that way.

    Where every BLAS already runs on one thread (a worker forked from a process inside this block)
    it changes nothing: setting OpenBLAS's threads in a forked process wakes a thread that spins
    for about 0.1 s, which made reading a 300-page PDF on two workers take a third more CPU.
    """
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController().select(user_api="blas")
    if all(library.num_threads == 1 for library in blas.lib_controllers):
        return nullcontext()
    return blas.limit(limits=1)
