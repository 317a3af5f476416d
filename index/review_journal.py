"""The reviewers' decisions: an append-only JSON Lines journal beside the generations.

Reviews are a layer of their own. An ingest builds and swaps whole generations; the journal
(`<data>/reviews.jsonl`) sits outside them, so no ingest replaces, copies or removes it, and a
review written while an ingest runs is kept. Each decision is one line, written with one
`write` on a file opened for appending and then `fsync`ed, under an exclusive lock, so a
writer killed half-way leaves at most one torn last line, which readers skip and the next
writer seals off with a newline.

A decision names what it is about by a stable anchor rather than a row id: for a quotation the
document's content hash, the span and the span's text (and its hash), so it can be found again
when the document changes (see `index/review_state.py`).
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.durable import fsync_dir
from ingest.errors import RequestError

JOURNAL_FILE = "reviews.jsonl"
ACTIONS = ("accept", "reject", "respondent", "span", "add", "theme", "memo")
TARGETS = ("quote", "document", "respondent")


class ReviewError(RequestError):
    """A decision that cannot be recorded or read: unknown action, missing anchor, bad record."""


@dataclass(frozen=True)
class Anchor:
    """Where a decision points. A quotation: document, its content hash, span, the span's text and hash.
    A document: doc_id (and hash). A respondent: study and code."""

    doc_id: str | None = None
    doc_sha256: str | None = None
    char_start: int | None = None
    char_end: int | None = None
    text: str | None = None
    text_sha256: str | None = None
    study: str | None = None
    code: str | None = None


@dataclass(frozen=True)
class Review:
    """One decision by one reviewer: what it is about, and the value before and after."""

    action: str
    target: str
    anchor: Anchor
    reviewer: str
    after: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    at: str = ""
    review_id: str = ""

    def stamped(self) -> Review:
        """The review with an id and a UTC time, unless it already has them (an imported one)."""
        return Review(self.action, self.target, self.anchor, self.reviewer, self.after, self.before,
                      self.at or datetime.now(UTC).isoformat(timespec="milliseconds"),
                      self.review_id or uuid.uuid4().hex)

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["anchor"] = {k: v for k, v in record["anchor"].items() if v is not None}
        return record

    @classmethod
    def from_json(cls, record: dict[str, Any]) -> Review:
        try:
            review = cls(action=record["action"], target=record["target"], anchor=Anchor(**record["anchor"]),
                         reviewer=record["reviewer"], after=dict(record.get("after") or {}),
                         before=dict(record.get("before") or {}), at=record.get("at", ""),
                         review_id=record.get("review_id", ""))
        except (KeyError, TypeError) as error:
            raise ReviewError(f"not a review record ({error}): {str(record)[:120]}") from None
        review.check()
        return review

    def check(self) -> None:
        if self.action not in ACTIONS:
            raise ReviewError(f"unknown review action {self.action!r}; actions: {', '.join(ACTIONS)}")
        if self.target not in TARGETS:
            raise ReviewError(f"unknown review target {self.target!r}; targets: {', '.join(TARGETS)}")
        if not self.reviewer or not self.reviewer.strip():
            raise ReviewError("a review needs the reviewer's name")
        if self.target == "quote" and (self.anchor.doc_id is None or self.anchor.char_start is None
                                       or self.anchor.char_end is None or self.anchor.text is None):
            raise ReviewError("a review of a quotation needs its document, span and text")
        if self.target == "document" and not self.anchor.doc_id:
            raise ReviewError("a memo on a document needs the document id")
        if self.target == "respondent" and not (self.anchor.study and self.anchor.code):
            raise ReviewError("a memo on a respondent needs the study and the respondent code")


def journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL_FILE


def append_reviews(data_dir: Path, reviews: Iterable[Review]) -> list[Review]:
    """Write the decisions durably (one write and one fsync for the lot) and return them as stored."""
    stamped = [r.stamped() for r in reviews]
    for review in stamped:
        review.check()
    if not stamped:
        return []
    payload = "".join(json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for r in stamped)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = journal_path(data_dir)
    with _locked(path) as fd:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            payload = "\n" + payload
        data = payload.encode("utf-8")
        while data:
            written = os.write(fd, data)
            data = data[written:]
        os.fsync(fd)
    fsync_dir(data_dir)
    return stamped


def read_reviews(data_dir: Path) -> list[Review]:
    """Every decision in the order written; a line cut short (a writer killed mid-write) is skipped."""
    return list(_records(journal_path(data_dir)))


def journal_stamp(data_dir: Path) -> tuple[int, int] | None:
    """Size and change time of the journal: a cache key that moves with every append."""
    try:
        stat = journal_path(data_dir).stat()
    except FileNotFoundError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _records(path: Path) -> Iterator[Review]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if line.rstrip().endswith(b"}"):
                raise ReviewError(f"{path}, line {number}: not JSON; was the journal edited by hand?") from None
            continue  # a write cut short by a killed writer: never acknowledged, sealed off by the next one
        yield Review.from_json(record)


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)

