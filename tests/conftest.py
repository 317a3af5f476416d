"""Shared fixtures: where the real corpus lives, and small corpora built in a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from index.embedder import HashingEmbedder
from index.published import open_published

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
EVAL = SHARED / "eval"


def require_shared() -> Path:
    """The shared corpus, or a skip saying why the test cannot run."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


def published_rows(data: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of a query on the published database, opened read-only as readers do."""
    con, _ = open_published(data)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


class CountingEmbedder(HashingEmbedder):
    """A hashing embedder that remembers what it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.encoded: list[str] = []

    @property
    def loaded(self) -> bool:
        return bool(self.encoded)

    def encode(self, texts):
        self.encoded.extend(texts)
        return super().encode(texts)


@pytest.fixture
def counting_embedder() -> CountingEmbedder:
    return CountingEmbedder()


@pytest.fixture
def write_corpus(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Write text documents and a manifest listing them; return the manifest path."""

    def write(documents: dict[str, str], extra: str = "") -> Path:
        root = tmp_path / "corpus"
        root.mkdir(exist_ok=True)
        lines = ["root: corpus", "documents:"]
        for name, text in documents.items():
            (root / name).write_text(text, encoding="utf-8")
            doc_id = Path(name).stem
            lines.append(f"  - {{id: {doc_id}, path: {name}, title: 'Report {doc_id}', study: s1}}")
        manifest = tmp_path / "manifest.yaml"
        manifest.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
        return manifest

    return write


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory) -> Path:
    """The default corpus ingested as `make ingest` does it (PDFs, the real model, the shipped
    codebooks), once per test session: the slow tests that need a real store share it."""
    from index.embedder import SentenceTransformerEmbedder
    from pipeline.ingest_run import IngestOptions, run_ingest

    require_shared()
    data = tmp_path_factory.mktemp("corpus") / "data"
    summary = run_ingest(
        REPO / "corpus_manifest.yaml",
        data,
        SentenceTransformerEmbedder,
        IngestOptions(show_progress=False, codebook_path=REPO / "themes.yaml"),
    )
    assert summary.ok, summary.failures
    return data
