"""Progress bars for long work, on stderr, and silent when stderr is not a terminal."""

from __future__ import annotations

import sys


class Progress:
    """A thin wrapper so stages report progress one way, and tests can turn it off."""

    def __init__(self, total: int, label: str, enabled: bool = True):
        self._bar = None
        if enabled and sys.stderr.isatty():
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=label, unit="doc" if label == "parse" else "text", leave=False)

    def advance(self, n: int = 1, note: str | None = None) -> None:
        if self._bar is not None:
            if note:
                self._bar.set_postfix_str(note, refresh=False)
            self._bar.update(n)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
