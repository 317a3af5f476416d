"""Small measuring tools for the benchmark: clocks, percentiles, peak memory, and targets that
report PASS or MISS with the measured value (a missed target is printed, never hidden)."""

from __future__ import annotations

import math
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """One goal from the issue: the measured value against its limit."""

    name: str
    value: float | None
    limit: float
    at_least: bool  # True: value must reach the limit; False: value must stay under it
    unit: str = ""

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def line(self) -> str:
        sign = "≥" if self.at_least else "≤"
        shown = "n/a" if self.value is None else f"{self.value:.3g}{self.unit}"
        return f"{'PASS' if self.passed else 'MISS'}  {self.name}: {shown} (target {sign} {self.limit:g}{self.unit})"

    def as_dict(self) -> dict:
        return {"name": self.name, "value": self.value, "limit": self.limit,
                "at_least": self.at_least, "unit": self.unit, "passed": self.passed}


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(share * len(ordered))))
    return ordered[rank - 1]


def latency_figures(seconds: list[float]) -> dict[str, float]:
    """p50, p95 and mean in milliseconds."""
    return {
        "p50_ms": percentile(seconds, 0.50) * 1000,
        "p95_ms": percentile(seconds, 0.95) * 1000,
        "mean_ms": statistics.fmean(seconds) * 1000,
        "n": len(seconds),
    }


def repeat(fn: Callable[[], object], times: int, warmup: int = 2) -> list[float]:
    """Seconds for each of `times` calls, after `warmup` calls that are not counted."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(times):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child, in MiB.

    Linux reports ru_maxrss in KiB; RUSAGE_CHILDREN is the largest single child that was
    waited for, so parent + children is an upper bound on the two at once."""
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale
    return {"parent_mb": own, "children_mb": children, "total_mb": own + children}


def say(text: str = "") -> None:
    """Print progress at once, so a long run shows where it is."""
    print(text, flush=True)
