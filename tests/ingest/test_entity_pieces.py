"""A long text annotated by spaCy in pieces on two workers is the Doc, and gives the mentions, of
one pass over the whole text."""

from __future__ import annotations

import numpy as np
import pytest
from spacy.attrs import IDX

from ingest.entities import EntityExtractor
from ingest.entity_pieces import ANNOTATIONS, annotate
from pipeline.workers import PoolMapper
from tests.recording_pool import RecordingMapper

PARAGRAPHS = [
    "Clinical Commissioning Groups (CCGs) asked the Morecambe Bay Primary Care Network to lead the "
    "discharge work, and the CCGs paid for two more district nurses.",
    "The practice manager of the Riverside Health Centre said the Five Year Forward View had changed "
    "little; the NHS Long Term Plan, she thought, would change more.",
    "In Leeds and Manchester the integrated care teams met weekly. A senior manager of Leeds City "
    "Council chaired the meetings, and care home staff joined them from the spring.",
    "We knew which patients were going home before they left the ward, said a community matron of "
    "the Northumbria Healthcare NHS Foundation Trust.",
]
# A long report: the paragraphs in turn, each numbered so that no two are the same text.
TEXT = "\n\n".join(f"{n}. {PARAGRAPHS[n % len(PARAGRAPHS)]}" for n in range(60)) + "\n"
PIECE = 1500


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor()


class PiecesOnly:
    """The pipeline, refusing the whole text: the pieces must be joined, not read again in one pass."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp
        self.vocab = nlp.vocab

    def __call__(self, text: str):
        assert len(text) < len(TEXT), "the whole text was read in one pass"
        return self.nlp(text)

    def make_doc(self, text: str):
        return self.nlp.make_doc(text)


def _entities(doc) -> list[tuple]:
    return [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents]


def _annotations(doc) -> np.ndarray:
    return doc.to_array([IDX, *ANNOTATIONS])


def test_pieces_read_on_two_workers_join_into_the_doc_of_one_pass(extractor) -> None:
    nlp = extractor._nlp
    mapper = RecordingMapper(2)

    joined = annotate(PiecesOnly(nlp), TEXT, mapper, piece_chars=PIECE).doc
    joined_entities = _entities(joined)  # before any pass over the whole text in this process
    whole = nlp(TEXT)

    assert mapper.calls and mapper.calls[0] >= len(TEXT) // PIECE - 1
    assert joined.text == TEXT
    assert np.array_equal(_annotations(joined), _annotations(whole))
    assert joined_entities == _entities(whole)


def test_the_name_patterns_matched_in_pieces_are_the_matches_of_one_pass(extractor) -> None:
    matcher = extractor._name_matcher
    annotated = annotate(PiecesOnly(extractor._nlp), TEXT, PoolMapper(2), piece_chars=PIECE, find=matcher.find)

    in_pieces = matcher(annotated.doc, annotated.found)

    assert annotated.found and all(findings for _, _, findings in annotated.found)
    assert [(s.start_char, s.end_char, s.label_) for s in in_pieces] == [
        (s.start_char, s.end_char, s.label_) for s in matcher(extractor._nlp(TEXT))
    ]
    assert {s.text for s in in_pieces} >= {"Leeds City Council", "senior manager"}


def test_a_text_extracted_in_pieces_gives_the_mentions_of_one_pass(monkeypatch) -> None:
    extractor = EntityExtractor()  # fresh: the strings the pieces' workers add are unknown to it
    one_pass = extractor.extract(TEXT)  # shorter than two pieces of the default size
    monkeypatch.setattr("ingest.entity_pieces.PIECE_CHARS", PIECE)

    in_pieces = extractor.extract(TEXT, map_pieces=PoolMapper(2))

    assert in_pieces == one_pass
    assert {m.canonical for m in in_pieces} >= {"Clinical Commissioning Group"}


def test_a_long_text_is_read_in_pieces_in_this_process_without_a_mapper(monkeypatch, extractor) -> None:
    one_pass = extractor.extract(TEXT)
    monkeypatch.setattr("ingest.entity_pieces.PIECE_CHARS", PIECE)
    monkeypatch.setattr(extractor, "_nlp", PiecesOnly(extractor._nlp))

    assert extractor.extract(TEXT) == one_pass


def test_a_short_text_is_read_in_one_pass(extractor) -> None:
    mapper = RecordingMapper(2)

    annotate(extractor._nlp, TEXT, mapper)  # shorter than two pieces of the default size

    assert mapper.calls == []
