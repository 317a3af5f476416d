"""A file is replaced whole: a reader sees the old content or the new, and a failed write leaves the old."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.durable import replace_text, replacing


def test_a_finished_write_replaces_the_file(tmp_path: Path):
    path = tmp_path / "table.csv"
    path.write_text("old", encoding="utf-8")
    replace_text(path, "new")
    assert path.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "table.csv"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), replacing(path) as temporary:
        temporary.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")
    assert path.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["table.csv"]
