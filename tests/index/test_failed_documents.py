"""A document that fails keeps its last good version (stale) until it leaves the manifest or is pruned,
and a run in which every document fails publishes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.schema import migrate
from index.store import DocumentMeta, UnstorableDocument, replace_document
from ingest.document import parse_document
from pipeline.cli import main
from tests.conftest import published_rows

REPORT = """Findings

As one manager said:

We kept the clinic open because the volunteers stayed on. (P1S2R04)

Another added:

The rota was the first thing to fall apart when the grant ended. (P1S2R05)
"""


@pytest.fixture
def fast_embedder(monkeypatch):
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)


def ingest(manifest: Path, data: Path, *extra: str):
    return CliRunner().invoke(main, ["ingest", "--manifest", str(manifest), "--data", str(data), "--quiet", *extra])


@pytest.fixture
def two_reports(write_corpus, tmp_path) -> tuple[Path, Path]:
    """A manifest of two reports already ingested once, and the data folder holding them."""
    manifest = write_corpus({"alpha.txt": REPORT, "beta.txt": REPORT.replace("clinic", "library")})
    data = tmp_path / "data"
    assert ingest(manifest, data).exit_code == 0
    return manifest, data


def quote_counts(data: Path) -> dict[str, int]:
    return dict(published_rows(data, "SELECT doc_id, count(*) FROM quotes GROUP BY doc_id"))


def test_a_document_whose_file_went_missing_keeps_its_last_good_version_marked_stale(two_reports, fast_embedder):
    manifest, data = two_reports
    before = quote_counts(data)
    (manifest.parent / "corpus" / "beta.txt").unlink()
    result = ingest(manifest, data)
    assert result.exit_code == 1
    assert "stale: beta: file not found" in result.output
    assert quote_counts(data) == before
    [(status, error, last_good)] = published_rows(
        data, "SELECT status, error, last_good_at FROM documents WHERE doc_id = 'beta'"
    )
    assert status == "stale" and "file not found" in error and last_good is not None


def test_prune_drops_the_last_good_version_of_a_failing_document(two_reports, fast_embedder):
    manifest, data = two_reports
    (manifest.parent / "corpus" / "beta.txt").write_bytes(b"")
    result = ingest(manifest, data, "--prune")
    assert result.exit_code == 1 and "failed: beta" in result.output
    assert "beta" not in quote_counts(data)
    assert published_rows(data, "SELECT status FROM documents WHERE doc_id = 'beta'") == [("failed",)]


def test_a_stale_document_that_leaves_the_manifest_is_removed(two_reports, fast_embedder):
    manifest, data = two_reports
    (manifest.parent / "corpus" / "beta.txt").unlink()
    ingest(manifest, data)
    manifest.write_text(manifest.read_text().replace("  - {id: beta, path: beta.txt, title: 'Report beta', "
                                                     "study: s1}\n", ""))
    assert ingest(manifest, data).exit_code == 0
    assert published_rows(data, "SELECT doc_id, status FROM documents") == [("alpha", "ok")]


def test_a_run_in_which_every_document_fails_publishes_nothing_and_exits_1(two_reports, fast_embedder):
    manifest, data = two_reports
    before = (quote_counts(data), (data / "current").resolve())
    manifest.write_text(manifest.read_text().replace("root: corpus", "root: corpsu"))
    result = ingest(manifest, data)
    assert result.exit_code == 1
    assert "every document failed; nothing was published" in result.output
    assert (quote_counts(data), (data / "current").resolve()) == before
    assert len(list((data / "generations").iterdir())) == 1


def test_verify_lists_stale_documents_and_does_not_call_the_state_sound(two_reports, fast_embedder):
    manifest, data = two_reports
    (manifest.parent / "corpus" / "beta.txt").unlink()
    ingest(manifest, data)
    result = CliRunner().invoke(main, ["verify", "--data", str(data)])
    assert result.exit_code == 1
    assert "document 'beta' is stale" in result.output and "serving the version ingested at" in result.output
    assert "is sound" not in result.output


def test_a_value_the_store_cannot_hold_fails_that_document_naming_the_table_and_column(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT)
    parsed = parse_document(path)
    parsed = replace(parsed, sections=[replace(s, page_start=2**40) for s in parsed.sections])
    con = duckdb.connect(str(tmp_path / "store.duckdb"))
    migrate(con)
    meta = DocumentMeta("report", "s1", "Report", (), None, None, None, None, None, str(path), "0", "1")
    with pytest.raises(UnstorableDocument, match=r"sections\.page_start"):
        replace_document(con, meta, parsed)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (0,)


@pytest.mark.parametrize(
    ("entry", "needle"),
    [
        ("{id: beta, path: beta.txt, title: B, year: 3000000000}", "year 3000000000 is outside"),
        ('{id: beta, path: beta.txt, title: "B \\ud800"}', "title holds a lone surrogate"),
    ],
)
def test_a_metadata_value_the_store_cannot_hold_fails_only_its_document(tmp_path, fast_embedder, entry, needle):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "alpha.txt").write_text(REPORT)
    (corpus / "beta.txt").write_text(REPORT)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(f"root: corpus\ndocuments:\n  - {{id: alpha, path: alpha.txt, title: A}}\n  - {entry}\n")
    result = ingest(manifest, tmp_path / "data")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"failed: beta: {needle}" in result.output
    assert set(quote_counts(tmp_path / "data")) == {"alpha"}
