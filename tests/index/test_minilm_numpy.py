"""The numpy copy of all-MiniLM-L6-v2 that embeds queries: the same vectors as sentence-transformers,
truncation at the model's limit, and no torch imported on the way."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embedder import QUERY_TEXTS, SentenceTransformerEmbedder
from index.minilm_numpy import NumpyMiniLM, WeightsUnreadable, map_safetensors
from ingest.wordpieces import default_model_dir
from tests.conftest import REPO

TEXTS = [
    "funding for care homes after the pilot ended",
    "x",
    "“It was a bit of a dream come true really”. (P3S5R04)",
    "The Vanguard programme tested new care models in care homes. " * 40,  # past 256 word pieces
]


@pytest.mark.slow
def test_vectors_match_sentence_transformers() -> None:
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(str(default_model_dir()), device="cpu").encode(
        TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    ours = NumpyMiniLM(default_model_dir()).encode(TEXTS)
    assert ours.dtype == np.float32 and ours.shape == (len(TEXTS), 384)
    assert np.abs(ours - reference).max() < 1e-5


def test_query_vectors_are_unit_length_and_deterministic() -> None:
    model = NumpyMiniLM(default_model_dir())
    first, again = model.encode(TEXTS), model.encode(TEXTS)
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-5)


def test_a_query_embeds_without_importing_torch() -> None:
    script = (
        "import sys\n"
        "from index.embedder import SentenceTransformerEmbedder\n"
        "e = SentenceTransformerEmbedder()\n"
        "v = e.encode(['leadership continuity'])\n"
        "assert v.shape == (1, 384) and e.loaded\n"
        "print([m for m in ('torch', 'sentence_transformers', 'transformers') if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_only_a_few_texts_take_the_numpy_path() -> None:
    embedder = SentenceTransformerEmbedder()
    embedder.encode(TEXTS[:QUERY_TEXTS])
    assert embedder._query_model is not None and embedder._model is None


def test_unreadable_weights_are_reported(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{bad")
    with pytest.raises(WeightsUnreadable):
        map_safetensors(tmp_path / "model.safetensors")
    with pytest.raises(WeightsUnreadable):
        NumpyMiniLM(tmp_path)
