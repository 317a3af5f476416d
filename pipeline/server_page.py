"""The evidence browser's one HTML page: the search form with the CLI's filters, and the results.

Rendered on the server from a plain GET form, so the page needs no script at all and its URL is
a shareable record of the query. The page is `templates/page.html.j2` (quotation cards from the
report's `quote.html.j2`), rendered with autoescape so every stored or typed text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from index.published import NoPublishedState, open_published
from ingest.errors import EvidenceError, RequestError, StoreError
from pipeline.review_page import document_href
from queries.exports.report import ReportQuote
from queries.html_templates import html_environment
from queries.search.known_values import distinct, shorten
from queries.search.passages import PassageHit
from queries.search.quote_context import quote_contexts
from queries.search.quote_filters import QuoteFilter, facet_names, parse_where
from queries.search.theme_evidence import ThemeAnswer, answer_summary
from queries.store import EvidenceStore

# The kinds of source, as a reviewer names them.
KINDS = (("interview", "interviews"), ("document", "documents the reports cite"), ("other", "other sources"))
MODES = (("quotes", "quotations, ranked as evidence for a theme or topic"),
         ("passages", "passages of the reports, nearest in meaning"))
MAX_RESULTS = 100


class PageError(RequestError):
    """A choice on the form the page cannot use, said as the reviewer would read it."""


@dataclass(frozen=True)
class PageQuery:
    """What the form asked for; empty strings are fields left blank."""

    q: str = ""
    mode: str = "quotes"
    codebook: str = ""
    doc: str = ""
    study: str = ""
    kind: str = ""
    respondent: str = ""
    where: str = ""
    entity: str = ""
    k: str = "10"
    min_score: str = "0.5"

    def results(self) -> int:
        """How many results were asked for: a whole number from 1 to MAX_RESULTS."""
        try:
            k = int(self.k.strip() or "10")
        except ValueError:
            raise PageError(f"'How many' takes a whole number from 1 to {MAX_RESULTS}; got {self.k!r}") from None
        if not 1 <= k <= MAX_RESULTS:
            raise PageError(f"'How many' takes a whole number from 1 to {MAX_RESULTS}; got {k}")
        return k

    def floor(self) -> float:
        """The least probability a quotation needs to be shown: a number from 0 to 1."""
        try:
            floor = float(self.min_score.strip() or "0.5")
        except ValueError:
            raise PageError(f"'At least' takes a number from 0 to 1; got {self.min_score!r}") from None
        if not 0.0 <= floor <= 1.0:
            raise PageError(f"'At least' takes a number from 0 to 1; got {floor:g}")
        return floor

    def check(self) -> None:
        """Refuse a choice the form never offers (a hand-edited address), with a message."""
        if self.mode not in dict(MODES):
            raise PageError("choose what to show: quotations or passages")
        if self.kind.strip() and self.kind.strip() not in dict(KINDS):
            raise PageError(f"there is no source {self.kind!r}; choose interviews, documents or other")
        self.results()
        self.floor()

    def filters(self) -> QuoteFilter:
        def one(value: str) -> tuple[str, ...]:
            return (value.strip(),) if value.strip() else ()

        return QuoteFilter(docs=one(self.doc), studies=one(self.study), kinds=one(self.kind),
                           respondents=one(self.respondent), entities=one(self.entity),
                           facets=parse_where(one(self.where)))


@dataclass(frozen=True)
class _Choices:
    """What the form offers: the documents, studies, codebook themes, respondent groups,
    respondents and entity names of the published store."""

    docs: list[tuple[str, str]]
    studies: list[str]
    themes: list[tuple[str, str]]
    groups: Sequence[tuple[str, str]] = ()
    respondents: Sequence[str] = ()
    entities: Sequence[str] = ()


NO_CHOICES = _Choices([], [], [])


def render_page(store: EvidenceStore, asked: PageQuery) -> tuple[str, int]:
    """The page and its HTTP status: 400 for a query the store cannot answer, 503 before any ingest.
    Every problem is a message in the page, never a raw error."""
    try:
        choices = _choices(store.data_dir)
    except NoPublishedState as error:
        return _page(asked, NO_CHOICES, error=error), 503
    if not asked.q.strip():
        return _page(asked, choices), 200
    try:
        asked.check()
        if asked.mode == "passages":
            return _page(asked, choices, passages=store.search(asked.q, asked.results())), 200
        answer = store.theme(asked.q, codebook=asked.codebook or None, k=asked.results(),
                             where=asked.filters(), min_score=asked.floor())
        return _page(asked, choices, answer=answer, cards=_cards(store.data_dir, answer)), 200
    except StoreError as error:
        return _page(asked, choices, error=error), 503
    except EvidenceError as error:
        return _page(asked, choices, error=error), 400


def _choices(data_dir: Path) -> _Choices:
    con, _ = open_published(data_dir)
    try:
        docs = con.execute("SELECT doc_id, coalesce(title, doc_id) FROM documents ORDER BY doc_id").fetchall()
        studies = [r[0] for r in con.execute("SELECT DISTINCT study FROM documents ORDER BY 1").fetchall()]
        themes = con.execute("SELECT codebook, name FROM themes ORDER BY codebook, ordinal, theme_id").fetchall()
        groups = [(f"{name}={value}", f"{name.replace('_', ' ')}: {value}")
                  for name in facet_names(con) if name not in ("study", "code", "scheme", "number")
                  for value in distinct(con, f'SELECT CAST("{name}" AS VARCHAR) FROM respondents')]
        respondents = distinct(con, "SELECT respondent_code FROM quotes")
        entities = distinct(con, "SELECT canonical FROM entities")
    finally:
        con.close()
    return _Choices(docs, studies, themes, groups, respondents, entities)


def _cards(data_dir: Path, answer: ThemeAnswer) -> list[ReportQuote]:
    """The answer's quotations with their study and surrounding paragraphs, as the report shows them."""
    con, _ = open_published(data_dir)
    try:
        contexts = quote_contexts(con, [h.quote_id for h in answer.hits])
        studies = dict(con.execute("SELECT doc_id, study FROM documents").fetchall())
    finally:
        con.close()
    return [ReportQuote(h, studies.get(h.doc_id, ""), contexts.get(h.quote_id)) for h in answer.hits]


def _page(asked: PageQuery, choices: _Choices, *, error: Exception | None = None, answer: ThemeAnswer | None = None,
          cards: Sequence[ReportQuote] = (), passages: Sequence[PassageHit] | None = None) -> str:
    """The page from `templates/page.html.j2`: the form as asked, then the error, hint or results."""
    source = ("your own words" if answer is None or answer.theme is None
              else f"codebook {answer.theme.codebook!r}, theme {answer.theme.name!r}")
    return html_environment("pipeline", "queries").get_template("page.html.j2").render(
        asked=asked, choices=choices, error=None if error is None else str(error), passages=passages,
        answer=answer, cards=cards, summary=answer_summary(answer) if answer else "", source=source,
        back="/?" + urlencode(asdict(asked)), document_href=document_href, max_results=MAX_RESULTS,
        modes=list(MODES), kinds=list(KINDS), codebooks=[(b, b) for b in sorted({b for b, _ in choices.themes})],
        docs=[(d, shorten(t, 70)) for d, t in choices.docs], studies=[(s, s) for s in choices.studies],
    )
