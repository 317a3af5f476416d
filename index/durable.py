"""Making a file system change safe: a folder's entries are durable once it is fsynced, and a file is
replaced whole (written to a temporary name, then renamed over the old one)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def fsync_dir(path: Path) -> None:
    """Flush the folder's entries (a new, renamed or grown file's name) to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary name beside `path` to write the new file to; when the block ends it replaces
    `path` in one step, so a reader sees the old file or the new one, never half of one. When the
    block fails the temporary file is removed and `path` is left as it was."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def replace_text(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to `path` through `replacing`."""
    with replacing(path) as temporary:
        temporary.write_text(text, encoding="utf-8")
