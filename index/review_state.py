"""The reviewed state of one generation: the journal's decisions folded onto its quotations.

Each decision is found again in the generation by its anchor. When the document's content hash
is the one the reviewer saw, the span is used as it was; when the document changed, the span's
text is looked for in the new text (exactly, then with any run of white space matching any
other), and the occurrence nearest the old place wins. A decision whose document is gone or
whose text is no longer there is an orphan: kept in the journal, listed by `evidence review
orphans`, never silently dropped.

A decision then lands on the quotation at that span: the extracted one with the same span, else
the one overlapping it most; `add` creates a quotation of the reviewer's own. Decisions apply
in the order written, so the latest one wins and a span change carries the quotation's earlier
decisions with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from index.ids import stable_id
from index.review_journal import Review, journal_stamp, read_reviews

ADDED_QUOTE = "reviewed-quote"


@dataclass
class QuoteReview:
    """A quotation after the decisions on it: where it is, what it says, and what reviewers decided."""

    quote_id: int
    doc_id: str
    char_start: int
    char_end: int
    text: str
    extracted: bool
    respondent_code: str | None = None
    respondent_changed: bool = False
    status: str | None = None
    themes: dict[tuple[str, str], bool] = field(default_factory=dict)
    memo: str | None = None
    decisions: list[Review] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return self.status == "rejected"

    def last(self, action: str, theme: tuple[str, str] | None = None) -> Review | None:
        """The latest decision of this kind (on this theme), which is the one in force."""
        for review in reversed(self.decisions):
            if review.action == action and (theme is None or (review.after.get("codebook"),
                                                              review.after.get("theme")) == theme):
                return review
        return None


@dataclass(frozen=True)
class Orphan:
    """A decision that no longer finds its place, and why."""

    review: Review
    reason: str


@dataclass
class ReviewedState:
    """Per quotation id its reviewed form (only quotations some decision touched), memos on documents and
    respondents, and the orphans."""

    quotes: dict[int, QuoteReview] = field(default_factory=dict)
    document_memos: dict[str, Review] = field(default_factory=dict)
    respondent_memos: dict[tuple[str, str], Review] = field(default_factory=dict)
    orphans: list[Orphan] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.reviews


_cache: dict[tuple, ReviewedState] = {}


def reviewed_state(con: duckdb.DuckDBPyConnection, data_dir: Path, generation: Path) -> ReviewedState:
    """The journal folded onto the generation `con` reads; remembered until either changes."""
    stamp = journal_stamp(data_dir)
    if stamp is None:
        return ReviewedState()
    key = (str(generation), stamp)
    state = _cache.get(key)
    if state is None:
        state = fold_reviews(con, read_reviews(data_dir))
        _cache.clear()
        _cache[key] = state
    return state


def fold_reviews(con: duckdb.DuckDBPyConnection, reviews: list[Review]) -> ReviewedState:
    """Apply the decisions in order to the generation's quotations (main tables, never an overlay)."""
    state = ReviewedState(reviews=list(reviews))
    if not reviews:
        return state
    folder = _Folder(con, state)
    for review in reviews:
        folder.apply(review)
    return state


class _Folder:
    def __init__(self, con: duckdb.DuckDBPyConnection, state: ReviewedState) -> None:
        db = stored_tables(con)
        self.con = con
        self.state = state
        self.docs = {doc_id: (sha, text or "") for doc_id, sha, text in con.execute(
            f"SELECT doc_id, sha256(coalesce(text, '')), text FROM {db}.documents").fetchall()}
        self.extracted: dict[str, list[tuple[int, int, int, str, str | None]]] = {}
        for quote_id, doc_id, start, end, text, code in con.execute(
                f"SELECT quote_id, doc_id, char_start, char_end, text, respondent_code FROM {db}.quotes "
                "ORDER BY doc_id, char_start").fetchall():
            self.extracted.setdefault(doc_id, []).append((quote_id, start, end, text, code))
        self.respondents = {(study, code) for study, code in con.execute(
            f"SELECT study, code FROM {db}.respondents").fetchall()}
        self.themes = set(con.execute(f"SELECT codebook, name FROM {db}.themes").fetchall())
        # Where each reviewed quotation is now: (doc_id, start, end) -> its quote id.
        self.at: dict[tuple[str, int, int], int] = {}

    def apply(self, review: Review) -> None:
        if review.target == "document":
            doc_id = review.anchor.doc_id
            if doc_id is None or doc_id not in self.docs:
                self._orphan(review, f"document {doc_id!r} is no longer in the store")
            else:
                self.state.document_memos[doc_id] = review
            return
        if review.target == "respondent":
            key = (review.anchor.study or "", review.anchor.code or "")
            if key not in self.respondents and not self._code_in_use(key[1]):
                self._orphan(review, f"no respondent {key[1]!r} in study {key[0]!r} any more")
            else:
                self.state.respondent_memos[key] = review
            return
        if review.action == "theme" and (review.after.get("codebook"), review.after.get("theme")) not in self.themes:
            self._orphan(review, f"no theme {review.after.get('theme')!r} in codebook {review.after.get('codebook')!r}")
            return
        span = self._locate(review)
        if span is None:
            return
        quote = self._quote_at(review, span)
        if quote is None:
            return
        self._decide(quote, review)

    def _locate(self, review: Review) -> tuple[str, int, int] | None:
        anchor = review.anchor
        doc = self.docs.get(anchor.doc_id or "")
        if doc is None or anchor.doc_id is None:
            self._orphan(review, f"document {anchor.doc_id!r} is no longer in the store")
            return None
        if anchor.char_start is None or anchor.char_end is None:
            self._orphan(review, "the decision names no span of the document")
            return None
        sha, text = doc
        start, end = int(anchor.char_start), int(anchor.char_end)
        if sha == anchor.doc_sha256 or text[start:end] == anchor.text:
            return anchor.doc_id, start, end
        found = relocate(text, anchor.text or "", start)
        if found is None:
            self._orphan(review, f"the text is no longer in document {anchor.doc_id!r}")
            return None
        return (anchor.doc_id, *found)

    def _quote_at(self, review: Review, span: tuple[str, int, int]) -> QuoteReview | None:
        doc_id, start, end = span
        known = self.at.get(span)
        if known is not None:
            return self.state.quotes[known]
        if review.action == "add":
            quote_id = stable_id(ADDED_QUOTE, doc_id, start, end)
            return self._remember(QuoteReview(quote_id, doc_id, start, end, self.docs[doc_id][1][start:end],
                                              extracted=False))
        best = _most_overlapping(self.extracted.get(doc_id, []), start, end)
        if best is None:
            self._orphan(review, f"no quotation at {doc_id} {start}-{end} any more")
            return None
        quote_id, q_start, q_end, q_text, code = best
        if quote_id in self.state.quotes:
            return self.state.quotes[quote_id]
        return self._remember(QuoteReview(quote_id, doc_id, q_start, q_end, q_text, extracted=True,
                                          respondent_code=code))

    def _remember(self, quote: QuoteReview) -> QuoteReview:
        self.state.quotes[quote.quote_id] = quote
        self.at[(quote.doc_id, quote.char_start, quote.char_end)] = quote.quote_id
        return quote

    def _decide(self, quote: QuoteReview, review: Review) -> None:
        quote.decisions.append(review)
        after = review.after
        if review.action in ("accept", "reject"):
            quote.status = "accepted" if review.action == "accept" else "rejected"
        elif review.action == "add":
            quote.status = "accepted"
            if after.get("respondent_code"):
                quote.respondent_code, quote.respondent_changed = str(after["respondent_code"]), True
        elif review.action == "respondent":
            quote.respondent_code = str(after.get("respondent_code") or "") or None
            quote.respondent_changed = True
        elif review.action == "span":
            self._move(quote, review)
        elif review.action == "theme":
            quote.themes[(str(after.get("codebook", "")), str(after.get("theme", "")))] = bool(after.get("coded"))
        elif review.action == "memo":
            quote.memo = str(after.get("memo") or "") or None

    def _move(self, quote: QuoteReview, review: Review) -> None:
        text = self.docs[quote.doc_id][1]
        start, end = int(review.after["char_start"]), int(review.after["char_end"])
        wanted = str(review.after.get("text") or "")
        if text[start:end] != wanted:
            found = relocate(text, wanted, start) if wanted else None
            if found is None:
                self._orphan(review, f"the new span's text is no longer in document {quote.doc_id!r}")
                return
            start, end = found
        self.at.pop((quote.doc_id, quote.char_start, quote.char_end), None)
        quote.char_start, quote.char_end, quote.text = start, end, text[start:end]
        self.at[(quote.doc_id, start, end)] = quote.quote_id

    def _code_in_use(self, code: str) -> bool:
        return any(q.respondent_code == code for q in self.state.quotes.values())

    def _orphan(self, review: Review, reason: str) -> None:
        self.state.orphans.append(Orphan(review, reason))


def memo_text(review: Review | None) -> str:
    return str(review.after.get("memo") or "") if review is not None else ""


def stored_tables(con: duckdb.DuckDBPyConnection) -> str:
    """The generation's own tables (`"<catalog>".main`), past any overlay on this connection: DuckDB
    resolves a bare `main.quotes` to a temporary table of that name first."""
    (name,) = con.execute("SELECT current_database()").fetchone() or ("",)
    return '"' + name.replace('"', '""') + '".main'


def relocate(text: str, wanted: str, near: int) -> tuple[int, int] | None:
    """The span of `wanted` in `text` nearest to offset `near`: exact first, then white space loosened."""
    if not wanted.strip():
        return None
    spans = [(m.start(), m.start() + len(wanted)) for m in re.finditer(re.escape(wanted), text)]
    if not spans:
        loose = r"\s+".join(re.escape(word) for word in wanted.split())
        spans = [(m.start(), m.end()) for m in re.finditer(loose, text)]
    if not spans:
        return None
    return min(spans, key=lambda s: abs(s[0] - near))


def _most_overlapping(quotes: list[tuple], start: int, end: int) -> tuple | None:
    """The quotation sharing the most characters with the span, if it shares at least half of the shorter."""
    best, best_overlap = None, 0
    for quote in quotes:
        overlap = min(end, quote[2]) - max(start, quote[1])
        if overlap > best_overlap:
            best, best_overlap = quote, overlap
    if best is None or best_overlap * 2 < min(end - start, best[2] - best[1]):
        return None
    return best
