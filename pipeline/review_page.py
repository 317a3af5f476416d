"""The document view of the evidence browser: the whole document with its quotations highlighted,
its sections navigable, and beside each quotation the reviewer's actions.

Every action is a plain POST form (accept, reject, respondent, theme in or out, memo); the two
that need a selection (add a quotation, adjust a span) take its offsets from a small script,
served from the same origin, that reads `data-o` (the offset of each text run in the document's
normalised text). Every stored or typed text goes through `html.escape`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from itertools import pairwise
from pathlib import Path
from urllib.parse import quote as url_quote

from index.published import open_published
from index.review_overlay import has_overlay
from index.review_state import memo_text, reviewed_state
from ingest.errors import RequestError
from queries.search.quote_listing import theme_memberships
from queries.search.theme_evidence import ThemeHit


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
    """The whole page."""
    back = f"/doc/{url_quote(view.doc_id, safe='')}"
    nav = "".join(f'<li class="level-{level}"><a href="#s-{section_id}">{escape(heading)}</a></li>'
                  for section_id, level, heading, _ in view.sections)
    cards = "\n".join(_card(q, view, back) for q in view.quotes)
    respondents = sorted({q.respondent_code for q in view.quotes if q.respondent_code})
    respondent_forms = "".join(
        f'<li><span class="respondent">{escape(code)}</span> '
        f'<span class="memo-text">{escape(view.respondent_memos.get(code, ""))}</span>'
        + _form("/review/memo/respondent", back, "Save memo", {"study": view.study, "code": code},
                memo=view.respondent_memos.get(code, ""), form_id=f"respondent-memo-{_slug(code)}") + "</li>"
        for code in respondents)
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">',
        f"<title>{escape(view.title)} - evidence browser</title>",
        f"<style>{DOCUMENT_STYLE}</style></head><body>",
        f'<header><p><a href="/">Search</a></p><h1>{escape(view.title)}</h1>',
        f'<p class="meta">[{escape(view.doc_id)}, study {escape(view.study)}] {len(view.quotes)} quotations; '
        f'reviewing as <b id="reviewer-name">{escape(reviewer)}</b></p>',
        _form("/review/reviewer", back, "Change reviewer", {}, field=("name", reviewer),
              form_id="reviewer-form"),
        f'<div class="doc-memo" id="doc-memo"><b>Document memo:</b> '
        f'<span class="memo-text">{escape(view.memo or "")}</span>'
        + _form("/review/memo/document", back, "Save memo", {"doc_id": view.doc_id}, memo=view.memo or "",
                form_id="doc-memo-form") + "</div>",
        (f'<p class="orphans" id="orphans">{view.orphans} earlier decisions on this document no longer find '
         "their text; see /api/reviews/orphans or `evidence review orphans`.</p>" if view.orphans else ""),
        "</header>",
        f'<nav class="sections" id="sections"><h2>Sections</h2><ol>{nav}</ol></nav>',
        '<div class="layout">',
        f'<article class="document" id="doc-text">{_document_text(view)}</article>',
        '<aside class="quotations" id="quotations">',
        '<form method="post" action="/review/add" class="selection-form" id="add-form">'
        f'<input type="hidden" name="doc_id" value="{escape(view.doc_id)}">'
        f'<input type="hidden" name="back" value="{escape(back)}">'
        '<input type="hidden" name="start" class="sel-start"><input type="hidden" name="end" class="sel-end">'
        '<input name="respondent" placeholder="respondent code" size="12" id="add-respondent"> '
        '<button type="submit" id="add-button" class="needs-selection" disabled>Add selection as a quotation'
        "</button></form>",
        cards,
        f'<section class="respondents"><h2>Respondents</h2><ul>{respondent_forms}</ul></section>',
        "</aside></div>",
        '<script src="/review.js"></script>',
        "</body></html>",
    ]) + "\n"


def _document_text(view: DocumentView) -> str:
    """The text cut at every quotation and section boundary; each run carries its offset."""
    text = view.text
    visible = [q for q in view.quotes if q.status != "rejected"]
    cuts = sorted({0, len(text), *(s[3] for s in view.sections if 0 <= s[3] <= len(text)),
                   *(q.char_start for q in visible), *(q.char_end for q in visible)})
    starts: dict[int, list[int]] = {}
    for section_id, _, _, start in view.sections:
        starts.setdefault(start, []).append(section_id)
    parts: list[str] = []
    for start, end in pairwise(cuts):
        parts.extend(f'<a class="section-anchor" id="s-{s}"></a>' for s in starts.get(start, []))
        covering = [q for q in visible if q.char_start <= start and end <= q.char_end]
        run = escape(text[start:end])
        if covering:
            first = covering[0]
            ids = " ".join(f"q-{q.quote_id}" for q in covering)
            anchor = f' id="q-{first.quote_id}"' if first.char_start == start else ""
            status = "added" if first.added else (first.status or "extracted")
            parts.append(f'<a href="#card-{first.quote_id}" class="hl {status}"{anchor} data-quotes="{ids}">'
                         f'<mark data-o="{start}">{run}</mark></a>')
        else:
            parts.append(f'<span data-o="{start}">{run}</span>')
    return "".join(parts)


def _card(quote: DocQuote, view: DocumentView, back: str) -> str:
    base = f"/review/quote/{quote.quote_id}"
    status = "added" if quote.added and quote.status != "rejected" else (quote.status or "not reviewed")
    chips = "".join(
        f'<li class="theme {source}">{escape(name)} <span class="codebook">{escape(book)}, {source}</span>'
        + _form(base + "/theme", back, "×", {"codebook": book, "theme": name, "coded": "0"},
                css="inline remove-theme", title=f"Take out of {name}") + "</li>"
        for book, name, source in quote.themes)
    options = "".join(f'<option value="{theme_id}">{escape(name)} ({escape(book)})</option>'
                      for theme_id, book, name in view.theme_choices)
    theme_add = (f'<form method="post" action="{base}/theme" class="add-theme">'
                 f'<input type="hidden" name="back" value="{escape(back)}"><input type="hidden" name="coded" value="1">'
                 f'<select name="theme_id" id="theme-choice-{quote.quote_id}">{options}</select> '
                 '<button type="submit" class="add-theme-button">Add theme</button></form>') if options else ""
    return "\n".join([
        f'<section class="card {escape(status.replace(" ", "-"))}" id="card-{quote.quote_id}" '
        f'data-quote="{quote.quote_id}">',
        f'<p class="status">#{quote.quote_id} <b class="review-status">{escape(status)}</b> '
        f'<a href="#q-{quote.quote_id}">show in text</a></p>',
        f'<blockquote class="quote-text">{escape(quote.text)}</blockquote>',
        f'<p class="who">Respondent: <span class="respondent">{escape(quote.respondent_code or "(none)")}</span></p>',
        '<p class="actions">'
        + _form(base + "/accept", back, "Accept", {}, css="inline accept")
        + _form(base + "/reject", back, "Reject", {}, css="inline reject")
        + _form(base + "/span", back, "Set span to selection", {}, css="inline span-form",
                selection=True) + "</p>",
        _form(base + "/respondent", back, "Change respondent", {}, css="respondent-form",
              field=("code", quote.respondent_code or "")),
        f'<ul class="themes">{chips}</ul>{theme_add}',
        f'<p class="memo">Memo: <span class="memo-text">{escape(quote.memo or "")}</span></p>',
        _form(base + "/memo", back, "Save memo", {}, memo=quote.memo or "", css="memo-form"),
        "</section>",
    ])


def _form(action: str, back: str, label: str, hidden: dict[str, str], *, css: str = "",
          field: tuple[str, str] | None = None, memo: str | None = None, selection: bool = False,
          form_id: str = "", title: str = "") -> str:
    inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items())
    if field:
        inputs += f'<input name="{escape(field[0])}" value="{escape(field[1])}" size="14"> '
    if memo is not None:
        inputs += f'<textarea name="memo" rows="2" cols="28">{escape(memo)}</textarea> '
    if selection:
        inputs += '<input type="hidden" name="start" class="sel-start"><input type="hidden" name="end" class="sel-end">'
    attributes = ' class="needs-selection" disabled' if selection else ""
    if title:
        attributes += f' title="{escape(title)}"'
    button = f'<button type="submit"{attributes}>{escape(label)}</button>'
    identity = f' id="{escape(form_id)}"' if form_id else ""
    return (f'<form method="post" action="{escape(action)}" class="{escape(css)}"{identity}>'
            f'<input type="hidden" name="back" value="{escape(back)}">{inputs}{button}</form>')


def quote_actions(hit: ThemeHit, back: str) -> str:
    """Under a search result: open the quotation in its document, accept it or reject it."""
    quote_id, doc_id = hit.quote_id, hit.doc_id
    base = f"/review/quote/{quote_id}"
    return (f'<div class="review-bar" id="review-{quote_id}" style="display: flex; gap: .6rem; align-items: center">'
            '<a class="open-document" '
            f'href="/doc/{url_quote(doc_id, safe="")}#card-{quote_id}">Open in document</a> '
            + _form(base + "/accept", back, "Accept", {}, css="inline accept")
            + _form(base + "/reject", back, "Reject", {}, css="inline reject") + "</div>")


def _slug(value: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in value)


REVIEW_SCRIPT = """
(function () {
  function offset(node, within) {
    var el = node.nodeType === 3 ? node.parentElement : node;
    var run = el && el.closest('[data-o]');
    if (!run) { return null; }
    return parseInt(run.getAttribute('data-o'), 10) + (node.nodeType === 3 ? within : 0);
  }
  function update() {
    var sel = window.getSelection();
    var ok = false, start = null, end = null;
    if (sel && sel.rangeCount && !sel.isCollapsed) {
      var r = sel.getRangeAt(0);
      var text = document.getElementById('doc-text');
      if (text.contains(r.startContainer) && text.contains(r.endContainer)) {
        start = offset(r.startContainer, r.startOffset);
        end = offset(r.endContainer, r.endOffset);
        ok = start !== null && end !== null && end > start;
      }
    }
    document.querySelectorAll('form').forEach(function (form) {
      var s = form.querySelector('.sel-start'), e = form.querySelector('.sel-end');
      var b = form.querySelector('.needs-selection');
      if (!s || !e || !b) { return; }
      s.value = ok ? start : ''; e.value = ok ? end : ''; b.disabled = !ok;
    });
  }
  document.addEventListener('selectionchange', update);
  document.addEventListener('mouseup', update);
  document.addEventListener('keyup', update);
})();
"""

DOCUMENT_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1rem 2rem; color: #222; }
.meta { color: #555; } form { margin: .2rem 0; } form.inline { display: inline; margin-right: .3rem; }
nav.sections ol { columns: 2; font-size: .9em; } nav.sections .level-1 { font-weight: 600; }
.layout { display: grid; grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr); gap: 1.5rem; }
article.document { white-space: pre-wrap; line-height: 1.5; font-family: Georgia, serif; }
a.hl { color: inherit; text-decoration: none; } mark { background: #fde68a; }
a.hl.accepted mark { background: #bbf7d0; } a.hl.added mark { background: #bfdbfe; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .5rem .7rem; margin-bottom: .8rem; }
.card.rejected blockquote { text-decoration: line-through; color: #888; }
.card.accepted { border-color: #16a34a; } .card.added { border-color: #2563eb; }
.card:target { outline: 3px solid #f59e0b; }
ul.themes { list-style: none; padding: 0; } li.theme { display: inline-block; background: #eef; margin: .1rem;
  padding: .1rem .4rem; border-radius: 4px; } li.theme.reviewer { background: #dbeafe; }
.codebook { color: #666; font-size: .8em; } .memo-text { white-space: pre-wrap; font-style: italic; }
.selection-form { position: sticky; top: 0; background: #fff; padding: .4rem 0; border-bottom: 1px solid #ddd; }
"""
