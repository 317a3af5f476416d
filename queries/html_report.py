"""The evidence report: one self-contained HTML page a reviewer can open, filter, print or mail.

Per codebook theme, its description and top quotations (ranked as `evidence theme` ranks them),
each with respondent, facets, document, section path and page, and its surrounding paragraphs on
demand; a theme x document heat map headed by short titles, whose counts (one per reprint cluster)
link to the quotations they count; filters by document, study and respondent facet that update
the visible count; a print layout that runs on without a page per theme. Everything is inline (no
network, no CDN); every piece of stored text goes through `html.escape`, and the only data a
script reads is a JSON block that no browser executes. A Content-Security-Policy with the
script's hash keeps any other script from running.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from index.published import open_published
from index.themes.corpus import CorpusCache
from ingest.errors import OutputError
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
    """The whole page as one string."""
    quotes = [q for theme in report.themes for q in theme.quotes]
    numbers = {(t.codebook, t.name): n for n, t in enumerate(report.themes, start=1)}
    data = [{"doc": q.hit.doc_id, "study": q.study,
             "facets": [f"{name}={value}" for name, value in q.facets.items()]} for q in quotes]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        f"script-src '{script_hash(REPORT_SCRIPT)}'\">",
        f"<title>{escape(report.title)}</title>",
        f"<style>{QUOTE_STYLE}{REPORT_STYLE}</style></head><body>",
        f"<header><h1>{escape(report.title)}</h1>",
        f'<p class="meta">{len(report.themes)} themes, {report.quotation_count} quotations; '
        f"store generation {escape(report.generation)}</p></header>",
        _filters(report, quotes),
        *(_heat_map(m, report.doc_titles, numbers) for m in report.matrices),
        "<main>",
    ]
    index = 0
    for number, theme in enumerate(report.themes, start=1):
        parts.append(f'<section class="theme" id="theme-{number}"><h2>{escape(theme.name)} '
                     f'<span class="codebook">{escape(theme.codebook)}</span></h2>')
        if theme.description:
            parts.append(f'<p class="description">{escape(theme.description)}</p>')
        parts.append(f'<p class="meta members">{escape(theme.summary)}</p>')
        for quote in theme.quotes:
            parts.append(render_quote(quote.hit, quote.context, study=quote.study, index=index))
            index += 1
        parts.append('<p class="none" hidden>No quotation of this theme matches the filters.</p>' if theme.quotes
                     else f'<p class="none">{escape(theme.summary.capitalize())}.</p>')
        parts.extend(_counted_lists(report, theme, number))
        parts.append("</section>")
    parts += [
        "</main>",
        f'<script type="application/json" id="report-data">{json_for_script(data)}</script>',
        f"<script>{REPORT_SCRIPT}</script>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render_quote(hit: ThemeHit, context: QuoteContext | None, *, study: str, index: int | None = None) -> str:
    """One quotation card: the words, who said them, where they are, and the context on demand."""
    facets = " ".join(f'<span class="facet">{escape(name)} {escape(value)}</span>'
                      for name, value in ReportQuote(hit, study, context).facets.items())
    where = ", ".join(escape(p) for p in (hit.section_path, f"p. {hit.page}" if hit.page else None) if p)
    data_index = f' data-i="{index}"' if index is not None else ""
    card = [
        f'<article class="quote"{data_index}>',
        f'<div class="rank">#{hit.rank} <span class="score">{hit.score:.3f}</span></div>',
        f"<blockquote>{escape(hit.text)}</blockquote>",
        f'<p class="who"><span class="respondent">{escape(_speaker(hit))}</span> '
        f'{escape(hit.lead_in_role or "")} {facets}</p>',
        f'<p class="where"><span class="doc">{escape(hit.doc_title or hit.doc_id)}</span> '
        f'<span class="doc-id">[{escape(hit.doc_id)}, study {escape(study)}]</span> {where}</p>',
    ]
    if hit.other_printings:
        card.append(f'<p class="also">Also printed in {escape("; ".join(hit.other_printings))} '
                    "(counted once)</p>")
    if context is not None:
        card.append(
            "<details><summary>Surrounding paragraphs</summary>"
            f'<p class="context">{_paragraphs(context.before)}<mark>{_paragraphs(context.quote)}</mark>'
            f"{_paragraphs(context.after)}</p></details>"
        )
    card.append("</article>")
    return "\n".join(card)


def _speaker(hit: ThemeHit) -> str:
    """Who is quoted: the respondent's code, else the citation of the document quoted."""
    citation = " ".join((hit.attribution or "").split())
    return hit.respondent_code or (f"cited {citation}" if citation else "(no respondent)")


def json_for_script(value: object) -> str:
    """JSON that cannot end its <script> block or open a comment: <, > and & become \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def script_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script."""
    return "sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")


def _filters(report: EvidenceReport, quotes: list[ReportQuote]) -> str:
    docs = sorted({q.hit.doc_id for q in quotes})
    studies = sorted({q.study for q in quotes if q.study})
    facets: dict[str, set[str]] = {}
    for quote in quotes:
        for name, value in quote.facets.items():
            facets.setdefault(name, set()).add(value)
    doc_options = "".join(
        f'<option value="{escape(d)}">{escape(d)}: {escape(report.doc_titles.get(d, d))}</option>' for d in docs)
    study_options = "".join(f'<option value="{escape(s)}">{escape(s)}</option>' for s in studies)
    facet_groups = "".join(
        f'<optgroup label="{escape(name)}">'
        + "".join(f'<option value="{escape(name)}={escape(v)}">{escape(name)} = {escape(v)}</option>'
                  for v in sorted(values, key=_natural))
        + "</optgroup>"
        for name, values in facets.items()
    )
    return (
        '<form class="filters" id="filters">'
        f'<label>Document <select id="filter-doc"><option value="">all</option>{doc_options}</select></label>'
        f'<label>Study <select id="filter-study"><option value="">all</option>{study_options}</select></label>'
        '<label>Respondent group <select id="filter-facet">'
        f'<option value="">all</option>{facet_groups}</select></label>'
        f'<output id="result-count">{len(quotes)} of {len(quotes)} quotations shown</output>'
        "</form>"
    )


def short_title(doc_id: str, titles: dict[str, str], width: int = 36) -> str:
    """A document's title cut to a heat-map heading; the id when it has no title."""
    title = titles.get(doc_id) or doc_id
    return shorten(title, width)


def _cell_id(number: int, column: str) -> str:
    return f"theme-{number}-in-{hashlib.sha256(column.encode('utf-8')).hexdigest()[:10]}"


def _score_name(method: str) -> str:
    return "probability of being evidence for the theme" if method == "coded" else f"{method} score"


def _heat_map(matrix: ThemeMatrix, titles: dict[str, str], numbers: dict[tuple[str, str], int]) -> str:
    """Themes x documents, headed by short titles; each count links to the quotations it counts."""
    highest = max((int(row[c]) for row in matrix.rows for c in matrix.columns), default=0) or 1
    head = "".join(f'<th scope="col" title="{escape(titles.get(c, c))} [{escape(c)}]">'
                   f"{escape(short_title(c, titles))}</th>" for c in matrix.columns)
    body = []
    for row in matrix.rows:
        number = numbers.get((matrix.codebook, str(row["theme"])))
        cells = []
        for column in matrix.columns:
            count = int(row[column])
            alpha = count / highest
            ink = "#fff" if alpha > 0.55 else "#111"
            shown = (f'<a href="#{_cell_id(number, column)}" style="color: {ink}">{count}</a>'
                     if count and number is not None else str(count))
            cells.append(f'<td style="background: rgba(33, 102, 172, {alpha:.2f}); color: {ink}">{shown}</td>')
        name = escape(str(row["theme"]))
        heading = f'<a href="#theme-{number}">{name}</a>' if number is not None else name
        body.append(f'<tr><th scope="row">{heading}</th>{"".join(cells)}'
                    f'<td class="total">{int(row["total"])}</td></tr>')
    return (
        f'<section class="heatmap"><h2>Themes by document <span class="codebook">{escape(matrix.codebook)}</span>'
        f'</h2><p class="meta">Quotations whose {escape(_score_name(matrix.method))} is at least '
        f"{matrix.threshold:g}, per document; a quotation printed more than once counts once. "
        "Each count links to its quotations.</p>"
        f'<table><thead><tr><th scope="col">theme</th>{head}<th scope="col">total</th></tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></section>"
    )


def _counted_lists(report: EvidenceReport, theme: ReportTheme, number: int) -> list[str]:
    """Under a theme, per document, every quotation its heat-map cell counts (collapsed)."""
    matrix = next((m for m in report.matrices if m.codebook == theme.codebook), None)
    if matrix is None:
        return []
    lists = []
    for column in matrix.columns:
        ids = matrix.members.get((theme.name, column), [])
        if not ids:
            continue
        items = "".join(
            f"<li><span class=\"respondent\">{escape(report.counted[q][0])}</span> "
            f"{escape(f'p. {report.counted[q][1]} ' if report.counted[q][1] else '')}"
            f"{escape(shorten(report.counted[q][2], 300))}</li>"
            for q in ids if q in report.counted
        )
        lists.append(
            f'<details class="counted" id="{_cell_id(number, column)}"><summary>{len(ids)} quotation'
            f'{"s" if len(ids) != 1 else ""} counted in {escape(short_title(column, report.doc_titles, 60))}'
            f"</summary><ul>{items}</ul></details>"
        )
    return lists


def _paragraphs(text: str) -> str:
    return escape(text).replace("\n\n", "<br><br>").replace("\n", " ")


def _facet_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _natural(value: str) -> tuple:
    return (not value.isdigit(), int(value) if value.isdigit() else 0, value)


QUOTE_STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #111; margin: 0 auto;
  max-width: 1100px; padding: 0 1rem 3rem; }
h1 { margin-bottom: .2rem; } h2 { border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
.meta, .description { color: #444; }
.codebook { font-size: .7em; font-weight: normal; color: #666; background: #eee; padding: 0 .4em; border-radius: 3px; }
article.quote { border-left: 4px solid #2166ac; padding: .4rem .8rem; margin: .8rem 0; background: #f7f9fc;
  break-inside: avoid; }
article.quote blockquote { margin: .2rem 0; font-size: 1.05em; }
.rank { font-size: .85em; color: #555; } .score { color: #888; }
.who, .where { margin: .2rem 0; font-size: .9em; }
.respondent { font-weight: 600; font-family: ui-monospace, monospace; }
.facet { background: #e3ecf7; border-radius: 3px; padding: 0 .35em; margin-right: .2em; font-size: .9em; }
.doc-id { color: #666; }
details summary { cursor: pointer; color: #2166ac; font-size: .9em; }
.context { white-space: normal; background: #fff; border: 1px solid #ddd; padding: .5rem; }
mark { background: #fff1a8; }
"""

REPORT_STYLE = """
.filters { position: sticky; top: 0; background: #fff; padding: .5rem 0; border-bottom: 1px solid #ccc;
  display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; z-index: 1; }
.filters select { max-width: 22rem; }
#result-count { font-weight: 600; }
.heatmap table { border-collapse: collapse; font-size: .85em; }
.heatmap th, .heatmap td { border: 1px solid #ddd; padding: .2rem .45rem; text-align: center; }
.heatmap th[scope=row] { text-align: left; font-weight: normal; max-width: 22rem; }
.heatmap td.total { font-weight: 600; }
details.counted ul { margin: .3rem 0; padding-left: 1.2rem; font-size: .9em; }
details.counted { margin: .2rem 0; }
details.counted, section.theme { scroll-margin-top: 4rem; }
@media print {
  .filters, details, .rank .score { display: none; }
  body { max-width: none; font-size: 9.5pt; line-height: 1.3; padding: 0; }
  h1 { font-size: 15pt; } h2 { font-size: 12pt; margin: .6rem 0 .2rem; }
  article.quote { background: none; border-left-width: 2px; margin: .3rem 0; padding: .1rem .5rem; }
  article.quote blockquote { font-size: 1em; margin: 0; }
  .who, .where, .also, .description { margin: 0; font-size: .9em; }
  .heatmap a { color: inherit; text-decoration: none; }
  .heatmap { break-inside: avoid; }
}
"""

REPORT_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var cards = document.querySelectorAll("article.quote[data-i]");
  var docSelect = document.getElementById("filter-doc");
  var studySelect = document.getElementById("filter-study");
  var facetSelect = document.getElementById("filter-facet");
  var counter = document.getElementById("result-count");
  function apply() {
    var doc = docSelect.value, study = studySelect.value, facet = facetSelect.value, shown = 0;
    cards.forEach(function (card) {
      var row = data[Number(card.getAttribute("data-i"))];
      var keep = (!doc || row.doc === doc) && (!study || row.study === study) &&
        (!facet || row.facets.indexOf(facet) >= 0);
      card.hidden = !keep;
      if (keep) { shown += 1; }
    });
    document.querySelectorAll("section.theme").forEach(function (section) {
      var none = section.querySelector("p.none");
      if (!none || !section.querySelector("article.quote")) { return; }
      none.hidden = section.querySelector("article.quote:not([hidden])") !== null;
    });
    counter.textContent = shown + " of " + cards.length + " quotations shown";
  }
  [docSelect, studySelect, facetSelect].forEach(function (select) { select.addEventListener("change", apply); });
  function openTarget() {
    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target && target.tagName === "DETAILS") { target.open = true; target.scrollIntoView(); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
"""
