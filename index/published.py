"""Where the published state lives, and how a run builds a new one beside it and swaps it in whole.

Layout of the data folder:

    current            -> generations/<id>     (a symlink, swapped atomically)
    evidence.duckdb    -> current/evidence.duckdb
    index              -> current/index
    generations/<id>/  one complete state: the DuckDB file and the FAISS index

A run writes a new generation and then replaces the `current` link in one `os.replace`,
so readers see the old state or the new one, never a half-written one, and a killed run
leaves the last good state in place. Readers never open the file a run is writing.

A generation that stops being current is kept for a grace period after it was replaced
(`.superseded` records when) and after a reader last opened it (`.last_read`), so a reader that
resolved the link just before a swap can still open it however many runs publish in between.
The ingest lock is a POSIX record lock: the kernel releases it when the process that took it
ends, however it ends, and forked worker processes never share it.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

from index.durable import fsync_dir as _fsync_dir
from index.review_overlay import apply_reviews, reviews_shown
from index.schema import migrate
from ingest.errors import StoreError

DB_FILE = "evidence.duckdb"
INDEX_DIR = "index"
CURRENT = "current"
GENERATIONS = "generations"
LOCK_FILE = ".ingest.lock"
SUPERSEDED = ".superseded"
LAST_READ = ".last_read"
OPEN_ATTEMPTS = 3
# Seconds a generation is kept after it stopped being current, for readers that resolved the link
# just before the swap (a query opens the index after embedding its text, which may load a model).
GRACE_SECONDS = 120.0
# Lock files this process holds: a POSIX lock does not conflict with its own holder.
_HELD_LOCKS: set[Path] = set()


class NoPublishedState(StoreError):
    """The data folder holds no ingested corpus yet."""


class IngestRunning(StoreError):
    """Another ingest holds the data folder's lock."""


@dataclass(frozen=True)
class Generation:
    """One complete state: a DuckDB file and its FAISS index folder."""

    path: Path

    @property
    def db_path(self) -> Path:
        return self.path / DB_FILE

    @property
    def index_dir(self) -> Path:
        return self.path / INDEX_DIR


def published(data_dir: Path) -> Generation:
    """The generation readers should use, resolved once so a query sees one consistent state."""
    link = data_dir / CURRENT
    if not link.exists():
        raise NoPublishedState(f"no ingested corpus in {data_dir}; run `evidence ingest` first")
    return Generation(Path(os.path.realpath(link)))


def open_published(data_dir: Path, reviewed: bool | None = None) -> tuple[duckdb.DuckDBPyConnection, Generation]:
    """A read-only connection to the published database, and its generation.

    Readers see the reviewers' decisions applied (index/review_overlay.py) unless `reviewed` is
    False or the caller is inside `extractor_output()`.

    A run that publishes between resolving the link and opening the file may already have
    removed that generation; the link then names a newer one, so resolve it again.
    """
    for attempt in range(OPEN_ATTEMPTS):
        generation = published(data_dir)
        _mark_read(generation)
        try:
            con = duckdb.connect(str(generation.db_path), read_only=True)
        except duckdb.IOException:
            if attempt == OPEN_ATTEMPTS - 1 or generation.db_path.exists():
                raise
            continue
        if reviews_shown() if reviewed is None else reviewed:
            try:
                apply_reviews(con, data_dir, generation.path)
            except BaseException:
                con.close()
                raise
        return con, generation
    raise AssertionError("unreachable")


def _mark_read(generation: Generation) -> None:
    """Note that a reader is opening this generation, so a run keeps it a while longer.

    A reader without write access to the data folder cannot leave the note; it still has the grace
    period counted from the swap.
    """
    with suppress(OSError):
        (generation.path / LAST_READ).touch()


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest at a time per data folder; a second one is refused rather than queued.

    The lock file names the holder (process id and start time) so a refusal can say who.
    """
    path = (data_dir / LOCK_FILE).resolve()
    if path in _HELD_LOCKS:
        raise IngestRunning(f"another ingest is running on {data_dir} (in this process)")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise StoreError(f"cannot use {data_dir} as the data folder: {error.strerror or error}") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise IngestRunning(_refusal(data_dir, os.pread(fd, 200, 0).decode("utf-8", "replace"))) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S')}\n".encode(), 0)
        _HELD_LOCKS.add(path)
        try:
            yield
        finally:
            _HELD_LOCKS.discard(path)
    finally:
        os.close(fd)


def _refusal(data_dir: Path, holder: str) -> str:
    pid, _, started = holder.strip().partition(" ")
    who = f" (process {pid}, started {started})" if pid.isdigit() else ""
    return (f"another ingest is running on {data_dir}{who}; the lock is released the moment that "
            "process ends, so wait for it or stop it")


def start_generation(data_dir: Path) -> Generation:
    """A new generation, starting as a copy of the published database so unchanged work is kept."""
    root = data_dir / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    generation = Generation(root / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}")
    generation.path.mkdir()
    try:
        source = published(data_dir).db_path
    except NoPublishedState:
        source = None
    if source is not None and source.exists():
        shutil.copyfile(source, generation.db_path)
    con = duckdb.connect(str(generation.db_path))
    try:
        migrate(con)
    finally:
        con.close()
    return generation


def publish(data_dir: Path, generation: Generation) -> None:
    """Swap the new generation in with one atomic rename, then remove what no reader needs."""
    try:
        previous = published(data_dir)
    except NoPublishedState:
        previous = None
    temporary = data_dir / f".{CURRENT}.tmp"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(os.path.relpath(generation.path, data_dir), temporary)
    _fsync_dir(generation.path)
    os.replace(temporary, data_dir / CURRENT)
    _fsync_dir(data_dir)
    _ensure_link(data_dir / DB_FILE, f"{CURRENT}/{DB_FILE}")
    _ensure_link(data_dir / INDEX_DIR, f"{CURRENT}/{INDEX_DIR}")
    if previous is not None and previous.path.is_dir() and previous.path != generation.path:
        (previous.path / SUPERSEDED).touch()
    remove_stale_generations(data_dir)


def discard_generation(generation: Generation) -> None:
    """Delete a generation that was never published."""
    shutil.rmtree(generation.path, ignore_errors=True)


def remove_stale_generations(data_dir: Path, grace: float = GRACE_SECONDS) -> None:
    """Delete generations no reader can still be opening; call it only while holding the ingest lock.

    Kept: the published one, and those it replaced, or a reader opened, less than `grace` seconds
    ago. Unfinished ones left by killed runs (never published, so never superseded) go at once. Readers that still hold
    an old file open keep reading it: the data stays until they close it.
    """
    root = data_dir / GENERATIONS
    if not root.is_dir():
        return
    try:
        current = published(data_dir).path
    except NoPublishedState:
        current = None
    now = time.time()
    for child in root.iterdir():
        if child.resolve() == current:
            continue
        if not (child / SUPERSEDED).exists() or now - _last_use(child) >= grace:
            shutil.rmtree(child, ignore_errors=True)


def _last_use(generation: Path) -> float:
    """When the generation was last replaced or opened by a reader, as a timestamp."""
    times = []
    for marker in (SUPERSEDED, LAST_READ):
        try:
            times.append((generation / marker).stat().st_mtime)
        except OSError:
            continue
    return max(times, default=0.0)


def _ensure_link(link: Path, target: str) -> None:
    if link.is_symlink() and os.readlink(link) == target:
        return
    temporary = link.with_name(f".{link.name}.tmp")
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(target, temporary)
    os.replace(temporary, link)

