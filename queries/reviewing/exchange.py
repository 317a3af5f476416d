"""Reviewers' decisions in and out: listing, orphans, CSV / JSON Lines export and import, and the
reviewer theme codes that a coding model can learn from.

A decision travels with its anchor (document, content hash, span, text), so a file exported from
one evidence base imports into another built from the same documents, and an import that is
run twice adds nothing the second time (decisions keep their ids).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.durable import replacing
from index.published import open_published
from index.review_journal import Anchor, Review, ReviewError, append_reviews, read_reviews
from index.review_state import fold_reviews
from ingest.errors import OutputError

ANCHOR_FIELDS = ("doc_id", "doc_sha256", "char_start", "char_end", "text_sha256", "text", "study", "code")
COLUMNS = ("review_id", "at", "reviewer", "action", "target", *ANCHOR_FIELDS, "before", "after")
FORMATS = ("csv", "jsonl")


def review_rows(reviews: list[Review]) -> list[dict[str, Any]]:
    """One flat row per decision: anchor fields as columns, before and after as JSON text."""
    rows = []
    for review in reviews:
        anchor = review.anchor
        row: dict[str, Any] = {"review_id": review.review_id, "at": review.at, "reviewer": review.reviewer,
                               "action": review.action, "target": review.target}
        row.update({name: getattr(anchor, name) for name in ANCHOR_FIELDS})
        row["before"] = json.dumps(review.before, ensure_ascii=False, sort_keys=True)
        row["after"] = json.dumps(review.after, ensure_ascii=False, sort_keys=True)
        rows.append(row)
    return rows


def list_reviews(data_dir: Path, reviewer: str | None = None) -> list[dict[str, Any]]:
    return review_rows([r for r in read_reviews(data_dir) if reviewer is None or r.reviewer == reviewer])


def list_orphans(data_dir: Path) -> list[dict[str, Any]]:
    """Decisions that no longer find their quotation, document, respondent or theme, with the reason."""
    con, _ = open_published(data_dir, reviewed=False)
    try:
        state = fold_reviews(con, read_reviews(data_dir))
    finally:
        con.close()
    return [{"reason": orphan.reason, **row} for orphan, row in
            zip(state.orphans, review_rows([o.review for o in state.orphans]))]


def export_reviews(data_dir: Path, out_path: Path, fmt: str | None = None) -> dict[str, Any]:
    """Write every decision to a CSV or JSON Lines file (format from `fmt` or the file's suffix)."""
    fmt = fmt or out_path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ReviewError(f"cannot tell the format of {out_path.name}; use a .csv or .jsonl name, or --format")
    reviews = read_reviews(data_dir)
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        with replacing(out_path) as temporary, open(temporary, "w", encoding="utf-8", newline="") as handle:
            if fmt == "jsonl":
                handle.writelines(json.dumps(r.to_json(), ensure_ascii=False, sort_keys=True) + "\n" for r in reviews)
            else:
                writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
                writer.writeheader()
                writer.writerows(review_rows(reviews))
    except OSError as error:
        raise OutputError(f"cannot write {out_path}: {error.strerror or error}") from None
    return {"path": str(out_path), "format": fmt, "reviews": len(reviews)}


def import_reviews(data_dir: Path, in_path: Path, fmt: str | None = None) -> dict[str, Any]:
    """Append the decisions of a CSV or JSON Lines file that the journal does not hold yet."""
    fmt = fmt or in_path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ReviewError(f"cannot tell the format of {in_path.name}; use a .csv or .jsonl name, or --format")
    with open(in_path, encoding="utf-8", newline="") as handle:
        incoming = [_from_jsonl(line, n) for n, line in enumerate(handle, 1) if line.strip()] if fmt == "jsonl" \
            else [_from_csv(row, n) for n, row in enumerate(csv.DictReader(handle), 2)]
    known = {r.review_id for r in read_reviews(data_dir)}
    fresh = [r for r in incoming if not r.review_id or r.review_id not in known]
    append_reviews(data_dir, fresh)
    return {"path": str(in_path), "read": len(incoming), "imported": len(fresh),
            "already_there": len(incoming) - len(fresh)}


@dataclass(frozen=True)
class ThemeDecision:
    """A reviewer's code on a quotation, as it stands now: training data for a coding model."""

    quote_id: int
    doc_id: str
    char_start: int
    char_end: int
    text: str
    codebook: str
    theme: str
    coded: bool
    reviewer: str
    at: str


def reviewer_theme_decisions(data_dir: Path) -> list[ThemeDecision]:
    """The reviewers' last word on each (quotation, theme) pair they coded in or out, placed in the
    current generation; rejected quotations are left out."""
    con, _ = open_published(data_dir, reviewed=False)
    try:
        state = fold_reviews(con, read_reviews(data_dir))
    finally:
        con.close()
    decisions = []
    for quote in state.quotes.values():
        if quote.rejected:
            continue
        last = {}
        for review in quote.decisions:
            if review.action == "theme":
                last[(review.after.get("codebook"), review.after.get("theme"))] = review
        for (codebook, theme), review in last.items():
            decisions.append(ThemeDecision(quote.quote_id, quote.doc_id, quote.char_start, quote.char_end, quote.text,
                                           str(codebook), str(theme), bool(review.after.get("coded")),
                                           review.reviewer, review.at))
    return decisions


def _from_jsonl(line: str, number: int) -> Review:
    try:
        return Review.from_json(json.loads(line))
    except ValueError as error:
        raise ReviewError(f"line {number}: {error}") from None


def _from_csv(row: dict[str, str], number: int) -> Review:
    try:
        anchor = Anchor(**{name: _cell(name, row.get(name)) for name in ANCHOR_FIELDS})
        review = Review(action=row["action"], target=row["target"], anchor=anchor, reviewer=row["reviewer"],
                        after=json.loads(row.get("after") or "{}"), before=json.loads(row.get("before") or "{}"),
                        at=row.get("at") or "", review_id=row.get("review_id") or "")
    except (KeyError, ValueError) as error:
        raise ReviewError(f"row {number}: not a review ({error})") from None
    review.check()
    return review


def _cell(name: str, value: str | None) -> Any:
    if value is None or value == "":
        return None
    return int(value) if name in ("char_start", "char_end") else value
