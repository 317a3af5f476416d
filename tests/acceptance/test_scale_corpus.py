"""The synthetic scale corpus the benchmark ingests: deterministic, the size asked for, quotations
with fresh respondent codes that the quote finder reads back, and no passage copied twice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bench.scale_corpus import PHASE, perturb, read_sources, write_scale_corpus
from ingest.quotes import find_quotes
from tests.conftest import require_shared

pytestmark = pytest.mark.corpus

FRESH_CODE = re.compile(rf"^P{PHASE}S\d R\d\d$".replace(" ", ""))


@pytest.fixture(scope="module")
def sources_dir() -> Path:
    return require_shared() / "text"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_writes_the_same_bytes(tmp_path: Path, sources_dir: Path) -> None:
    write_scale_corpus(tmp_path / "a", 4, seed=3, source_dir=sources_dir)
    write_scale_corpus(tmp_path / "b", 4, seed=3, source_dir=sources_dir)
    write_scale_corpus(tmp_path / "c", 4, seed=4, source_dir=sources_dir)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")


def test_writes_n_documents_and_a_manifest_listing_them(tmp_path: Path, sources_dir: Path) -> None:
    manifest = write_scale_corpus(tmp_path, 6, source_dir=sources_dir)
    listed = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    assert len(listed["documents"]) == 6
    assert len({d["id"] for d in listed["documents"]}) == 6
    for entry in listed["documents"]:
        text = (tmp_path / listed["root"] / entry["path"]).read_text(encoding="utf-8")
        assert text.count("\f") == 4  # five pages


def test_quotes_found_in_generated_documents_carry_fresh_codes(tmp_path: Path, sources_dir: Path) -> None:
    write_scale_corpus(tmp_path, 3, source_dir=sources_dir)
    for path in sorted((tmp_path / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        written = set(re.findall(rf"\((P{PHASE}S\dR\d\d)\)", text))
        interview = [q for q in find_quotes(text) if q.attribution and q.attribution.source_kind == "interview"]
        assert interview, path.name
        codes = {q.attribution.code for q in interview}
        assert codes == written
        assert all(FRESH_CODE.match(code) for code in codes)


def test_no_paragraph_is_repeated_across_documents(tmp_path: Path, sources_dir: Path) -> None:
    write_scale_corpus(tmp_path, 5, source_dir=sources_dir)
    paragraphs = [
        block.strip()
        for path in sorted((tmp_path / "docs").glob("*.txt"))
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
        if len(block.strip()) > 200
    ]
    assert len(set(paragraphs)) == len(paragraphs)


def test_perturb_swaps_words_and_keeps_capitals() -> None:
    import random

    assert perturb("Staff said the funding was important.", random.Random(1), rate=1.0) == (
        "Workforce said the money was crucial."
    )


def test_sources_hold_headings_prose_and_interview_quotes(sources_dir: Path) -> None:
    sources = read_sources(sources_dir)
    assert sources.headings and sources.sentences and sources.quotes
    assert not any(re.search(r"\bP\d+S\d+R\d+", q) for q in sources.quotes)


def test_missing_sources_are_reported(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_scale_corpus(tmp_path / "out", 2, source_dir=tmp_path / "nothing")
