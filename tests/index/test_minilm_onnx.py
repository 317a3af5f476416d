"""The int8 ONNX all-MiniLM-L6-v2 that ingest embeds with: near the fp32 vectors, one vector per
text whatever is embedded beside it, chosen by default once built, and a precise error when absent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.embedder import SentenceTransformerEmbedder, int8_model_built
from index.minilm_numpy import NumpyMiniLM
from index.minilm_onnx import Int8ModelMissing, OnnxMiniLM
from index.onnx_export import _kept_fp32, default_onnx_dir
from ingest.wordpieces import default_model_dir

TEXTS = [
    "funding for care homes after the pilot ended",
    "Residents said the visiting nurse knew them by name.",
    "“We were all learning as we went along, to be honest”, a manager told us.",
    "The trust's board met monthly to review the new model of care. " * 30,  # past 256 word pieces
    "x",
    "Staff turnover made it hard to keep the weekly huddles going.",
]

needs_int8 = pytest.mark.skipif(not int8_model_built(), reason="the int8 model is not built (`make setup`)")


@pytest.fixture(scope="module")
def int8() -> OnnxMiniLM:
    return OnnxMiniLM(default_onnx_dir() / "model.onnx", default_model_dir())


@needs_int8
def test_int8_vectors_lie_close_to_the_fp32_ones(int8: OnnxMiniLM) -> None:
    ours = int8.encode(TEXTS)
    reference = NumpyMiniLM(default_model_dir()).encode(TEXTS)
    assert ours.dtype == np.float32 and ours.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * reference).sum(axis=1).min() > 0.99


@needs_int8
def test_a_text_gets_the_same_vector_whatever_is_embedded_beside_it(int8: OnnxMiniLM) -> None:
    together = int8.encode(TEXTS)
    alone = np.vstack([int8.encode([text]) for text in TEXTS])
    reversed_order = int8.encode(TEXTS[::-1])[::-1]
    assert np.array_equal(together, alone)
    assert np.array_equal(together, reversed_order)


@needs_int8
def test_the_embedder_batches_with_int8_once_it_is_built() -> None:
    embedder = SentenceTransformerEmbedder()
    vectors = embedder.encode(TEXTS)
    assert embedder.precision == "int8" and isinstance(embedder._model, OnnxMiniLM)
    assert vectors.shape == (len(TEXTS), 384)


def test_a_missing_int8_model_is_reported(tmp_path: Path) -> None:
    with pytest.raises(Int8ModelMissing, match="make setup"):
        OnnxMiniLM(tmp_path / "model.onnx", default_model_dir())


def test_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="precision"):
        SentenceTransformerEmbedder(precision="fp16")


def test_the_build_keeps_the_lower_feed_forward_outputs_in_fp32() -> None:
    names = [f"/bert/encoder/layer.{layer}/{part}/MatMul" for layer in range(6)
             for part in ("attention/output/dense", "intermediate/dense", "output/dense")]
    kept = _kept_fp32(names, layers=6)
    assert kept == [f"/bert/encoder/layer.{layer}/output/dense/MatMul" for layer in range(4)]
