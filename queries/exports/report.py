"""The evidence report: one self-contained HTML page a reviewer can open, filter, print or mail.

Per codebook theme, its description and top quotations (ranked as `evidence theme` ranks them),
each with respondent, facets, document, section path and page, and its surrounding paragraphs on
demand; a theme x document heat map headed by short titles, whose counts (one per reprint cluster)
link to the quotations they count; filters by document, study and respondent facet that update
the visible count; a print layout that runs on without a page per theme. Everything is inline (no
network, no CDN); the page is `templates/report.html.j2`, rendered with autoescape so every
piece of stored text is escaped, and the only data a script reads is a JSON block that no browser
executes. A Content-Security-Policy with the script's hash keeps any other script from running.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from index.published import open_published
from index.themes.corpus import CorpusCache
from ingest.errors import OutputError
from queries.html_templates import html_environment, static_text
from queries.search.known_values import shorten
from queries.search.quote_context import QuoteContext, quote_contexts
from queries.search.theme_evidence import ThemeHit, answer_summary, answer_theme
from queries.search.theme_matrix import ThemeMatrix, theme_matrix

# Respondent facets offered as filters, in the order a reviewer thinks of them.
FILTER_FACETS = ("phase", "site", "national", "care_model", "role", "org", "source_kind")


class ReportError(OutputError):
    """A report that cannot be built: no codebook themes in the store, or an unknown codebook."""


@dataclass(frozen=True)
class ReportQuote:
    """One quotation as the report shows it."""

    hit: ThemeHit
    study: str
    context: QuoteContext | None

    @property
    def facets(self) -> dict[str, str]:
        values = {name: getattr(self.hit, name, None) for name in FILTER_FACETS}
        return {name: _facet_text(value) for name, value in values.items() if value is not None and value != ""}

    @property
    def speaker(self) -> str:
        """Who is quoted: the respondent's code, else the citation of the document quoted."""
        citation = " ".join((self.hit.attribution or "").split())
        return self.hit.respondent_code or (f"cited {citation}" if citation else "(no respondent)")

    @property
    def where(self) -> str:
        """The section path and page, as far as they are known."""
        page = f"p. {self.hit.page}" if self.hit.page else None
        return ", ".join(p for p in (self.hit.section_path, page) if p)


@dataclass(frozen=True)
class ReportTheme:
    """A codebook theme with its top quotations."""

    codebook: str
    name: str
    description: str | None
    quotes: list[ReportQuote] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class EvidenceReport:
    """What the page shows, gathered before any HTML is written."""

    title: str
    generation: str
    themes: list[ReportTheme]
    matrices: list[ThemeMatrix]
    doc_titles: dict[str, str]
    # quote_id -> (who, page, text) for every quotation a heat-map cell counts, listed under its theme.
    counted: dict[int, tuple[str, int | None, str]] = field(default_factory=dict)

    @property
    def quotation_count(self) -> int:
        return sum(len(t.quotes) for t in self.themes)


def gather_report(data_dir: Path, codebook: str | None = None, k: int = 5) -> EvidenceReport:
    """Read the published store once: the themes, their top k quotations, contexts and heat maps."""
    if k < 1:
        raise ReportError("k must be at least 1")
    con, generation = open_published(data_dir)
    try:
        stored = con.execute(
            "SELECT codebook, name, description FROM themes WHERE ? IS NULL OR codebook = ? "
            "ORDER BY codebook, ordinal, theme_id",
            [codebook, codebook],
        ).fetchall()
        if not stored:
            known = [r[0] for r in con.execute("SELECT DISTINCT codebook FROM themes ORDER BY 1").fetchall()]
            if codebook is not None and known:
                raise ReportError(f"no codebook {codebook!r} in the store; codebooks: {', '.join(known)}")
            raise ReportError("the store holds no codebook themes; ingest with a codebook (themes.yaml) first")
        corpora = CorpusCache()
        answered = [(row, answer_theme(con, generation.db_path, row[1], codebook=row[0], k=k, corpora=corpora))
                    for row in stored]
        contexts = quote_contexts(con, [h.quote_id for _, answer in answered for h in answer.hits])
        docs = con.execute("SELECT doc_id, study, coalesce(title, doc_id) FROM documents ORDER BY doc_id").fetchall()
        studies = {doc_id: study for doc_id, study, _ in docs}
        matrices = [theme_matrix(con, name, "doc_id") for name in dict.fromkeys(row[0] for row in stored)]
        counted = _counted_quotes(con, [q for m in matrices for ids in m.members.values() for q in ids])
    finally:
        con.close()
    themes = [
        ReportTheme(cb, name, description,
                    [ReportQuote(h, studies.get(h.doc_id, ""), contexts.get(h.quote_id)) for h in answer.hits],
                    answer_summary(answer))
        for (cb, name, description), answer in answered
    ]
    return EvidenceReport("Evidence report", generation.path.name, themes, matrices,
                          {doc_id: title for doc_id, _, title in docs}, counted)


def _counted_quotes(con, quote_ids: list[int]) -> dict[int, tuple[str, int | None, str]]:
    rows = con.execute(
        "SELECT quote_id, coalesce(respondent_code, 'cited ' || trim(attribution), ''), page, text FROM quotes "
        "WHERE quote_id IN (SELECT unnest(?::BIGINT[]))",
        [sorted(set(quote_ids))],
    ).fetchall()
    return {quote_id: (who, page, text) for quote_id, who, page, text in rows}


def render_report(report: EvidenceReport) -> str:
    """The whole page as one string, from `templates/report.html.j2`."""
    quotes = [q for theme in report.themes for q in theme.quotes]
    numbers = {(t.codebook, t.name): n for n, t in enumerate(report.themes, start=1)}
    data = [{"doc": q.hit.doc_id, "study": q.study,
             "facets": [f"{name}={value}" for name, value in q.facets.items()]} for q in quotes]
    indexes = iter(range(len(quotes)))
    themes = [
        {"number": number, "name": theme.name, "codebook": theme.codebook, "description": theme.description,
         "summary": theme.summary, "cards": [(quote, next(indexes)) for quote in theme.quotes],
         "counted": _counted_lists(report, theme, number)}
        for number, theme in enumerate(report.themes, start=1)
    ]
    return html_environment("queries").get_template("report.html.j2").render(
        report=report,
        script=Markup(REPORT_SCRIPT),
        script_hash=script_hash(REPORT_SCRIPT),
        filters=_filters(report, quotes),
        quotes_shown=len(quotes),
        heat_maps=[_heat_map(m, report.doc_titles, numbers) for m in report.matrices],
        themes=themes,
        data=Markup(json_for_script(data)),
    )


def json_for_script(value: object) -> str:
    """JSON that cannot end its <script> block or open a comment: <, > and & become \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _filters(report: EvidenceReport, quotes: list[ReportQuote]) -> list[dict]:
    """The three filter menus: documents, studies and respondent facets, each value once."""
    docs = sorted({q.hit.doc_id for q in quotes})
    studies = sorted({q.study for q in quotes if q.study})
    facets: dict[str, set[str]] = {}
    for quote in quotes:
        for name, value in quote.facets.items():
            facets.setdefault(name, set()).add(value)
    return [
        {"label": "Document", "id": "filter-doc",
         "groups": [(None, [(d, f"{d}: {report.doc_titles.get(d, d)}") for d in docs])]},
        {"label": "Study", "id": "filter-study", "groups": [(None, [(s, s) for s in studies])]},
        {"label": "Respondent group", "id": "filter-facet",
         "groups": [(name, [(f"{name}={v}", f"{name} = {v}") for v in sorted(values, key=_natural)])
                    for name, values in facets.items()]},
    ]


def short_title(doc_id: str, titles: dict[str, str], width: int = 36) -> str:
    """A document's title cut to a heat-map heading; the id when it has no title."""
    title = titles.get(doc_id) or doc_id
    return shorten(title, width)


def _cell_id(number: int, column: str) -> str:
    return f"theme-{number}-in-{hashlib.sha256(column.encode('utf-8')).hexdigest()[:10]}"


def _score_name(method: str) -> str:
    return "probability of being evidence for the theme" if method == "coded" else f"{method} score"


def _heat_map(matrix: ThemeMatrix, titles: dict[str, str], numbers: dict[tuple[str, str], int]) -> dict:
    """Themes x documents, headed by short titles; each count links to the quotations it counts."""
    highest = max((int(row[c]) for row in matrix.rows for c in matrix.columns), default=0) or 1
    rows = []
    for row in matrix.rows:
        number = numbers.get((matrix.codebook, str(row["theme"])))
        cells = []
        for column in matrix.columns:
            count = int(row[column])
            alpha = count / highest
            cells.append({"count": count, "alpha": alpha, "ink": "#fff" if alpha > 0.55 else "#111",
                          "target": _cell_id(number, column) if count and number is not None else None})
        rows.append({"theme": str(row["theme"]), "number": number, "cells": cells, "total": int(row["total"])})
    return {
        "codebook": matrix.codebook,
        "score_name": _score_name(matrix.method),
        "threshold": matrix.threshold,
        "columns": [{"doc_id": c, "title": titles.get(c, c), "short": short_title(c, titles)} for c in matrix.columns],
        "rows": rows,
    }


def _counted_lists(report: EvidenceReport, theme: ReportTheme, number: int) -> list[dict]:
    """Under a theme, per document, every quotation its heat-map cell counts (collapsed)."""
    matrix = next((m for m in report.matrices if m.codebook == theme.codebook), None)
    if matrix is None:
        return []
    lists = []
    for column in matrix.columns:
        ids = matrix.members.get((theme.name, column), [])
        if not ids:
            continue
        items = [(report.counted[q][0], report.counted[q][1], shorten(report.counted[q][2], 300))
                 for q in ids if q in report.counted]
        lists.append({"id": _cell_id(number, column), "ids": ids,
                      "title": short_title(column, report.doc_titles, 60), "quotes": items})
    return lists


def _facet_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _natural(value: str) -> tuple:
    return (not value.isdigit(), int(value) if value.isdigit() else 0, value)


REPORT_SCRIPT = static_text("queries", "report.js")
