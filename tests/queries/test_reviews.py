"""The reviewer's decisions: recorded on the command line, applied to every answer and export, kept
outside the generations, re-anchored when a document changes, and listed when they cannot be."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.review_journal import journal_path, read_reviews
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import published_rows
from tests.theme_store import CODEBOOK, build_theme_store


@pytest.fixture
def store(tmp_path) -> Path:
    return build_theme_store(tmp_path)


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def as_json(*args: str) -> list[dict]:
    return json.loads(run(*args, "--json"))


def quotes(data: Path, *extra: str) -> dict[int, dict]:
    return {q["quote_id"]: q for q in as_json("quotes", "--data", str(data), *extra)}


def quote_id(data: Path, words: str) -> int:
    return next(q for q, row in quotes(data).items() if words in row["text"])


def theme_texts(data: Path, *extra: str) -> list[str]:
    hits = as_json("theme", "communication", "--codebook", "test", "--k", "20", "--data", str(data), *extra)
    return [h["text"] for h in hits]


def matrix_total(data: Path, theme: str, *extra: str) -> int:
    rows = as_json("matrix", "--codebook", "test", "--by", "doc_id", "--data", str(data), *extra)
    return next(r["total"] for r in rows if r["theme"] == theme)


def exported_texts(data: Path, out: Path) -> tuple[set[str], str, str]:
    """Quotation texts of the JSON Lines export, the QDPX project XML, and the report's HTML."""
    run("export", "--format", "jsonl", "--out", str(out / "tables"), "--data", str(data))
    lines = (out / "tables" / "quotes.jsonl").read_text(encoding="utf-8").splitlines()
    run("export", "--format", "qdpx", "--out", str(out / "p.qdpx"), "--data", str(data))
    project = zipfile.ZipFile(out / "p.qdpx").read("project.qde").decode("utf-8")
    run("report", "--k", "20", "--out", str(out / "r.html"), "--data", str(data))
    return {json.loads(line)["text"] for line in lines}, project, (out / "r.html").read_text(encoding="utf-8")


def test_a_rejected_quotation_is_gone_from_every_answer_and_export(store, tmp_path):
    target = quote_id(store, "Email between the teams")
    text = quotes(store)[target]["text"]
    assert text in theme_texts(store)
    before = matrix_total(store, "communication")
    run("review", "reject", str(target), "--reviewer", "ana", "--data", str(store))

    assert target not in quotes(store)
    assert text not in theme_texts(store)
    assert matrix_total(store, "communication") < before
    tables, project, report = exported_texts(store, tmp_path)
    assert text not in tables
    assert 'name="P1S1R02"' not in project and text not in project
    assert text not in report
    codes = {r["code"] for r in as_json("respondents", "--data", str(store))}
    assert "P1S1R02" not in codes


def test_unreviewed_shows_the_extractors_own_output(store):
    target = quote_id(store, "Email between the teams")
    run("review", "reject", str(target), "--reviewer", "ana", "--data", str(store))
    assert target in quotes(store, "--unreviewed")
    assert any("Email between" in t for t in theme_texts(store, "--unreviewed"))


def test_an_added_quotation_is_in_every_answer_and_export(store, tmp_path):
    words = "As this respondent said"
    added = as_json("review", "add", "a", "--text", words, "--respondent", "P1S9R09", "--reviewer", "bob",
                    "--data", str(store))[0]
    assert added["action"] == "add" and added["text"] == words
    new_id = quote_id(store, words)
    assert quotes(store)[new_id]["respondent_code"] == "P1S9R09"
    run("review", "theme", str(new_id), "communication", "--reviewer", "bob", "--data", str(store))

    assert theme_texts(store)[0] == words
    assert matrix_total(store, "communication") == matrix_total(store, "communication", "--unreviewed") + 1
    tables, project, report = exported_texts(store, tmp_path)
    assert words in tables
    assert 'name="P1S9R09"' in project
    assert words in report
    respondent = next(r for r in as_json("respondents", "--data", str(store)) if r["code"] == "P1S9R09")
    assert respondent["n_quotes"] == 1


def test_a_corrected_respondent_and_span_show_everywhere(store):
    target = quote_id(store, "Money for nurses")
    row = quotes(store)[target]
    run("review", "respondent", str(target), "P1S2R01", "--reviewer", "ana", "--data", str(store))
    start, end = (published_rows(store, "SELECT char_start, char_end FROM quotes WHERE quote_id = ?", [target])[0])
    run("review", "span", str(target), str(start), str(end - len(" and the funding went.")), "--reviewer", "ana",
        "--data", str(store))
    now = quotes(store)[target]
    assert now["respondent_code"] == "P1S2R01" and row["respondent_code"] == "P1S1R01"
    assert now["text"] == "Money for nurses stopped"
    assert [q["quote_id"] for q in as_json("quotes", "--respondent", "P1S2R01", "--data", str(store))].count(target)


def test_a_theme_taken_out_by_a_reviewer_leaves_the_theme(store):
    target = quote_id(store, "We shared information")
    assert any("We shared information" in t for t in theme_texts(store))
    run("review", "theme", str(target), "communication", "--remove", "--reviewer", "ana", "--data", str(store))
    assert not any("We shared information" in t for t in theme_texts(store))


def test_memos_on_a_quotation_a_document_and_a_respondent_are_journalled_with_who_and_when(store):
    target = quote_id(store, "We shared information")
    run("review", "memo", "typical of site 2", "--quote", str(target), "--reviewer", "ana", "--data", str(store))
    run("review", "memo", "the pilot report", "--doc", "a", "--reviewer", "ana", "--data", str(store))
    run("review", "memo", "a manager", "--respondent", "P1S2R02", "--study", "s1", "--reviewer", "ana",
        "--data", str(store))
    listed = as_json("review", "list", "--data", str(store))
    assert [(r["target"], json.loads(r["after"])["memo"]) for r in listed] == [
        ("quote", "typical of site 2"), ("document", "the pilot report"), ("respondent", "a manager")]
    assert all(r["reviewer"] == "ana" and r["at"] for r in listed)


def test_a_review_of_an_unknown_quotation_is_refused_with_one_line(store):
    result = CliRunner().invoke(main, ["review", "accept", "12345", "--data", str(store)])
    assert result.exit_code == 2
    assert result.output.strip() == "error: no quotation with id 12345 in the store"


def test_decisions_export_to_csv_and_import_once(store, tmp_path):
    target = quote_id(store, "We shared information")
    run("review", "accept", str(target), "--reviewer", "ana", "--data", str(store))
    run("review", "theme", str(target), "dedicated and ongoing resources", "--reviewer", "ana", "--data", str(store))
    out = tmp_path / "decisions.csv"
    run("review", "export", "--out", str(out), "--data", str(store))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["action"] for r in rows] == ["accept", "theme"]
    assert rows[0]["text"] == "We shared information at meetings and by email."

    other = build_theme_store(tmp_path / "other")
    imported = as_json("review", "import", str(out), "--data", str(other))[0]
    assert imported["imported"] == 2
    assert as_json("review", "import", str(out), "--data", str(other))[0]["imported"] == 0
    assert [r.review_id for r in read_reviews(other)] == [r.review_id for r in read_reviews(store)]


def test_a_torn_last_line_is_skipped_and_the_next_decision_is_kept(store):
    target = quote_id(store, "We shared information")
    run("review", "accept", str(target), "--reviewer", "ana", "--data", str(store))
    with journal_path(store).open("a", encoding="utf-8") as handle:
        handle.write('{"action": "reject", "target": "quo')
    assert len(read_reviews(store)) == 1
    run("review", "reject", str(target), "--reviewer", "ana", "--data", str(store))
    assert [r.action for r in read_reviews(store)] == ["accept", "reject"]
    assert target not in quotes(store)


REPORT = """Report on the homes

Findings

Resources

The evaluation heard about money. As one commissioner said:

"We lost the money and we lost the people who knew the homes." (P3S1R01)

Another manager said:

"The nurses came twice a week and then they stopped coming at all." (P3S1R02)

Closing words of the findings here.
"""


def _ingest(manifest: Path, data: Path) -> None:
    codebook = manifest.parent / "themes.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    run_ingest(manifest, data, HashingEmbedder, IngestOptions(workers=1, show_progress=False, codebook_path=codebook))


def test_reviews_survive_a_reingest_of_a_changed_document(write_corpus, tmp_path):
    data = tmp_path / "data"
    manifest = write_corpus({"r.txt": REPORT})
    _ingest(manifest, data)
    lost = quote_id(data, "We lost the money")
    nurses = quote_id(data, "The nurses came")
    run("review", "reject", str(nurses), "--reviewer", "ana", "--data", str(data))
    run("review", "respondent", str(lost), "P3S1R09", "--reviewer", "ana", "--data", str(data))
    run("review", "add", "r", "--text", "Closing words of the findings", "--reviewer", "ana", "--data", str(data))

    changed = REPORT.replace("Findings\n\n", "Findings\n\nA new opening paragraph was written for the second "
                                             "edition of the report.\n\n")
    manifest = write_corpus({"r.txt": changed})
    _ingest(manifest, data)
    rows = {row["text"]: row for row in quotes(data).values()}
    lost_row = next(row for text, row in rows.items() if "We lost the money" in text)
    assert lost_row["respondent_code"] == "P3S1R09"
    assert not any("The nurses came" in text for text in rows)
    assert "Closing words of the findings" in rows
    assert as_json("review", "orphans", "--data", str(data)) == []
    assert any("The nurses came" in row["text"] for row in quotes(data, "--unreviewed").values())


def test_a_review_whose_text_is_gone_is_listed_as_an_orphan_not_dropped(write_corpus, tmp_path):
    data = tmp_path / "data"
    _ingest(write_corpus({"r.txt": REPORT}), data)
    nurses = quote_id(data, "The nurses came")
    run("review", "reject", str(nurses), "--reviewer", "ana", "--data", str(data))
    _ingest(write_corpus({"r.txt": REPORT.replace("twice a week and then they stopped coming at all",
                                                  "every day")}), data)
    orphans = as_json("review", "orphans", "--data", str(data))
    assert [(o["action"], o["reviewer"]) for o in orphans] == [("reject", "ana")]
    assert "no longer in document" in orphans[0]["reason"]
    assert len(read_reviews(data)) == 1
    from fastapi.testclient import TestClient

    from pipeline.server import create_app

    client = TestClient(create_app(data, HashingEmbedder), base_url="http://127.0.0.1:8000")
    assert [o["review_id"] for o in client.get("/api/reviews/orphans").json()] == [orphans[0]["review_id"]]
    assert "1 earlier decisions on this document no longer find their text" in client.get("/doc/r").text


def _automatic_coding(data: Path, coded: set[int]) -> None:
    """Replace the store's dense coding of 'communication' by a known one: exactly `coded` are members."""
    import duckdb

    con = duckdb.connect(str(data / "current" / "evidence.duckdb"))
    try:
        theme = con.execute("SELECT theme_id FROM themes WHERE name = 'communication'").fetchone()[0]
        con.execute("DELETE FROM quote_themes WHERE method = 'dense' AND theme_id = ?", [theme])
        for quote, in con.execute("SELECT quote_id FROM quotes").fetchall():
            con.execute("INSERT INTO quote_themes VALUES (?, ?, ?, 1, 'dense')",
                        [quote, theme, 1.0 if quote in coded else 0.0])
    finally:
        con.close()


def test_agreement_figures_equal_a_hand_computation(store):
    ids = sorted(quotes(store))[:6]
    q1, q2, q3, q4, q5, q6 = ids
    _automatic_coding(store, {q1, q2, q3})
    for action, quote, *rest in [("accept", q1), ("theme", q2, "--remove"), ("accept", q3), ("theme", q4),
                                 ("accept", q5), ("accept", q6)]:
        theme = ["communication", *rest] if action == "theme" else []
        run("review", action, str(quote), *theme, "--reviewer", "ana", "--data", str(store))
    for action, quote, *rest in [("accept", q1), ("accept", q2), ("theme", q3, "--remove"), ("accept", q4)]:
        theme = ["communication", *rest] if action == "theme" else []
        run("review", action, str(quote), *theme, "--reviewer", "bob", "--data", str(store))

    # automatic vs ana on q1..q6: yes/yes q1 q3, automatic only q2, ana only q4, no/no q5 q6.
    # p_o = 4/6; both say yes half the time, so p_e = 1/2 and kappa = (2/3 - 1/2) / (1/2) = 1/3.
    row = next(r for r in as_json("agreement", "--coder", "ana", "--data", str(store)) if r["theme"] == "communication")
    assert (row["units"], row["both_yes"], row["a_only"], row["b_only"], row["both_no"]) == (6, 2, 1, 1, 2)
    assert row["percent_agreement"] == pytest.approx(66.67) and row["kappa"] == pytest.approx(1 / 3, abs=1e-4)

    # ana vs bob on q1..q4: ana y n y y, bob y y n n -> p_o = 1/4, p_e = 3/4*1/2 + 1/4*1/2 = 1/2, kappa = -1/2.
    row = next(r for r in as_json("agreement", "--coder", "ana", "--coder", "bob", "--data", str(store))
               if r["theme"] == "communication")
    assert (row["coder_a"], row["coder_b"], row["units"]) == ("ana", "bob", 4)
    assert (row["both_yes"], row["a_only"], row["b_only"], row["both_no"]) == (1, 2, 1, 0)
    assert row["percent_agreement"] == pytest.approx(25.0) and row["kappa"] == pytest.approx(-0.5)


def test_an_unknown_coder_is_named_in_the_error(store):
    result = CliRunner().invoke(main, ["agreement", "--coder", "zoe", "--data", str(store)])
    assert result.exit_code == 2 and "no decisions by 'zoe'" in result.output


def test_an_ingest_killed_while_reviews_are_written_loses_no_review(tmp_path):
    import multiprocessing as mp
    import os
    import signal

    from queries.reviewing.actions import review_quote
    from tests.index.test_crash_safety import ingest, report, write_manifest

    first = write_manifest(tmp_path / "a", {f"r{i}": report(f"Report {i}", 4, i) for i in range(2)})
    second = write_manifest(tmp_path / "b", {"r0": report("Report 0 revised", 6, 0), "r1": report("Report 1", 4, 1),
                                             "r2": report("Report 2", 6, 2)})
    data = tmp_path / "data"
    ingest(first, data)
    targets = list(quotes(data))
    written = []
    for round_ in range(3):
        child = mp.get_context("fork").Process(target=ingest, args=(second if round_ % 2 == 0 else first, data))
        child.start()
        for quote in targets:
            written.append(review_quote(data, quote, "memo", "ana", memo=f"round {round_}").review_id)
            if len(written) % 5 == 0 and child.is_alive():
                os.kill(child.pid, signal.SIGKILL)
        if child.is_alive():
            os.kill(child.pid, signal.SIGKILL)
        child.join()
    assert [r.review_id for r in read_reviews(data)] == written
    ingest(second, data)
    assert [r.review_id for r in read_reviews(data)] == written


def test_reviewer_theme_decisions_give_the_last_word_per_quotation_and_theme(store):
    from queries.reviewing.exchange import reviewer_theme_decisions

    kept, dropped = quote_id(store, "We shared information"), quote_id(store, "Email between the teams")
    run("review", "theme", str(kept), "communication", "--remove", "--reviewer", "ana", "--data", str(store))
    run("review", "theme", str(kept), "communication", "--reviewer", "bob", "--data", str(store))
    run("review", "theme", str(dropped), "communication", "--reviewer", "ana", "--data", str(store))
    run("review", "reject", str(dropped), "--reviewer", "ana", "--data", str(store))
    decisions = reviewer_theme_decisions(store)
    assert [(d.quote_id, d.theme, d.coded, d.reviewer) for d in decisions] == [(kept, "communication", True, "bob")]
    assert decisions[0].text == "We shared information at meetings and by email."
