"""An ingest run end to end on small hand-written documents, with the fast test embedder."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import duckdb
import pytest

from index.published import open_published
from ingest.document import ReadDocument, parse_document
from pipeline.executors import LocalExecutor
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import published_rows

REPORT = """Introduction

This report looks at how care homes were supported. Funding was short after the pilot ended.

Results

Money after the pilot

Sites found the money ran out when the programme closed, and services stopped.

Staffing

Teams could not recruit enough nurses for the care homes in the region.
"""

OTHER = """Background

The second study is about hospital discharge and the transfer of residents.

Findings

Discharge

Residents moved between hospital and home with a red bag holding their papers.
"""


def _ingest(manifest: Path, data: Path, embedder) -> object:
    return run_ingest(manifest, data, lambda: embedder, IngestOptions(workers=2, show_progress=False))


def test_ingest_stores_documents_sections_and_passages(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER})
    summary = _ingest(manifest, tmp_path / "data", counting_embedder)
    assert summary.ok and summary.parsed == 2
    assert published_rows(tmp_path / "data", "SELECT doc_id, status FROM documents ORDER BY doc_id") == [
        ("a", "ok"),
        ("b", "ok"),
    ]
    headings = [
        r[0] for r in published_rows(tmp_path / "data", "SELECT path FROM sections WHERE doc_id = 'a' ORDER BY ordinal")
    ]
    assert headings == ["Introduction", "Results", "Results > Money after the pilot", "Results > Staffing"]


def test_passage_offsets_point_into_the_document_text(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    rows = published_rows(
        tmp_path / "data",
        "SELECT d.text, p.text, p.char_start, p.char_end FROM passages p JOIN documents d USING (doc_id)",
    )
    assert rows
    assert all(doc[start:end] == text for doc, text, start, end in rows)


def test_ids_are_deterministic_across_runs(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT})
    _ingest(manifest, tmp_path / "one", counting_embedder)
    _ingest(manifest, tmp_path / "two", counting_embedder)
    sql = "SELECT passage_id, section_id FROM passages ORDER BY passage_id"
    assert published_rows(tmp_path / "one", sql) == published_rows(tmp_path / "two", sql)


def test_unchanged_corpus_parses_and_embeds_nothing(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    counting_embedder.encoded.clear()
    summary = _ingest(manifest, tmp_path / "data", counting_embedder)
    assert (summary.parsed, summary.unchanged, summary.embedded) == (0, 2, 0)
    assert counting_embedder.encoded == []


def test_editing_one_file_reembeds_only_its_changed_passages(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    counting_embedder.encoded.clear()
    edited = OTHER.replace("a red bag holding their papers", "a green folder holding their notes")
    (tmp_path / "corpus" / "b.txt").write_text(edited, encoding="utf-8")
    summary = _ingest(manifest, tmp_path / "data", counting_embedder)
    assert (summary.parsed, summary.unchanged) == (1, 1)
    assert counting_embedder.encoded and all("green folder" in text for text in counting_embedder.encoded)


def test_faiss_ids_are_passage_ids(write_corpus, tmp_path, counting_embedder):
    import faiss

    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    _, generation = open_published(tmp_path / "data")
    index = faiss.read_index(str(generation.index_dir / "passages.faiss"))
    stored = {row[0] for row in published_rows(tmp_path / "data", "SELECT passage_id FROM passages")}
    assert set(faiss.vector_to_array(index.id_map).tolist()) == stored


def test_a_missing_file_fails_alone(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT}, extra="  - {id: gone, path: gone.txt, title: Gone}\n")
    summary = _ingest(manifest, tmp_path / "data", counting_embedder)
    assert [doc_id for doc_id, _ in summary.failures] == ["gone"]
    rows = published_rows(tmp_path / "data", "SELECT doc_id, status, error FROM documents ORDER BY doc_id")
    assert rows[0][:2] == ("a", "ok")
    assert rows[1][:2] == ("gone", "failed") and "file not found" in rows[1][2]


class SpyExecutor(LocalExecutor):
    """The local pool, noting what begins early, when the model loads, and what each parse is given."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple] = []

    def begin(self, key, fn, args, workers, timeout):
        self.calls.append(("begin", key, args[0].name))
        super().begin(key, fn, args, workers, timeout)

    def prepare(self, load) -> None:
        self.calls.append(("load model",))
        super().prepare(load)

    def run_tasks(self, fn, tasks, workers, timeout):
        def noted():
            for key, args in tasks:
                self.calls.append(("parse", key))
                yield key, args

        for key, parsed, error in super().run_tasks(fn, noted(), workers, timeout):
            self.calls.append(("parsed", key, parsed.timings["handed its reading"]))
            yield key, parsed, error


def _parse_noting_read_ahead(*args):
    """parse_document, noting in its timings whether it was handed its document read ahead."""
    parsed = parse_document(*args)
    parsed.timings["handed its reading"] = float(isinstance(args[-1], ReadDocument))
    return parsed


def test_the_longest_document_is_read_while_the_model_loads_and_handed_to_its_parse(
    write_corpus, tmp_path, counting_embedder, monkeypatch
):
    spy = SpyExecutor()
    monkeypatch.setattr("pipeline.ingest_run.open_executor", lambda kind, address: nullcontext(spy))
    monkeypatch.setattr("pipeline.ingest_run.parse_document", _parse_noting_read_ahead)
    monkeypatch.setattr(counting_embedder, "load", lambda: spy.calls.append(("load embedder",)), raising=False)
    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER * 3})

    summary = _ingest(manifest, tmp_path / "data", counting_embedder)

    assert summary.ok and summary.parsed == 2
    assert spy.calls[:4] == [("begin", "b", "b.txt"), ("load model",), ("parse", "b"), ("parse", "a")]
    assert sorted(call for call in spy.calls if call[0] == "parsed") == [("parsed", "a", 0.0), ("parsed", "b", 1.0)]
    # The embedder loads once no document is left to start and a worker is free: after the first result.
    assert spy.calls.index(("load embedder",)) > min(i for i, call in enumerate(spy.calls) if call[0] == "parsed")


def test_a_document_whose_early_reading_fails_fails_alone_as_when_read_in_its_parse(
    write_corpus, tmp_path, counting_embedder
):
    manifest = write_corpus({"a.txt": REPORT, "blank.txt": " \n" * 5000})

    def failures(workers: int) -> list[tuple[str, str]]:
        options = IngestOptions(workers=workers, show_progress=False)
        summary = run_ingest(manifest, tmp_path / f"data-{workers}", lambda: counting_embedder, options)
        assert summary.parsed == 1
        return summary.failures

    early = failures(2)  # the longer file is read while the model loads
    assert early == failures(1)
    assert [doc_id for doc_id, _ in early] == ["blank"] and "empty" in early[0][1]


def _arguments(*args):
    return args


def test_one_worker_begins_nothing_before_the_model_loads():
    executor = LocalExecutor()
    executor.begin("a", abs, (-3,), 1, None)

    assert list(executor.run_tasks(_arguments, [("a", (1,))], 1, None)) == [("a", (1,), None)]

    executor.begin("a", abs, (-3,), 2, None)  # two workers: the begun work's result is handed over
    assert list(executor.run_tasks(_arguments, [("a", (1,))], 2, None)) == [("a", (1, 3), None)]


def test_a_document_removed_from_the_manifest_is_removed_from_the_store(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT, "b.txt": OTHER})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    manifest.write_text(manifest.read_text().replace("  - {id: b, path: b.txt, title: 'Report b', study: s1}\n", ""))
    summary = _ingest(manifest, tmp_path / "data", counting_embedder)
    assert summary.removed == 1
    assert published_rows(tmp_path / "data", "SELECT DISTINCT doc_id FROM passages") == [("a",)]


def test_published_database_opens_read_only_at_the_documented_path(write_corpus, tmp_path, counting_embedder):
    manifest = write_corpus({"a.txt": REPORT})
    _ingest(manifest, tmp_path / "data", counting_embedder)
    con = duckdb.connect(str(tmp_path / "data" / "evidence.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM documents")


def _coding_runs(monkeypatch) -> list[int]:
    """Count how often an ingest codes the quotations afresh."""
    import index.themes.coding as theme_coding

    runs: list[int] = []
    relearn = theme_coding.relearn

    def counted(con):
        runs.append(1)
        return relearn(con)

    monkeypatch.setattr(theme_coding, "relearn", counted)
    return runs


def _ingest_with_codebook(manifest: Path, data: Path, embedder, codebook: Path) -> object:
    options = IngestOptions(workers=1, show_progress=False, codebook_path=codebook)
    return run_ingest(manifest, data, lambda: embedder, options)


def test_a_run_that_changed_nothing_keeps_the_stored_coding(write_corpus, tmp_path, counting_embedder, monkeypatch):
    from tests.theme_store import CODEBOOK

    manifest = write_corpus({"a.txt": REPORT})
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    _ingest_with_codebook(manifest, tmp_path / "data", counting_embedder, codebook)
    before = published_rows(tmp_path / "data", "SELECT * FROM quote_themes ORDER BY ALL")
    runs = _coding_runs(monkeypatch)
    _ingest_with_codebook(manifest, tmp_path / "data", counting_embedder, codebook)
    assert runs == []
    assert published_rows(tmp_path / "data", "SELECT * FROM quote_themes ORDER BY ALL") == before


def test_a_changed_codebook_codes_the_quotations_again(write_corpus, tmp_path, counting_embedder, monkeypatch):
    from tests.theme_store import CODEBOOK

    manifest = write_corpus({"a.txt": REPORT})
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    _ingest_with_codebook(manifest, tmp_path / "data", counting_embedder, codebook)
    runs = _coding_runs(monkeypatch)
    codebook.write_text(CODEBOOK.replace("sharing information between teams", "passing news between teams"),
                        encoding="utf-8")
    _ingest_with_codebook(manifest, tmp_path / "data", counting_embedder, codebook)
    assert runs == [1]
    descriptions = published_rows(tmp_path / "data", "SELECT description FROM themes ORDER BY ordinal")
    assert ("passing news between teams at meetings and by email",) in descriptions
