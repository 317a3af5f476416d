"""The FAISS passage index: exact below the size threshold, IVF above it, ids preserved either way,
its kind and settings saved beside it, and `search` the same call for both."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.vector_index import (
    FLAT_KIND,
    IVF_KIND,
    IndexMismatch,
    build_index,
    index_meta,
    ivf_settings,
    read_index,
    read_meta,
    search,
    write_index,
)

DIM = 32


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def _ids(n: int) -> np.ndarray:
    return np.arange(n, dtype=np.int64) * 7 + 1000  # not 0..n-1, so a lost id map would show


def _saved(tmp_path: Path, n: int, approximate_above: int) -> tuple[Path, np.ndarray, np.ndarray]:
    ids, vectors = _ids(n), _vectors(n)
    index = build_index(ids, vectors, DIM, approximate_above=approximate_above)
    write_index(tmp_path, index, index_meta(index, "m"))
    return tmp_path, ids, vectors


def test_small_sets_get_an_exact_index(tmp_path: Path) -> None:
    directory, ids, vectors = _saved(tmp_path, 50, approximate_above=100)
    meta = read_meta(directory)
    assert (meta.kind, meta.count, meta.dim, meta.params) == (FLAT_KIND, 50, DIM, {})
    found = search(directory, vectors[3], 5, "m")
    assert found[0][0] == ids[3]
    assert found[0][1] == pytest.approx(1.0, abs=1e-5)


def test_above_the_threshold_the_index_is_ivf_with_its_settings_saved(tmp_path: Path) -> None:
    directory, _, _ = _saved(tmp_path, 400, approximate_above=100)
    meta = read_meta(directory)
    nlist, nprobe = ivf_settings(400)
    assert meta.kind == IVF_KIND
    assert meta.params == {"nlist": nlist, "nprobe": nprobe}
    assert nlist == 80 and 1 <= nprobe <= nlist
    saved = json.loads((directory / "passages.json").read_text(encoding="utf-8"))
    assert saved["kind"] == IVF_KIND and saved["params"]["nlist"] == nlist


def test_ivf_keeps_ids_and_finds_each_stored_vector(tmp_path: Path) -> None:
    directory, ids, vectors = _saved(tmp_path, 400, approximate_above=100)
    index = read_index(directory)
    import faiss

    assert set(faiss.vector_to_array(index.id_map).tolist()) == set(ids.tolist())
    for row in (0, 17, 399):
        best_id, score = search(directory, vectors[row], 10, "m")[0]
        assert best_id == ids[row]
        assert score == pytest.approx(1.0, abs=1e-5)


def test_ivf_probing_every_cell_agrees_with_exact_search(tmp_path: Path) -> None:
    ids, vectors = _ids(300), _vectors(300, seed=1)
    exact = build_index(ids, vectors, DIM, approximate_above=10_000)
    approximate = build_index(ids, vectors, DIM, approximate_above=10)
    import faiss

    ivf = faiss.extract_index_ivf(approximate)
    ivf.nprobe = ivf.nlist
    queries = _vectors(20, seed=2)
    assert (exact.search(queries, 10)[1] == approximate.search(queries, 10)[1]).all()


def test_ivf_settings_grow_with_the_square_root_of_the_count() -> None:
    assert ivf_settings(10_000)[0] == 400
    assert ivf_settings(1_000_000)[0] == 4000
    for count in (1, 30, 10_000, 1_000_000):
        nlist, nprobe = ivf_settings(count)
        assert 1 <= nprobe <= nlist <= count


def test_meta_without_params_from_an_older_index_still_reads(tmp_path: Path) -> None:
    directory, ids, vectors = _saved(tmp_path, 20, approximate_above=100)
    (directory / "passages.json").write_text(json.dumps({"model": "m", "dim": DIM, "count": 20, "kind": "flat-ip"}))
    assert read_meta(directory).params == {}
    assert search(directory, vectors[0], 1, "m")[0][0] == ids[0]


def test_search_refuses_another_model(tmp_path: Path) -> None:
    directory, _, vectors = _saved(tmp_path, 20, approximate_above=100)
    with pytest.raises(IndexMismatch):
        search(directory, vectors[0], 1, "other-model")
