"""Passages: sentence-aligned chunks inside one section, each short enough for the embedding model."""

from __future__ import annotations

from functools import cache
from itertools import pairwise

import pytest

from ingest.clean import normalise
from ingest.passages import build_passages
from ingest.records import CleanDocument, Passage, Section
from ingest.sections import build_sections
from ingest.text_loader import load_text
from ingest.wordpieces import MAX_TEXT_PIECES, count_pieces
from tests.conftest import SHARED

CORPUS_TEXTS = sorted((SHARED / "corpus" / "text").glob("*.txt")) if SHARED.is_dir() else []

corpus = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS_TEXTS, reason="the shared corpus (../shared/corpus/text) is not present"),
    pytest.mark.parametrize("name", [p.name for p in CORPUS_TEXTS]),
]


def apply(marks):
    def decorate(function):
        for mark in reversed(marks):
            function = mark(function)
        return function

    return decorate


@cache
def parsed(name: str) -> tuple[CleanDocument, list[Section], list[Passage]]:
    doc = normalise(load_text(SHARED / "corpus" / "text" / name))
    sections = build_sections(doc)
    return doc, sections, build_passages(doc, sections)


def one_page(text: str) -> CleanDocument:
    return CleanDocument(text, [0], [1])


# --- the corpus -----------------------------------------------------------------------------


@apply(corpus)
def test_no_corpus_passage_exceeds_what_the_model_reads(name: str) -> None:
    _, _, passages = parsed(name)
    sizes = count_pieces([p.text for p in passages])
    too_long = [(p.ordinal, n) for p, n in zip(passages, sizes) if n > MAX_TEXT_PIECES]
    assert passages
    assert not too_long


@apply(corpus)
def test_corpus_passage_text_is_exactly_its_slice_of_the_document(name: str) -> None:
    doc, _, passages = parsed(name)
    for passage in passages:
        assert doc.text[passage.char_start : passage.char_end] == passage.text


@apply(corpus)
def test_corpus_passages_are_in_order_and_do_not_overlap(name: str) -> None:
    _, _, passages = parsed(name)
    assert [p.ordinal for p in passages] == list(range(len(passages)))
    for before, after in pairwise(passages):
        assert before.char_start < before.char_end <= after.char_start


@apply(corpus)
def test_no_corpus_passage_crosses_a_section_boundary(name: str) -> None:
    doc, sections, passages = parsed(name)
    starts = [s.char_start for s in sections] + [len(doc.text)]
    for passage in passages:
        if passage.section is None:
            low, high = 0, starts[0]
        else:
            section = sections[passage.section]
            heading_end = doc.text.find("\n\n", section.char_start)
            low, high = heading_end + 2, starts[passage.section + 1]
        assert low <= passage.char_start < passage.char_end <= high, (passage.section, passage.text[:60])


@apply(corpus)
def test_corpus_passages_carry_the_page_of_their_start(name: str) -> None:
    doc, _, passages = parsed(name)
    assert all(p.page == doc.page_at(p.char_start) for p in passages)


# --- hand-made documents --------------------------------------------------------------------


def test_a_sentence_longer_than_the_model_reads_is_split_into_windows_that_fit() -> None:
    words = [f"respondent{i % 7} described integration" if i % 3 == 0 else "services" for i in range(600)]
    sentence = " ".join(words) + "."
    text = f"Introduction\n\n{sentence}\n"
    doc = one_page(text)
    passages = build_passages(doc, build_sections(doc))
    assert len(passages) >= 2
    assert all(n <= MAX_TEXT_PIECES for n in count_pieces([p.text for p in passages]))
    assert " ".join(p.text for p in passages) == sentence


def test_an_unbroken_token_longer_than_the_model_reads_is_cut_to_fit() -> None:
    leader = "Introduction" + "." * 400 + " 5"
    doc = one_page(f"Contents\n\n{leader}\n")
    passages = build_passages(doc, build_sections(doc))
    assert passages
    assert max(count_pieces([p.text for p in passages])) <= MAX_TEXT_PIECES


def test_a_section_with_no_body_text_yields_no_passage() -> None:
    text = "Results\n\nOrganisational structure\n\nStructures differed between the sites.\n"
    doc = one_page(text)
    sections = build_sections(doc)
    assert [s.heading for s in sections] == ["Results", "Organisational structure"]
    passages = build_passages(doc, sections)
    assert [(p.section, p.text) for p in passages] == [(1, "Structures differed between the sites.")]


def test_text_before_the_first_heading_is_a_passage_without_section() -> None:
    text = "A report on the vanguards.\n\nIntroduction\n\nThe programme began in 2015.\n"
    doc = one_page(text)
    passages = build_passages(doc, build_sections(doc))
    assert [(p.section, p.text) for p in passages] == [
        (None, "A report on the vanguards."),
        (0, "The programme began in 2015."),
    ]


def test_short_sentences_of_one_section_are_packed_into_one_passage() -> None:
    body = "Staff were stretched. Managers agreed. Funding ended in 2018."
    doc = one_page(f"Introduction\n\n{body}\n")
    assert [p.text for p in build_passages(doc, build_sections(doc))] == [body]


def test_a_document_without_headings_is_split_into_passages_all_the_same() -> None:
    doc = one_page("The programme began in 2015. Fifty sites took part.")
    passages = build_passages(doc, build_sections(doc))
    assert [(p.section, p.text) for p in passages] == [(None, "The programme began in 2015. Fifty sites took part.")]


def test_count_pieces_counts_word_pieces_without_special_markers() -> None:
    assert count_pieces(["the", "the the", ""]) == [1, 2, 0]
    assert count_pieces([]) == []
