"""all-MiniLM-L6-v2 in plain numpy, for embedding a few query texts without importing torch.

Importing sentence-transformers (torch, transformers) takes several seconds, which a one-off
`evidence theme "free text"` or `evidence search` would otherwise pay before embedding a
dozen words. This is the same BERT encoder with mean pooling and L2 normalisation, reading the
packaged model's weights straight from `model.safetensors` by memory mapping (nothing is
copied until used) and tokenising with the model's own `tokenizer.json`. Its vectors agree
with sentence-transformers' to about 1e-6 (a test checks), so they are interchangeable with
the cached ones. It runs one text at a time, without padding: meant for queries, not corpora.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ingest.cores import one_blas_thread
from ingest.errors import SetupError
from ingest.wordpieces import model_tokenizer

LAYER_NORM_EPS = 1e-12


class WeightsUnreadable(SetupError):
    """The model folder lacks a readable model.safetensors or config.json."""


def map_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file as a read-only memory-mapped array (float32 only)."""
    try:
        with path.open("rb") as handle:
            header_size = int.from_bytes(handle.read(8), "little")
            header = json.loads(handle.read(header_size))
    except (OSError, ValueError) as error:
        raise WeightsUnreadable(f"cannot read {path}: {error}") from error
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_size)
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        tensors[name] = raw[start:end].view(np.float32).reshape(info["shape"])
    return tensors


def _erf(x: np.ndarray) -> np.ndarray:
    """Error function (Abramowitz and Stegun 7.1.26, error below 1.5e-7): numpy has none."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-x * x))


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * weight + bias


class NumpyMiniLM:
    """Mean-pooled, normalised BERT sentence vectors from a sentence-transformers model folder."""

    def __init__(self, model_dir: Path):
        try:
            config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise WeightsUnreadable(f"cannot read {model_dir / 'config.json'}: {error}") from error
        mapped = map_safetensors(model_dir / "model.safetensors")
        # The word-embedding table is only indexed, so it stays mapped; the rest is copied into
        # aligned memory, where matrix products run at BLAS speed (unaligned maps do not).
        self.weights = {name: tensor if name == "embeddings.word_embeddings.weight" else np.array(tensor)
                        for name, tensor in mapped.items() if not name.startswith("pooler.")}
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.dim = int(config["hidden_size"])
        self.tokenizer = model_tokenizer(model_dir)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        with one_blas_thread():
            for row, encoding in enumerate(self.tokenizer.encode_batch(list(texts))):
                out[row] = self._sentence_vector(np.asarray(encoding.ids, dtype=np.int64))
        return out

    def _dense(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ self.weights[f"{prefix}.weight"].T + self.weights[f"{prefix}.bias"]

    def _norm(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return _layer_norm(x, self.weights[f"{prefix}.LayerNorm.weight"], self.weights[f"{prefix}.LayerNorm.bias"])

    def _sentence_vector(self, ids: np.ndarray) -> np.ndarray:
        w = self.weights
        x = (w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][: len(ids)]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._norm(x, "embeddings")
        head_dim = self.dim // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}"
            q, k, v = (self._dense(x, f"{p}.attention.self.{n}").reshape(len(ids), self.heads, head_dim)
                       .transpose(1, 0, 2) for n in ("query", "key", "value"))
            scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(head_dim))
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            context = (scores / scores.sum(axis=-1, keepdims=True)) @ v
            context = context.transpose(1, 0, 2).reshape(len(ids), self.dim)
            x = self._norm(self._dense(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output")
            hidden = _gelu(self._dense(x, f"{p}.intermediate.dense"))
            x = self._norm(self._dense(hidden, f"{p}.output.dense") + x, f"{p}.output")
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)
