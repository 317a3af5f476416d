"""The cores this process may run on: the one figure every worker pool and thread count sizes itself by."""

from __future__ import annotations

import os


def available_cores() -> int:
    """Cores in this process's CPU affinity, which a container or `taskset` may set below the machine's count."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # platforms without CPU affinity
        return max(os.cpu_count() or 1, 1)
