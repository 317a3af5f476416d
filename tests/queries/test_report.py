"""The HTML evidence report: self-contained (no network), every stored text escaped, data for the
filters only in a JSON block, a heat map and a print stylesheet."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from queries.exports.report import (
    REPORT_SCRIPT,
    EvidenceReport,
    ReportError,
    ReportQuote,
    ReportTheme,
    gather_report,
    render_report,
    script_hash,
)
from queries.search.quote_context import QuoteContext, surrounding
from queries.search.theme_evidence import ThemeHit
from queries.search.theme_matrix import ThemeMatrix
from tests.theme_store import build_theme_store, theme_answer

HOSTILE = '<script>alert("x")</script>'


class _Page(HTMLParser):
    """Collects what a browser would fetch or run: URL attributes and script blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[tuple[str | None, str]] = []
        self._script_type: str | None = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.urls += [v for k, v in attrs if k in ("src", "href", "action", "srcset", "poster", "data") and v]
        if tag == "script":
            self._in_script, self._script_type = True, attributes.get("type")
            self.scripts.append((self._script_type, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            kind, text = self.scripts[-1]
            self.scripts[-1] = (kind, text + data)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("report"))


@pytest.fixture(scope="module")
def answered(store) -> int:
    """Quotations `evidence theme --k 3` answers for the two themes: what the report must show."""
    return sum(len(theme_answer(store, name, codebook="test", k=3).hits)
               for name in ("dedicated and ongoing resources", "communication"))


@pytest.fixture(scope="module")
def page(store, answered, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("html") / "report.html"
    result = CliRunner().invoke(main, ["report", "--k", "3", "--out", str(out), "--data", str(store), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"path": str(out), "themes": 2, "quotations": answered}] and answered >= 2
    return out.read_text(encoding="utf-8")


def _parsed(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def test_the_report_is_self_contained(page):
    parsed = _parsed(page)
    assert not [u for u in parsed.urls if re.match(r"\s*(https?:)?//", u, re.I)]
    assert not re.search(r"https?://", page)
    assert "@import" not in page and "url(" not in page
    assert f"script-src '{script_hash(REPORT_SCRIPT)}'" in page and "default-src 'none'" in page


def test_the_report_shows_themes_quotations_context_heat_map_and_filters(page, answered):
    assert page.count('<section class="theme"') == 2
    assert page.count('<article class="quote" data-i=') == answered
    assert "funding money staff and budget" in page
    assert "P1S1R01" in page and "Findings &gt; Dedicated and ongoing resources" in page and "p. 1" in page
    assert "<details><summary>Surrounding paragraphs</summary>" in page and "As this respondent said:" in page
    assert '<section class="heatmap">' in page and "rgba(33, 102, 172, 1.00)" in page
    for control in ("filter-doc", "filter-study", "filter-facet", "result-count"):
        assert f'id="{control}"' in page
    assert '<option value="site=2">' in page
    assert "@media print" in page and f"{answered} of {answered} quotations shown" in page


def test_filter_data_lives_only_in_a_json_block(page, answered):
    scripts = _parsed(page).scripts
    assert [kind for kind, _ in scripts] == ["application/json", None]
    data = json.loads(scripts[0][1])
    assert len(data) == answered and {row["doc"] for row in data} == {"a", "b"}
    assert "site=1" in data[0]["facets"]
    assert scripts[1][1] == REPORT_SCRIPT


def _hostile_report() -> EvidenceReport:
    hit = ThemeHit(rank=1, score=0.9, text=HOSTILE, respondent_code=HOSTILE, phase=1, site=HOSTILE, national=None,
                   care_model=None, role=None, org=None, lead_in_role=HOSTILE, source_kind="interview",
                   doc_id="d</script><script>alert(1)</script>", doc_title=HOSTILE, section_path=HOSTILE, page=2,
                   quote_id=1)
    context = QuoteContext(before=HOSTILE, quote=HOSTILE, after="<img src=x onerror=alert(1)>")
    theme = ReportTheme("book<b>", HOSTILE, HOSTILE, [ReportQuote(hit, HOSTILE, context)])
    matrix = ThemeMatrix("book<b>", "doc_id", "dense", 0.45, [hit.doc_id], [{"theme": HOSTILE, hit.doc_id: 1,
                                                                            "total": 1}])
    return EvidenceReport("Report <i>", "g1", [theme], [matrix], {hit.doc_id: HOSTILE})


def test_every_stored_text_is_escaped_even_a_script_in_a_quotation():
    html = render_report(_hostile_report())
    assert "<script>alert" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(" in html and HOSTILE in unescape(html)
    parsed = _parsed(html)
    assert [kind for kind, _ in parsed.scripts] == ["application/json", None]
    data = json.loads(parsed.scripts[0][1])
    assert data[0]["doc"] == "d</script><script>alert(1)</script>"


def test_context_is_the_paragraph_before_the_quotation_and_the_one_after():
    text = "Intro words.\n\nAs one manager said:\n\nThe money ran out.\n\nAfter that, services closed.\n\nLater."
    start = text.index("The money")
    found = surrounding(text, start, start + len("The money ran out."))
    assert found == QuoteContext("As one manager said:\n\n", "The money ran out.", "\n\nAfter that, services closed.")
    long = "word " * 400 + "\n\nQuote.\n\n" + "more " * 400
    start = long.index("Quote.")
    trimmed = surrounding(long, start, start + 6)
    assert trimmed.before.startswith("…") and trimmed.after.endswith("…") and len(trimmed.before) < 720


def test_an_unknown_codebook_or_no_quotations_per_theme_is_a_clear_error(store):
    with pytest.raises(ReportError, match="no codebook 'nope'"):
        gather_report(store, codebook="nope")
    with pytest.raises(ReportError, match="k must be at least 1"):
        gather_report(store, k=0)
