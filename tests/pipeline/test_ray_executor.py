"""`--executor ray`: documents parsed as Ray tasks and texts embedded by Ray actors publish the same
database and index as the local worker pool, failures included. A local Ray with two CPUs stands in
for a cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.ray_figures import published_rows_by_table, same_published_state
from index.embedder import SentenceTransformerEmbedder
from pipeline.ingest_run import IngestOptions, run_ingest
from tests.conftest import REPO

pytestmark = pytest.mark.slow
ray = pytest.importorskip("ray")

DOCUMENTS = {
    "010_harbour.txt": (
        "Findings from the harbour evaluation\n\n"
        "1. Introduction\n\n"
        "The lighthouse keepers were interviewed about the new rota and the boats they crew.\n\n"
        "2. Staffing\n\n"
        "Keepers spoke about cover at night. One keeper said: “We never knew who was on until the "
        "morning, and that made the whole crew nervous about the weather.” (P1S1R01)\n\n"
        "Another added: “The rota settled once the second boat came, but the first winter was hard "
        "on everyone who lived out at the point.” (P1S1R02)\n"
    ),
    "011_orchard.txt": (
        "Orchard co-operative review\n\n"
        "1. Background\n\n"
        "Growers shared the press and the cold store for the first time in the year we studied.\n\n"
        "2. Sharing equipment\n\n"
        "A grower told us: “Booking the press by text message sounded simple, yet the apples would not "
        "wait for anybody’s turn to come round.” (P1S2R03)\n"
    ),
    "012_empty.txt": "",
}


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    yield
    ray.shutdown()


def _ingest(manifest: Path, data: Path, **options) -> None:
    run_ingest(manifest, data, SentenceTransformerEmbedder,
               IngestOptions(show_progress=False, codebook_path=REPO / "themes.yaml", **options))


def test_a_ray_ingest_publishes_what_a_local_ingest_does(tmp_path, write_corpus, local_ray) -> None:
    manifest = write_corpus(DOCUMENTS)
    _ingest(manifest, tmp_path / "local", workers=2)
    _ingest(manifest, tmp_path / "ray", workers=None, executor="ray")

    local = published_rows_by_table(tmp_path / "local")
    assert local["quotes"] and local["embeddings"], "the corpus gave nothing to compare"
    assert [r for r in local["documents"] if "failed" in r], "the empty document should fail in both runs"
    assert same_published_state(tmp_path / "local", tmp_path / "ray") == []


def test_published_states_that_differ_are_told_apart(tmp_path, write_corpus, local_ray) -> None:
    manifest = write_corpus(DOCUMENTS)
    _ingest(manifest, tmp_path / "local", workers=2)
    other = write_corpus({**DOCUMENTS, "011_orchard.txt": DOCUMENTS["011_orchard.txt"].replace("press", "mill")})
    _ingest(other, tmp_path / "other", workers=None, executor="ray")
    assert "table quotes" in same_published_state(tmp_path / "local", tmp_path / "other")
