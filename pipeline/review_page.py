"""The document view of the evidence browser: the whole document with its quotations highlighted,
its sections navigable, and beside each quotation the reviewer's actions.

Every action is a plain POST form (accept, reject, respondent, theme in or out, memo); the two
that need a selection (add a quotation, adjust a span) take its offsets from a small script,
served from the same origin, that reads `data-o` (the offset of each text run in the document's
normalised text). The page is `templates/document.html.j2`, rendered with autoescape so every
stored or typed text is escaped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote as url_quote

from index.published import open_published
from index.review_overlay import has_overlay
from index.review_state import memo_text, reviewed_state
from ingest.errors import RequestError
from queries.html_templates import html_environment, static_text
from queries.search.quote_listing import theme_memberships


class UnknownDocument(RequestError, LookupError):
    """The document id names no document of the published store."""


@dataclass
class DocQuote:
    """A quotation of the document as the reviewer sees it, rejected ones included (shown struck out)."""

    quote_id: int
    char_start: int
    char_end: int
    text: str
    respondent_code: str | None
    status: str | None
    added: bool
    memo: str | None
    themes: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class DocumentView:
    doc_id: str
    title: str
    study: str
    text: str
    sections: list[tuple[int, int, str, int]]
    quotes: list[DocQuote]
    memo: str | None
    respondent_memos: dict[str, str]
    theme_choices: list[tuple[int, str, str]]
    orphans: int = 0


def gather_document(data_dir: Path, doc_id: str) -> DocumentView:
    """Read one document, its sections and quotations (with review status, themes and memos)."""
    con, generation = open_published(data_dir)
    try:
        row = con.execute("SELECT coalesce(title, doc_id), study, coalesce(text, '') FROM documents WHERE doc_id = ?",
                          [doc_id]).fetchone()
        if row is None:
            raise UnknownDocument(f"no document {doc_id!r} in the store")
        title, study, text = row
        sections = con.execute("SELECT section_id, level, heading, char_start FROM sections WHERE doc_id = ? "
                               "ORDER BY char_start, level", [doc_id]).fetchall()
        overlay = has_overlay(con)
        review_columns = ("r.status, coalesce(NOT r.extracted, false), r.memo" if overlay
                          else "NULL, false, NULL")
        review_join = "LEFT JOIN review_quotes r USING (quote_id)" if overlay else ""
        rows = con.execute(
            f"SELECT q.quote_id, q.char_start, q.char_end, q.text, q.respondent_code, {review_columns} "
            f"FROM quotes q {review_join} WHERE q.doc_id = ? ORDER BY q.char_start", [doc_id]).fetchall()
        if overlay:
            rows += con.execute(
                "SELECT quote_id, char_start, char_end, text, respondent_code, status, NOT extracted, memo "
                "FROM review_quotes WHERE doc_id = ? AND status = 'rejected'", [doc_id]).fetchall()
        quotes = {r[0]: DocQuote(*r) for r in rows}
        coded_by_reviewer = set(con.execute(
            "SELECT quote_id, theme_id FROM review_theme_codes WHERE coded").fetchall()) if overlay else set()
        for quote_id, members in theme_memberships(con, list(quotes)).items():
            quotes[quote_id].themes = [(book, name, "reviewer" if (quote_id, theme_id) in coded_by_reviewer
                                        else "automatic") for theme_id, book, name in members]
        choices = con.execute("SELECT theme_id, codebook, name FROM themes ORDER BY codebook, ordinal, theme_id"
                              ).fetchall()
        state = reviewed_state(con, data_dir, generation.path)
    finally:
        con.close()
    return DocumentView(doc_id, title, study, text, sections, sorted(quotes.values(), key=lambda q: q.char_start),
                        memo_text(state.document_memos.get(doc_id)) or None,
                        {code: memo_text(r) for (s, code), r in state.respondent_memos.items()
                         if s == study and memo_text(r)},
                        choices, sum(o.review.anchor.doc_id == doc_id for o in state.orphans))


def render_document(view: DocumentView, reviewer: str) -> str:
    """The whole page, from `templates/document.html.j2`."""
    cards = [{**asdict(q), "shown_status": _status(q), "css": _status(q).replace(" ", "-")} for q in view.quotes]
    respondents = sorted({q.respondent_code for q in view.quotes if q.respondent_code})
    return html_environment("pipeline").get_template("document.html.j2").render(
        view=view, reviewer=reviewer, back=document_href(view.doc_id), cards=cards,
        runs=_text_runs(view), respondents=[(code, _slug(code)) for code in respondents])


def _status(quote: DocQuote) -> str:
    return "added" if quote.added and quote.status != "rejected" else (quote.status or "not reviewed")


def _text_runs(view: DocumentView) -> list[dict]:
    """The text cut at every quotation and section boundary; each run carries its offset, the
    sections that open there and the quotation (if any) that covers it."""
    text = view.text
    visible = [q for q in view.quotes if q.status != "rejected"]
    cuts = sorted({0, len(text), *(s[3] for s in view.sections if 0 <= s[3] <= len(text)),
                   *(q.char_start for q in visible), *(q.char_end for q in visible)})
    starts: dict[int, list[int]] = {}
    for section_id, _, _, start in view.sections:
        starts.setdefault(start, []).append(section_id)
    runs = []
    for start, end in pairwise(cuts):
        covering = [q for q in visible if q.char_start <= start and end <= q.char_end]
        first = covering[0] if covering else None
        runs.append({
            "start": start, "text": text[start:end], "sections": starts.get(start, []), "quote": first,
            "ids": " ".join(f"q-{q.quote_id}" for q in covering),
            "opens": first is not None and first.char_start == start,
            "status": first and ("added" if first.added else (first.status or "extracted")),
        })
    return runs


def document_href(doc_id: str) -> str:
    """The address of a document's view (also where its review forms come back to)."""
    return f"/doc/{url_quote(doc_id, safe='')}"


def _slug(value: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in value)


REVIEW_SCRIPT = static_text("pipeline", "review.js")
