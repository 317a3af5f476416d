"""all-MiniLM-L6-v2 quantised to int8 and run by ONNX Runtime: the ingest embedder.

Built from the packaged weights by `make setup` (index/onnx_export.py): layer-norm outliers
smoothed into the weights, and the MatMuls whose inputs int8 holds worst left in fp32. Its vectors
lie within a cosine of about 0.998 of the fp32 model's (0.997 at worst over the benchmark's
passages), so queries embedded in fp32 (index/minilm_numpy.py) search a corpus embedded with it;
bench/embed_speed.py measures throughput and top-10 overlap.
Tokenising uses the model's own `tokenizer.json`; torch is never imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from ingest.cores import available_cores
from ingest.errors import SetupError
from ingest.wordpieces import model_tokenizer


class Int8ModelMissing(SetupError):
    """The int8 model file has not been built (`make setup` builds it)."""


class OnnxMiniLM:
    """Normalised sentence vectors from the int8 ONNX encoder."""

    dim = 384

    def __init__(self, onnx_path: Path, model_dir: Path, threads: int | None = None):
        if not onnx_path.is_file():
            raise Int8ModelMissing(f"no int8 model at {onnx_path}; `make setup` builds it")
        import onnxruntime as ort

        # One thread per text, `threads` texts at a time: the matrices of one text are too small to
        # share between threads, which wait on each other at every operation (on a busy machine,
        # 2.6 times slower than texts side by side).
        self.threads = threads or available_cores()
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.tokenizer = model_tokenizer(model_dir)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One L2-normalised float32 row per text, in the order given.

        One text per run: int8 activations are scaled by the largest value in the batch, so a
        text's vector would depend on the texts (and padding) beside it. Alone, the same text
        always gets the same vector, whatever else is embedded, wherever, in whichever order;
        with no padding to compute it is no slower (bench/embed_speed.py).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        with ThreadPoolExecutor(self.threads) as pool:
            for row, vector in enumerate(pool.map(self._vector, encodings)):
                out[row] = vector
        return out

    def _vector(self, encoding) -> np.ndarray:
        ids = np.asarray([encoding.ids], dtype=np.int64)
        return self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
