"""The evidence browser's one HTML page: the search form with the CLI's filters, and the results.

Rendered on the server from a plain GET form, so the page needs no script at all and its URL is
a shareable record of the query. Every stored or typed text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from index.published import NoPublishedState, open_published
from ingest.errors import EvidenceError, RequestError, StoreError
from pipeline.review_page import quote_actions
from queries.html_report import QUOTE_STYLE, render_quote
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
        return _page(asked, NO_CHOICES, _error(error)), 503
    if not asked.q.strip():
        return _page(asked, choices, '<p class="hint">Type a codebook theme (suggestions appear as you type) or '
                                     "any words, narrow it down if you like, and press Search.</p>"), 200
    try:
        asked.check()
        if asked.mode == "passages":
            results = _passages(store.search(asked.q, asked.results()))
        else:
            answer = store.theme(asked.q, codebook=asked.codebook or None, k=asked.results(),
                                 where=asked.filters(), min_score=asked.floor())
            results = _quotes(store.data_dir, answer, "/?" + urlencode(asdict(asked)))
    except StoreError as error:
        return _page(asked, choices, _error(error)), 503
    except EvidenceError as error:
        return _page(asked, choices, _error(error)), 400
    return _page(asked, choices, results), 200


def _error(error: Exception) -> str:
    return f'<p class="error" id="error-message" role="alert">{escape(str(error))}</p>'


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


def _quotes(data_dir: Path, answer: ThemeAnswer, back: str) -> str:
    con, _ = open_published(data_dir)
    try:
        contexts = quote_contexts(con, [h.quote_id for h in answer.hits])
        studies = dict(con.execute("SELECT doc_id, study FROM documents").fetchall())
    finally:
        con.close()
    source = (f"codebook {answer.theme.codebook!r}, theme {answer.theme.name!r}" if answer.theme
              else "your own words")
    head = f'<p class="summary" id="result-summary">{answer_summary(answer)}; {escape(source)}; ' \
           f"ranked by {escape(answer.method)}</p>"
    if answer.notice:
        head += f'<p class="notice" id="notice">Note: {escape(answer.notice)}.</p>'
    if answer.theme and answer.theme.description:
        head += f'<p class="description">{escape(answer.theme.description)}</p>'
    cards = [render_quote(h, contexts.get(h.quote_id), study=studies.get(h.doc_id, "")) + quote_actions(h, back)
             for h in answer.hits]
    return head + "\n".join(cards) if cards else head + f'<p class="none">{escape(answer_summary(answer))}.</p>'


def _passages(hits: list[PassageHit]) -> str:
    head = f'<p class="summary" id="result-summary">{len(hits)} passages</p>'
    cards = [
        f'<article class="quote passage"><div class="rank">#{h.rank} <span class="score">{h.score:.3f}</span></div>'
        f"<blockquote>{escape(h.text)}</blockquote>"
        f'<p class="where"><span class="doc">{escape(h.title or h.doc_id)}</span> '
        f'<span class="doc-id">[{escape(h.doc_id)}]</span> '
        f"{escape(', '.join(p for p in (h.section_path, f'p. {h.page}' if h.page else None) if p))}</p></article>"
        for h in hits
    ]
    return head + "\n".join(cards)


def _page(asked: PageQuery, choices: _Choices, results: str) -> str:
    def select(name: str, label: str, options: list[tuple[str, str]], chosen: str, blank: str | None) -> str:
        offered = [("", blank), *options] if blank is not None else list(options)
        items = "".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(text)}</option>'
            for value, text in offered
        )
        return f'<label>{escape(label)} <select name="{name}" id="field-{name}">{items}</select></label>'

    def text(name: str, label: str, value: str, hint: str, suggestions: str) -> str:
        return (f'<label>{escape(label)} <input name="{name}" id="field-{name}" value="{escape(value)}" '
                f'placeholder="{escape(hint)}" list="{suggestions}"></label>')

    def datalist(name: str, values: list[str]) -> str:
        return f'<datalist id="{name}">' + "".join(f'<option value="{escape(v)}">' for v in values) + "</datalist>"

    suggestions = "".join(f'<option value="{escape(name)}">{escape(book)}</option>' for book, name in choices.themes)
    codebooks = sorted({book for book, _ in choices.themes})
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        f"<title>{escape(asked.q + ' - ' if asked.q else '')}evidence browser</title>",
        f"<style>{QUOTE_STYLE}{PAGE_STYLE}</style></head><body>",
        '<header><h1>Evidence browser</h1><p class="meta">For other tools: the same answers as JSON at '
        "/api/theme, /api/search and /api/quotes, described at /docs</p></header>",
        '<form method="get" action="/" class="search" id="search-form">',
        f'<p class="query"><input type="search" name="q" id="field-q" value="{escape(asked.q)}" list="themes" '
        'placeholder="a codebook theme or any words" autofocus size="60" maxlength="2000"> '
        '<button type="submit" id="search-button">Search</button></p>',
        f'<datalist id="themes">{suggestions}</datalist>',
        datalist("respondent-codes", list(choices.respondents)),
        datalist("entity-names", list(choices.entities)),
        '<p class="fields">',
        select("mode", "Show", list(MODES), asked.mode, None),
        select("codebook", "Codebook", [(b, b) for b in codebooks], asked.codebook, "any codebook"),
        select("doc", "Document", [(d, shorten(t, 70)) for d, t in choices.docs], asked.doc, "all documents"),
        select("study", "Study", [(s, s) for s in choices.studies], asked.study, "all studies"),
        select("kind", "Who is speaking", list(KINDS), asked.kind, "anyone"),
        select("where", "Respondent group", list(choices.groups), asked.where, "all respondents"),
        text("respondent", "Respondent", asked.respondent, "a code, e.g. P3S1R03", "respondent-codes"),
        text("entity", "Naming", asked.entity, "an organisation, programme or policy", "entity-names"),
        f'<label>How many <input type="number" name="k" id="field-k" min="1" max="{MAX_RESULTS}" '
        f'value="{escape(asked.k)}"></label>',
        '<label title="Only quotations at least this likely to be evidence for the theme">At least '
        f'<input type="number" name="min_score" id="field-min_score" min="0" max="1" step="0.05" '
        f'value="{escape(asked.min_score)}"></label>',
        "</p></form>",
        f'<main id="results">{results}</main>',
        "</body></html>",
    ]) + "\n"


PAGE_STYLE = """
form.search { border-bottom: 1px solid #ccc; padding-bottom: .6rem; }
form.search .fields { display: flex; flex-wrap: wrap; gap: .5rem 1rem; font-size: .9em; }
form.search input[type=search] { font-size: 1.1em; padding: .2rem .4rem; }
.summary { font-weight: 600; } .hint { color: #555; }
.error { color: #a00; font-weight: 600; border: 1px solid #a00; background: #fff4f4; padding: .4rem .6rem; }
.notice { background: #fffbe6; border: 1px solid #e0c050; padding: .3rem .6rem; }
"""
