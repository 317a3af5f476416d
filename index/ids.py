"""Deterministic row ids: the same input gives the same ids, so re-runs are idempotent and exports diff cleanly."""

from __future__ import annotations

import hashlib


def stable_id(*parts: object) -> int:
    """A positive 63-bit integer from the parts; FAISS ids and DuckDB keys share it."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
