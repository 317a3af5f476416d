"""Theme evidence on a hand-built store: codebooks, windows, filters, ranking, diversity, matrix, export."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index.embedder import HashingEmbedder
from index.published import open_published
from index.themes.codebook import CodebookError, load_codebooks
from index.themes.headings import path_names_theme, phrase_terms
from index.themes.ranking import reciprocal_rank_fusion
from ingest.errors import EvidenceError
from ingest.quote_windows import WINDOW_PIECES, split_windows
from queries.exports.tables import FORMATS, export_tables
from queries.search.quote_filters import FilterError, QuoteFilter, parse_where
from queries.search.theme_matrix import theme_matrix
from queries.store import EvidenceStore
from tests.conftest import REPO, published_rows
from tests.theme_store import build_theme_store, theme_answer


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("themes"))


@pytest.fixture(scope="module")
def evidence(store) -> Iterator[EvidenceStore]:
    with EvidenceStore(store, HashingEmbedder) as opened:
        yield opened


def _ask(store: Path, query: str, **options):
    """Ranking tests ask without a floor, so every quotation the filters keep is a candidate."""
    options.setdefault("min_score", 0.0)
    return theme_answer(store, query, embedder_factory=HashingEmbedder, **options)


# --- codebooks ---------------------------------------------------------------------------------


def test_the_shipped_codebook_holds_the_three_frameworks():
    books = {b.name: b for b in load_codebooks(REPO / "themes.yaml")}
    assert {name: len(b.themes) for name, b in books.items()} == {"nolte": 8, "spread": 10, "north-east": 6}
    assert "dedicated and ongoing resources" in [t.name for t in books["nolte"].themes]
    assert all(t.description and t.examples for b in books.values() for t in b.themes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("codebooks: [", "not valid YAML"),
        ("themes: []", "top-level 'codebooks:'"),
        ("codebooks:\n  c: {themes: []}", "'themes' must be a non-empty list"),
        ("codebooks:\n  c:\n    themes:\n      - {name: x, examples: [a]}", "'description' must be non-empty"),
        ("codebooks:\n  c:\n    themes:\n      - {name: x, description: d, examples: a}", "'examples' must be"),
        (
            "codebooks:\n  c:\n    themes:\n      - {name: x, description: d, examples: [a], colour: red}",
            "unknown field 'colour'",
        ),
        (
            "codebooks:\n  c:\n    themes:\n      - {name: X, description: d, examples: [a]}\n"
            "      - {name: x, description: e, examples: [b]}",
            "appears twice",
        ),
    ],
)
def test_codebook_mistakes_come_back_as_one_clear_error(tmp_path, text, message):
    path = tmp_path / "book.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebooks(path)
    assert message in str(caught.value) and str(path) in str(caught.value)


def test_a_missing_codebook_file_is_named(tmp_path):
    with pytest.raises(CodebookError, match="codebook file not found"):
        load_codebooks(tmp_path / "nope.yaml")


# --- quotation windows -------------------------------------------------------------------------


@given(
    st.lists(st.sampled_from(["word", "long-word.", "x", "end!", "more"]), min_size=1, max_size=600),
    st.integers(min_value=1, max_value=5),
)
@settings(max_examples=100, deadline=None)
def test_windows_cover_the_whole_quotation_and_never_exceed_the_model(words, pieces_per_word):
    text = " ".join(words)
    windows = split_windows(1, text, "as one said:", [pieces_per_word] * len(words), [1, 1, 1])
    assert all(w.n_pieces <= WINDOW_PIECES for w in windows)
    assert windows[0].span_start == 0 and windows[-1].span_end == len(text)
    assert all(b.span_start <= a.span_end for a, b in pairwise(windows))


def test_every_quotation_has_windows_whose_vectors_are_cached(store):
    missing = published_rows(store, "SELECT count(*) FROM quotes q ANTI JOIN quote_windows w USING (quote_id)")
    uncached = published_rows(store, "SELECT count(*) FROM quote_windows w ANTI JOIN embeddings e USING (text_sha256)")
    assert missing == [(0,)] and uncached == [(0,)]


# --- ranking -----------------------------------------------------------------------------------


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank_fusion([[1, 2, 3], [2, 3, 1], [2]], k=60)
    assert sorted(fused, key=fused.get, reverse=True) == [2, 1, 3]
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61 + 1 / 61)


@pytest.mark.parametrize(
    ("path", "phrases", "expected"),
    [
        (
            "6. FINDINGS > 6.6 Criterion 4: Dedicated and ongoing resources, including funding",
            ["dedicated and ongoing resources"],
            True,
        ),
        ("FINDINGS > THEME 5: BUILDING CAPACITY AND RESOURCES", ["building capacity and resources"], True),
        ("Results > Ongoing monitoring and feedback", ["monitoring and feedback"], True),
        ("Results > Evaluation", ["dedicated and ongoing resources"], False),
        ("Resources", ["dedicated and ongoing resources"], False),
    ],
)
def test_a_heading_names_a_theme_when_it_holds_all_its_content_words(path, phrases, expected):
    assert path_names_theme(path, phrase_terms(phrases)) is expected


def test_heading_method_returns_only_quotations_under_a_naming_heading(store):
    hits = _ask(store, "dedicated and ongoing resources", method="heading", k=50).hits
    assert hits and all(h.section_path.endswith("Dedicated and ongoing resources") for h in hits)


def test_codebook_theme_ranks_its_quotations_first(store):
    answer = _ask(store, "Communication", k=3)
    assert answer.theme is not None and answer.theme.codebook == "test"
    assert answer.hits[0].section_path.endswith("Communication")


def test_free_text_needs_the_embedder_and_gets_it(store):
    hits = _ask(store, "money for nurses stopped, funding went", method="dense", k=1).hits
    assert "nurses" in hits[0].text
    with pytest.raises(ValueError, match="need the embedding model"):
        theme_answer(store, "nurses money stopped")


def test_filters_apply_before_ranking_even_when_k_exceeds_them(store):
    hits = _ask(store, "dedicated and ongoing resources", k=100, where=QuoteFilter(facets=(("site", "1"),)))
    assert hits.hits and {h.site for h in hits.hits} == {"1"}
    assert (
        len(hits.hits)
        == published_rows(store, "SELECT count(DISTINCT cluster_id) FROM evidence WHERE site = '1'")[0][0]
    )


@pytest.mark.parametrize(
    "where",
    [
        QuoteFilter(docs=("b",)),
        QuoteFilter(kinds=("document",)),
        QuoteFilter(respondents=("p1s2r01",)),
        QuoteFilter(studies=("s1",)),
        QuoteFilter(entities=("EHCH",)),
    ],
)
def test_each_filter_keeps_only_matching_quotations(store, where):
    hits = _ask(store, "funding", k=100, method="dense", where=where).hits
    allowed = {r[0] for r in published_rows(store, "SELECT quote_id FROM evidence")}
    assert hits and {h.quote_id for h in hits} <= allowed
    for hit in hits:
        if where.docs:
            assert hit.doc_id == "b"
        if where.kinds:
            assert hit.source_kind == "document"
        if where.respondents:
            assert hit.respondent_code == "P1S2R01"
    if where.entities:
        assert len(hits) == 1


def test_unknown_facet_is_refused_with_the_known_ones(store):
    with pytest.raises(FilterError, match=r"unknown facet 'colour'.*site"):
        _ask(store, "funding", where=QuoteFilter(facets=(("colour", "red"),)))
    with pytest.raises(FilterError, match="name=value"):
        parse_where(["site"])


def test_no_two_results_share_a_cluster(store):
    for method in ("dense", "lexical", "hybrid", "heading"):
        hits = _ask(store, "the funding ran out when the pilot ended", method=method, k=50).hits
        clusters = [
            r[0]
            for r in published_rows(
                store,
                "SELECT cluster_id FROM quotes WHERE quote_id IN (SELECT unnest(?::BIGINT[]))",
                [[h.quote_id for h in hits]],
            )
        ]
        assert len(clusters) == len(set(clusters)) == len(hits)


def test_respondent_cap_holds_unless_the_filter_leaves_no_alternative(store):
    capped = _ask(store, "funding money", method="dense", k=10).hits
    assert sum(h.respondent_code == "P1S1R01" for h in capped) <= 2
    alone = _ask(store, "funding money", method="dense", k=10, where=QuoteFilter(respondents=("P1S1R01",))).hits
    assert len(alone) == 3


def test_a_reprinted_quotation_is_shown_once(store):
    hits = _ask(store, "The funding ran out when the pilot ended.", method="lexical", k=10).hits
    assert sum("pilot ended" in h.text for h in hits) == 1


# --- matrix and export -------------------------------------------------------------------------


@pytest.mark.parametrize("facet", ["site", "doc_id", "respondent", "phase"])
def test_matrix_totals_count_each_reprint_cluster_once(store, facet):
    con, _ = open_published(store)
    try:
        result = theme_matrix(con, "test", facet, threshold=0.1, method="dense")
        expected = con.execute(
            "SELECT count(DISTINCT (theme_id, coalesce(cluster_id, quote_id))) FROM quote_themes "
            "JOIN themes USING (theme_id) JOIN quotes USING (quote_id) "
            "WHERE codebook = 'test' AND method = 'dense' AND score >= 0.1"
        ).fetchone()[0]
    finally:
        con.close()
    assert result.assignments == expected > 0
    for row in result.rows:
        cells = [row[c] for c in result.columns]
        assert max(cells) <= row["total"] <= sum(cells)
    assert [row["theme"] for row in result.rows] == ["dedicated and ongoing resources", "communication"]


def test_a_reprint_in_one_facet_value_counts_once_in_the_matrix(store):
    """The "pilot" quotation is printed in documents a and b, by respondents of sites 1 and 2."""
    con, _ = open_published(store)
    try:
        by_doc = theme_matrix(con, "test", "doc_id", threshold=0.0)
        printings = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
        clusters = con.execute("SELECT count(DISTINCT cluster_id) FROM quotes").fetchone()[0]
    finally:
        con.close()
    assert clusters < printings
    assert sum(int(row["total"]) for row in by_doc.rows) == clusters * len(by_doc.rows)
    assert all(row["a"] + row["b"] == row["total"] + 1 for row in by_doc.rows)


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_round_trips_with_row_counts_and_a_schema_of_every_column(store, tmp_path, fmt):
    con, _ = open_published(store)
    try:
        written = export_tables(con, tmp_path / "out", fmt)
        counts = {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("quotes", "respondents", "entities", "mentions", "themes", "quote_themes")
        }
    finally:
        con.close()
    schema = json.loads((tmp_path / "out" / "schema.json").read_text())
    reader = {"parquet": "read_parquet", "csv": "read_csv_auto", "jsonl": "read_json_auto"}[fmt]
    check = duckdb.connect()
    for table, expected in counts.items():
        path = tmp_path / "out" / f"{table}.{fmt}"
        assert path.exists()
        if expected:
            assert check.execute(f"SELECT count(*) FROM {reader}(?)", [str(path)]).fetchone()[0] == expected
            columns = [r[0] for r in check.execute(f"DESCRIBE SELECT * FROM {reader}(?)", [str(path)]).fetchall()]
            assert [c["name"] for c in schema["tables"][table]["columns"]] == columns
        assert schema["tables"][table]["rows"] == expected
        assert all(c["description"] for c in schema["tables"][table]["columns"])
    assert {w.table for w in written} >= set(counts)
    quotes_columns = {c["name"] for c in schema["tables"]["quotes"]["columns"]}
    assert {"section_path", "site", "phase", "care_model"} <= quotes_columns


# --- no model for a codebook theme; fuzzing -----------------------------------------------------


def test_a_codebook_theme_query_imports_no_torch(store):
    script = (
        "import sys\n"
        "from pipeline.cli import main\n"
        "from pipeline.cli_themes import theme\n"
        "main.add_command(theme)\n"
        f"main(['theme', 'communication', '--data', {str(store)!r}, '--json'], standalone_mode=False)\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)[0]["text"]


_values = st.text(min_size=0, max_size=30)


@given(
    query=st.text(max_size=80),
    value=_values,
    facet=st.sampled_from(["site", "care_model", "code", "x;--", ""]),
    doc=_values,
    entity=_values,
    method=st.sampled_from(["dense", "lexical", "hybrid", "heading", "bogus"]),
    k=st.integers(min_value=-2, max_value=60),
)
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fuzzed_filters_and_themes_return_or_fail_cleanly(evidence, query, value, facet, doc, entity, method, k):
    try:
        where = QuoteFilter(
            docs=(doc,) if doc else (), entities=(entity,) if entity else (), facets=parse_where([f"{facet}={value}"])
        )
        answer = evidence.theme(query, where=where, method=method, k=k, min_score=0.0)
    except EvidenceError:
        return
    assert len(answer.hits) <= k
    assert len({h.quote_id for h in answer.hits}) == len(answer.hits)


# --- commands ----------------------------------------------------------------------------------


def test_theme_commands_print_rows_and_turn_errors_into_messages(store, tmp_path):
    import click
    from click.testing import CliRunner

    from pipeline.cli_themes import export, matrix, theme

    group = click.Group(commands=[theme, matrix, export])
    runner = CliRunner()
    done = runner.invoke(group, ["theme", "communication", "--where", "site=2", "--data", str(store), "--json"])
    assert done.exit_code == 0 and {row["site"] for row in json.loads(done.stdout)} == {"2"}
    done = runner.invoke(
        group, ["matrix", "--codebook", "test", "--by", "site", "--min-score", "0.1", "--data", str(store), "--json"]
    )
    assert done.exit_code == 0 and len(json.loads(done.stdout)) == 2
    done = runner.invoke(group, ["export", "--out", str(tmp_path / "x"), "--data", str(store), "--json"])
    assert done.exit_code == 0 and (tmp_path / "x" / "schema.json").exists()
    done = runner.invoke(group, ["theme", "communication", "--where", "colour=red", "--data", str(store)])
    assert done.exit_code == 2 and "unknown facet 'colour'" in done.stderr
