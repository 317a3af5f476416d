"""Entity and acronym-definition recall against annotations, on a hand-made document."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from queries.evaluation.entities import evaluate_entities
from queries.evaluation.quotations import AnnotationFileError

TEXT = """Findings

The Regional Frailty Taskforce (RFT) met the Wessex Downs CCG twice. The RFT then wrote to NHS England.
"""


def _write(tmp_path: Path, entities: list[dict], acronyms: list[dict]) -> tuple[Path, Path]:
    corpus, annotations = tmp_path / "corpus", tmp_path / "eval"
    corpus.mkdir()
    annotations.mkdir()
    (corpus / "r.txt").write_text(TEXT, encoding="utf-8")
    for name, rows in (("entities.jsonl", entities), ("acronyms.jsonl", acronyms)):
        (annotations / name).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return annotations, corpus


def _entity(canonical: str, *aliases: str) -> dict:
    return {"canonical": canonical, "label": "ORG", "aliases": list(aliases), "docs": {"r.txt": 1}}


def test_found_and_missed_entities_are_counted(tmp_path):
    annotations, corpus = _write(
        tmp_path,
        [_entity("NHS England (NHSE)", "NHS England"), _entity("Wessex Downs CCG"), _entity("Kent County Council")],
        [{"doc": "r.txt", "acronym": "RFT", "long_form": "Regional Frailty Taskforce"}],
    )
    scores = evaluate_entities(annotations, corpus)
    assert (scores.entities.matched, scores.entities.annotated) == (2, 3)
    assert scores.missed_entities == ["Kent County Council"]
    assert scores.acronyms.recall == 1.0


def test_sources_are_counted_per_entity(tmp_path):
    annotations, corpus = _write(tmp_path, [_entity("Wessex Downs CCG")], [])
    sources = evaluate_entities(annotations, corpus).sources
    assert sources["gazetteer"] >= 1 and sources["pattern"] >= 1 and sources["acronym"] == 1


def test_without_the_gazetteer_no_entity_comes_from_it(tmp_path):
    annotations, corpus = _write(tmp_path, [_entity("Wessex Downs CCG")], [])
    assert "gazetteer" not in evaluate_entities(annotations, corpus, use_gazetteer=False).sources


def test_a_missing_annotation_file_is_refused(tmp_path):
    with pytest.raises(AnnotationFileError, match="no annotation file"):
        evaluate_entities(tmp_path, tmp_path)
