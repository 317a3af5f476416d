"""What a REFI-QDA export needs from the reviewers: who they are, which codings and quotations are
theirs and when they made them, and their memos, read from the review overlay of the connection
(index/review_overlay.py). Without an overlay everything is the automatic coder's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from index.review_overlay import has_overlay

# Characters a file name cannot hold on some system QDA tools run on, and control characters.
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
MAX_TITLE_CHARS = 120
# Code colours, one per theme in codebook order (a palette readable on white), and the codebook's own.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
           "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
CODEBOOK_COLOUR = "#555555"
CASE_CODE_COLOUR = "#999999"


@dataclass(frozen=True)
class Authored:
    """Who made something, and when (a reviewer's decision time)."""

    reviewer: str
    at: datetime | None


@dataclass(frozen=True)
class Memo:
    target: str
    key: object
    text: str
    by: Authored


@dataclass
class ReviewLayer:
    """Reviewer-authored codings (quote id, theme id), added quotations, and memos."""

    codings: dict[tuple[int, int], Authored] = field(default_factory=dict)
    added: dict[int, Authored] = field(default_factory=dict)
    memos: list[Memo] = field(default_factory=list)

    @property
    def reviewers(self) -> list[str]:
        names = {a.reviewer for a in (*self.codings.values(), *self.added.values())}
        return sorted(names | {m.by.reviewer for m in self.memos})

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> ReviewLayer:
        layer = cls()
        if not has_overlay(con):
            return layer
        for quote_id, theme_id, reviewer, at in con.execute(
                "SELECT quote_id, theme_id, reviewer, decided_at FROM review_theme_codes "
                "WHERE coded AND theme_id IS NOT NULL").fetchall():
            layer.codings[(quote_id, theme_id)] = Authored(reviewer, _time(at))
        for quote_id, reviewers, at in con.execute(
                "SELECT quote_id, reviewers, reviewed_at FROM review_quotes WHERE NOT extracted "
                "AND status IS DISTINCT FROM 'rejected'").fetchall():
            layer.added[quote_id] = Authored(reviewers[0] if reviewers else "reviewer", _time(at))
        for target, quote_id, doc_id, study, code, memo, reviewer, at in con.execute(
                "SELECT target, quote_id, doc_id, study, code, memo, reviewer, decided_at FROM review_memos "
                "ORDER BY target, decided_at").fetchall():
            key = {"quote": quote_id, "document": doc_id}.get(target, (study, code))
            layer.memos.append(Memo(target, key, memo, Authored(reviewer, _time(at))))
        return layer

    def memo_on(self, target: str, key: object) -> Memo | None:
        return next((m for m in self.memos if m.target == target and m.key == key), None)


def safe_title(title: str, taken: set[str]) -> str:
    """A source name that is also a valid file name everywhere (QualCoder copies a source to a file of
    its name), unique among those already `taken`."""
    name = _UNSAFE_IN_FILE_NAMES.sub("-", title).strip(" .-") or "untitled"
    name = name[:MAX_TITLE_CHARS].rstrip(" .-")
    unique, n = name, 2
    while unique.lower() in taken:
        unique, n = f"{name} ({n})", n + 1
    taken.add(unique.lower())
    return unique


def code_colour(position: int) -> str:
    return PALETTE[position % len(PALETTE)]


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(value).replace(tzinfo=None)
