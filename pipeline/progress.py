"""Progress of long work, on stderr: bars on a terminal, and plain lines when stderr goes to a log
(`make ingest > log`), so a run never sits silent for minutes either way."""

from __future__ import annotations

import sys
import time

# When writing lines, a text-counting stage reports at most this many times.
LOG_STEPS = 10


class Progress:
    """One stage's progress. On a terminal a tqdm bar; otherwise a line per document (or per tenth of
    the texts) and a closing line with the stage's time. `total` None counts without an end."""

    def __init__(self, total: int | None, label: str, enabled: bool = True, unit: str | None = None):
        self._label = label
        self._unit = unit or ("doc" if label == "parse" else "text")
        self._total = total
        self._done = 0
        self._reported = 0
        self._started = time.perf_counter()
        self._bar = None
        self._lines = enabled and not sys.stderr.isatty()
        if enabled and not self._lines:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit=self._unit, leave=False)
        elif self._lines:
            amount = f"{total} {self._unit}{'' if total == 1 else 's'}" if total is not None else "started"
            self._say(f"{label}: {amount}")

    def advance(self, n: int = 1, note: str | None = None) -> None:
        self._done += n
        if self._bar is not None:
            if note:
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.update(n)
        elif self._lines and (note or self._due()):
            self._reported = self._done
            of = f"/{self._total}" if self._total is not None else ""
            self._say(f"{self._label} {self._done}{of}" + (f" {note}" if note else ""))

    def _due(self) -> bool:
        if not self._total:
            return False
        step = max(1, self._total // LOG_STEPS)
        return self._done - self._reported >= step or self._done == self._total

    def _say(self, line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self._lines:
            self._say(f"{self._label}: done in {time.perf_counter() - self._started:.1f} s")
