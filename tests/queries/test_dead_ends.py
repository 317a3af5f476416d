"""No dead ends for a reviewer: a filter value the store does not hold is an error naming the closest
known values, codes and documents are found however they are written, a reprint counts once, the
table fits the terminal, ingest reports progress into a log, and `evidence sql` needs nothing else.

One small corpus of hand-written reports (two documents of one study, one quotation printed in
both, one quotation of a cited document), ingested with the hashing embedder.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.theme_store import CODEBOOK

FIRST = """Findings

Communication

Sharing information was hard, as one manager explained:

"We could not email the care homes, they had no secure accounts, so we phoned." (P3S2R01)

Dedicated and ongoing resources

The national plan had promised more, stating that homes would be

"supported by a named team of nurses and doctors for as long as the programme lasts" (NHS England 2015)

Most sites said the money was the problem. As this commissioner said:

"When the funding ended the service stopped, and we lost the nurses we had trained." (P3S1R03)
"""

SECOND = """Results

Workforce

The staff in the homes changed often. One commissioner put it like this:

"When the funding ended the service stopped, and we lost the nurses we had trained." (P3S1R03)

Another nurse said:

"Every month there were new faces, and the training we did was lost when they left." (P3S3R02)
"""

MANIFEST = """root: corpus
documents:
  - {id: 000_first, path: 000_first.txt, title: 'Funding the homes: the first report', study: s1}
  - {id: 001_second, path: 001_second.txt, title: 'Workforce in the homes', study: s1}
"""


def _write_corpus(root: Path, manifest: str = MANIFEST) -> Path:
    (root / "corpus").mkdir(exist_ok=True)
    (root / "corpus" / "000_first.txt").write_text(FIRST, encoding="utf-8")
    (root / "corpus" / "001_second.txt").write_text(SECOND, encoding="utf-8")
    (root / "themes.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return root / "manifest.yaml"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dead-ends")
    manifest = _write_corpus(root)
    options = IngestOptions(workers=1, show_progress=False, codebook_path=root / "themes.yaml")
    summary = run_ingest(manifest, root / "data", HashingEmbedder, options)
    assert summary.ok and summary.quotes == 5
    return root / "data"


@pytest.fixture
def evidence(store, monkeypatch):
    """Run `evidence ARGS --data STORE`; the hashing embedder stands in for the model."""
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)

    def run(*args: str, columns: int = 100):
        return CliRunner(env={"COLUMNS": str(columns)}).invoke(main, [*args, "--data", str(store)])

    return run


# --- every filter value is checked against the store -------------------------------------------


@pytest.mark.parametrize(("args", "suggestion"), [
    (["quotes", "--respondent", "P9S9R99"], "did you mean P3S"),
    (["quotes", "--entity", "Hogwarts"], "no entity 'Hogwarts'"),
    (["quotes", "--study", "s11"], "did you mean s1?"),
    (["quotes", "--doc", "002"], "no document '002'"),
    (["quotes", "--where", "site=9"], "no site value '9'"),
    (["theme", "communication", "--respondent", "P3S1R3"], "did you mean P3S1R03"),
    (["respondents", "--study", "nonexistent"], "no study 'nonexistent'"),
    (["entities", "--doc", "zzz"], "no document 'zzz'"),
])
def test_an_unknown_filter_value_exits_2_naming_the_closest_known(evidence, args, suggestion):
    result = evidence(*args)
    assert result.exit_code == 2, result.output
    assert suggestion in result.stderr and "No results" not in result.stdout


def test_an_unknown_entity_label_suggests_the_known_one(evidence, store):
    label = evidence("sql", "SELECT label FROM entities LIMIT 1", "--json")
    assert label.exit_code == 0, label.output
    known = json.loads(label.stdout)[0]["label"]
    result = evidence("entities", "--label", known + "S")
    assert result.exit_code == 2 and f"did you mean {known}?" in result.stderr


@pytest.mark.parametrize("spelling", ["P3 S1R03", "p3s1r03", "P3-S1-R03"])
def test_a_respondent_code_in_any_printed_spelling_finds_the_respondent(evidence, spelling):
    canonical = json.loads(evidence("quotes", "--respondent", "P3S1R03", "--json").stdout)
    result = evidence("quotes", "--respondent", spelling, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == canonical and len(canonical) == 2


@pytest.mark.parametrize("prefix", ["000", "001_s", "Funding the", "workforce"])
def test_a_document_is_found_by_any_unique_prefix_of_its_id_or_title(evidence, prefix):
    result = evidence("quotes", "--doc", prefix, "--json")
    assert result.exit_code == 0, result.output
    docs = {row["doc_id"] for row in json.loads(result.stdout)}
    assert len(docs) == 1 and (docs.pop().startswith(prefix) or prefix[0].isalpha())


def test_a_prefix_of_several_documents_names_them(evidence):
    result = evidence("quotes", "--doc", "00")
    assert result.exit_code == 2 and "000_first" in result.stderr and "001_second" in result.stderr


def test_theme_refuses_an_unknown_kind_as_quotes_does(evidence):
    theme, quotes = evidence("theme", "communication", "--kind", "interviews"), evidence("quotes", "--kind",
                                                                                         "interviews")
    assert theme.exit_code == quotes.exit_code == 2
    assert "'interviews' is not one of 'interview', 'document', 'other'" in theme.output
    assert theme.output.splitlines()[-1] == quotes.output.splitlines()[-1]


def test_a_misspelt_codebook_theme_is_taken_as_that_theme(evidence):
    exact = evidence("theme", "dedicated and ongoing resources", "--json")
    slip = evidence("theme", "dedicated and ongoin resource", "--json")
    assert slip.exit_code == 0, slip.output
    assert json.loads(slip.stdout) == json.loads(exact.stdout)
    assert "as theme 'dedicated and ongoing resources'" in slip.stderr


def test_a_free_text_fallback_is_announced_on_stdout_and_stderr(evidence):
    result = evidence("theme", "comunicashun with the homes")
    assert result.exit_code == 0, result.output
    assert "searched as free text" in result.stderr
    assert "searched as free text" in result.stdout.splitlines()[0]


# --- one count of quotations --------------------------------------------------------------------


def test_a_reprinted_quotation_counts_once_for_its_respondent(evidence):
    rows = json.loads(evidence("respondents", "--json").stdout)
    printed = json.loads(evidence("quotes", "--respondent", "P3S1R03", "--json").stdout)
    assert len(printed) == 2 and len({row["cluster_id"] for row in printed}) == 1
    assert {row["code"]: (row["n_quotes"], row["printings"]) for row in rows}["P3S1R03"] == (1, 2)


def test_a_theme_hit_lists_the_other_printings_of_its_quotation(evidence):
    hits = json.loads(evidence("theme", "the funding ended the service stopped", "--method", "lexical",
                               "--min-score", "0", "--json").stdout)
    reprinted = [h for h in hits if "funding ended" in h["text"]]
    assert len(reprinted) == 1
    other = "001_second" if reprinted[0]["doc_id"] == "000_first" else "000_first"
    assert reprinted[0]["other_printings"] == [f"{other} p. 1"]


def test_the_matrix_total_counts_a_reprint_once(evidence):
    result = evidence("matrix", "--codebook", "test", "--by", "respondent", "--min-score", "0", "--json")
    assert result.exit_code == 0, result.output
    for row in json.loads(result.stdout):
        assert row["P3S1R03"] <= 1 and row["total"] == 4


# --- a readable table ---------------------------------------------------------------------------


def test_the_table_fits_the_terminal_and_gives_the_quotation_the_room(evidence):
    result = evidence("quotes", columns=80)
    lines = result.stdout.splitlines()
    assert result.exit_code == 0 and max(len(line) for line in lines) <= 80
    text_column = lines[0].index("text")
    assert 80 - text_column >= 40


def test_wide_puts_each_row_on_one_line(evidence):
    result = evidence("quotes", "--wide", columns=80)
    assert result.exit_code == 0, result.output
    assert len(result.stdout.splitlines()) == 2 + 5


def test_format_chooses_the_output_like_json_and_csv(evidence):
    assert evidence("quotes", "--format", "json").stdout == evidence("quotes", "--json").stdout
    assert evidence("quotes", "--format", "csv").stdout == evidence("quotes", "--csv").stdout


def test_a_document_quotation_shows_its_citation(evidence):
    result = evidence("quotes", "--kind", "document", "--wide")
    assert result.exit_code == 0, result.output
    assert "cited (NHS England 2015)" in result.stdout


def test_column_widths_never_exceed_the_room_when_the_floors_allow():
    from pipeline.output import fit_widths

    widths = fit_widths([20, 4, 15, 36, 400], [10, 4, 10, 10, 10], 72, wide=4)
    assert sum(widths) <= 72 and widths[4] >= 72 * 0.5


# --- progress and the summary -------------------------------------------------------------------


def _ingest(tmp_path: Path, manifest: Path, *flags: str):
    return CliRunner().invoke(main, ["ingest", "--manifest", str(manifest), "--data", str(tmp_path / "data"),
                                     "--codebook", str(tmp_path / "themes.yaml"), "--workers", "1", *flags])


def test_ingest_into_a_log_says_a_line_per_document_and_per_stage(tmp_path, monkeypatch):
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)
    result = _ingest(tmp_path, _write_corpus(tmp_path))
    assert result.exit_code == 0, result.output
    for line in ("parse 1/2", "parse 2/2", "embed:", "themes:", "index:"):
        assert line in result.stderr, line
    assert "(2 parsed, 0 unchanged, 0 failed)" in result.stdout


def test_every_ingest_stage_reports_progress(tmp_path, monkeypatch):
    import pipeline.ingest_run
    from pipeline.progress import Progress

    labels = []

    class Recording(Progress):
        def __init__(self, total, label, enabled=True, unit=None):
            labels.append(label)
            super().__init__(total, label, enabled, unit)

    monkeypatch.setattr(pipeline.ingest_run, "Progress", Recording)
    options = IngestOptions(workers=1, codebook_path=_write_corpus(tmp_path).parent / "themes.yaml")
    run_ingest(tmp_path / "manifest.yaml", tmp_path / "data", HashingEmbedder, options)
    assert labels == ["parse", "embed", "themes", "index"]


def test_the_summary_counts_a_failed_document(tmp_path, monkeypatch):
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)
    manifest = _write_corpus(tmp_path, MANIFEST + "  - {id: 002_gone, path: missing.txt, title: Gone, study: s1}\n")
    result = _ingest(tmp_path, manifest, "--quiet")
    assert result.exit_code == 1
    assert "(2 parsed, 0 unchanged, 1 failed)" in result.stdout


# --- SQL without another program ----------------------------------------------------------------


def test_sql_answers_a_select_as_json_and_csv(evidence):
    as_json = evidence("sql", "SELECT doc_id, count(*) AS n FROM quotes GROUP BY 1 ORDER BY 1", "--json")
    assert json.loads(as_json.stdout) == [{"doc_id": "000_first", "n": 3}, {"doc_id": "001_second", "n": 2}]
    as_csv = evidence("sql", "SELECT count(*) AS n FROM quotes", "--csv")
    assert as_csv.stdout.splitlines() == ["n", "5"]


@pytest.mark.parametrize("statement", [
    "DELETE FROM quotes",
    "CREATE TABLE x AS SELECT 1",
    "COPY quotes TO 'out.csv'",
    "SELECT * FROM read_csv('/etc/hostname')",
    "SET enable_external_access = true",
])
def test_sql_cannot_change_the_store_or_touch_files(evidence, statement):
    result = evidence("sql", statement)
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    assert json.loads(evidence("sql", "SELECT count(*) AS n FROM quotes", "--json").stdout) == [{"n": 5}]


def test_filter_messages_speak_no_command_line():
    from queries.search.quote_filters import FilterError, parse_where

    with pytest.raises(FilterError) as error:
        parse_where(["nonsense"])
    assert not re.search(r"--\w", str(error.value))
