"""The evidence browser's one HTML page: the search form with the CLI's filters, and the results.

Rendered on the server from a plain GET form, so the page needs no script at all and its URL is
a shareable record of the query. Every stored or typed text goes through `html.escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from index.embedder import Embedder
from index.published import NoPublishedState, open_published
from index.vector_index import IndexMismatch
from queries.html_report import QUOTE_STYLE, render_quote
from queries.quote_context import quote_contexts
from queries.quote_filters import QuoteFilter, parse_where
from queries.search import PassageHit, search_passages
from queries.theme_evidence import ThemeAnswer, answer_summary, theme_evidence

KINDS = ("interview", "document", "other")


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
    k: int = 10
    min_score: float = 0.5

    def filters(self) -> QuoteFilter:
        def one(value: str) -> tuple[str, ...]:
            return (value.strip(),) if value.strip() else ()

        return QuoteFilter(docs=one(self.doc), studies=one(self.study), kinds=one(self.kind),
                           respondents=one(self.respondent), entities=one(self.entity),
                           facets=parse_where(one(self.where)))


@dataclass(frozen=True)
class _Choices:
    """What the form offers: documents, studies and codebook themes of the published store."""

    docs: list[tuple[str, str]]
    studies: list[str]
    themes: list[tuple[str, str]]


def render_page(data_dir: Path, asked: PageQuery, embedder: Callable[[], Embedder]) -> tuple[str, int]:
    """The page and its HTTP status: 400 for a query the store cannot answer, 503 before any ingest."""
    try:
        choices = _choices(data_dir)
    except NoPublishedState as error:
        return _page(asked, _Choices([], [], []), f'<p class="error">{escape(str(error))}</p>'), 503
    if not asked.q.strip():
        return _page(asked, choices, '<p class="hint">Type a codebook theme (suggestions appear as you type) or '
                                     "any text, choose filters, and press Search.</p>"), 200
    try:
        if asked.mode == "passages":
            results = _passages(search_passages(data_dir, asked.q, embedder(), asked.k))
        else:
            answer = theme_evidence(data_dir, asked.q, codebook=asked.codebook or None, k=asked.k,
                                    where=asked.filters(), embedder_factory=embedder, min_score=asked.min_score)
            results = _quotes(data_dir, answer)
    except ValueError as error:
        return _page(asked, choices, f'<p class="error">{escape(str(error))}</p>'), 400
    except (OSError, IndexMismatch) as error:
        return _page(asked, choices, f'<p class="error">{escape(str(error))}</p>'), 503
    return _page(asked, choices, results), 200


def _choices(data_dir: Path) -> _Choices:
    con, _ = open_published(data_dir)
    try:
        docs = con.execute("SELECT doc_id, coalesce(title, doc_id) FROM documents ORDER BY doc_id").fetchall()
        studies = [r[0] for r in con.execute("SELECT DISTINCT study FROM documents ORDER BY 1").fetchall()]
        themes = con.execute("SELECT codebook, name FROM themes ORDER BY codebook, ordinal, theme_id").fetchall()
    finally:
        con.close()
    return _Choices(docs, studies, themes)


def _quotes(data_dir: Path, answer: ThemeAnswer) -> str:
    con, _ = open_published(data_dir)
    try:
        contexts = quote_contexts(con, [h.quote_id for h in answer.hits])
        studies = dict(con.execute("SELECT doc_id, study FROM documents").fetchall())
    finally:
        con.close()
    source = (f"codebook {answer.theme.codebook!r}, theme {answer.theme.name!r}" if answer.theme
              else "free text")
    head = f'<p class="summary" id="result-summary">{answer_summary(answer)}; {escape(source)}; ' \
           f"ranked by {escape(answer.method)}</p>"
    if answer.theme and answer.theme.description:
        head += f'<p class="description">{escape(answer.theme.description)}</p>'
    cards = [render_quote(h, contexts.get(h.quote_id), study=studies.get(h.doc_id, "")) for h in answer.hits]
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
    def select(name: str, label: str, options: list[tuple[str, str]], chosen: str) -> str:
        items = "".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>{escape(text)}</option>'
            for value, text in [("", "any"), *options]
        )
        return f'<label>{escape(label)} <select name="{name}" id="field-{name}">{items}</select></label>'

    def text(name: str, label: str, value: str, hint: str) -> str:
        return (f'<label>{escape(label)} <input name="{name}" id="field-{name}" value="{escape(value)}" '
                f'placeholder="{escape(hint)}"></label>')

    suggestions = "".join(f'<option value="{escape(name)}">{escape(book)}</option>' for book, name in choices.themes)
    codebooks = sorted({book for book, _ in choices.themes})
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        f"<title>{escape(asked.q + ' - ' if asked.q else '')}evidence browser</title>",
        f"<style>{QUOTE_STYLE}{PAGE_STYLE}</style></head><body>",
        '<header><h1>Evidence browser</h1><p class="meta">JSON: /api/theme, /api/search, /api/quotes; '
        "documented at /docs</p></header>",
        '<form method="get" action="/" class="search" id="search-form">',
        f'<p class="query"><input type="search" name="q" id="field-q" value="{escape(asked.q)}" list="themes" '
        'placeholder="a codebook theme or any text" autofocus size="60"> '
        '<button type="submit" id="search-button">Search</button></p>',
        f'<datalist id="themes">{suggestions}</datalist>',
        '<p class="fields">',
        select("mode", "Find", [("quotes", "quotations (theme evidence)"), ("passages", "passages")], asked.mode),
        select("codebook", "Codebook", [(b, b) for b in codebooks], asked.codebook),
        select("doc", "Document", [(d, f"{d}: {t}") for d, t in choices.docs], asked.doc),
        select("study", "Study", [(s, s) for s in choices.studies], asked.study),
        select("kind", "Kind", [(k, k) for k in KINDS], asked.kind),
        text("respondent", "Respondent", asked.respondent, "P3S1R03"),
        text("where", "Facet", asked.where, "site=3"),
        text("entity", "Entity", asked.entity, "EHCH"),
        f'<label>Results <input type="number" name="k" id="field-k" min="1" max="100" value="{asked.k}"></label>',
        '<label title="Only quotations at least this likely to be evidence for the theme">Floor '
        f'<input type="number" name="min_score" id="field-min_score" min="0" max="1" step="0.05" '
        f'value="{asked.min_score:g}"></label>',
        "</p></form>",
        f'<main id="results">{results}</main>',
        "</body></html>",
    ]) + "\n"


PAGE_STYLE = """
form.search { border-bottom: 1px solid #ccc; padding-bottom: .6rem; }
form.search .fields { display: flex; flex-wrap: wrap; gap: .5rem 1rem; font-size: .9em; }
form.search input[type=search] { font-size: 1.1em; padding: .2rem .4rem; }
.summary { font-weight: 600; } .error { color: #a00; font-weight: 600; } .hint { color: #555; }
"""
