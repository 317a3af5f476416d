"""Acronym definitions read from the text: what counts as "Long Form (ACR)" and what does not."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.acronyms import find_acronym_definitions
from tests.conftest import CORPUS

CORPUS_TEXT = CORPUS / "text"


def only(text: str):
    """The single definition in `text`, checking that its spans point at what it says."""
    definitions = find_acronym_definitions(text)
    assert len(definitions) == 1, definitions
    d = definitions[0]
    assert text[d.long_start : d.long_end] == d.long_form
    assert text[d.acronym_start : d.acronym_end] == d.acronym
    return d


def test_long_form_then_acronym():
    d = only("Care is led by Clinical Commissioning Group (CCG) boards.")
    assert (d.acronym, d.long_form) == ("CCG", "Clinical Commissioning Group")
    assert "Care is led by Clinical Commissioning Group (CCG) boards."[d.char_start : d.char_end] == (
        "Clinical Commissioning Group (CCG)"
    )


def test_acronym_then_long_form():
    d = only("Funding went to PCNs (Primary Care Networks) in 2019.")
    assert (d.acronym, d.long_form) == ("PCNs", "Primary Care Networks")


def test_plural_acronym_has_a_singular():
    d = only("Primary Care Networks (PCNs) were formed.")
    assert (d.acronym, d.singular, d.is_plural) == ("PCNs", "PCN", True)


def test_singular_acronym_is_not_plural():
    d = only("Clinical Commissioning Groups (CCG) areas")
    assert (d.singular, d.is_plural) == ("CCG", False)


def test_small_words_are_skipped_and_leading_ones_left_out():
    d = only("They drew on the Sustainability and Transformation Partnerships (STPs).")
    assert d.long_form == "Sustainability and Transformation Partnerships"


def test_digit_comes_from_a_number_word():
    d = only("Following publication of the Five Year Forward View (5YFV) in 2014")
    assert d.long_form == "Five Year Forward View"


def test_letters_from_inside_a_word():
    assert only("the MultiSpecialty Community Provider (MSCP) model").long_form == "MultiSpecialty Community Provider"
    assert only("through multidisciplinary teams (MDT) working").long_form == "multidisciplinary teams"


def test_spelling_variant_of_a_long_form():
    assert only("new Multispeciality Community Providers (MCPs) emerged").long_form == (
        "Multispeciality Community Providers"
    )


def test_lower_case_long_form():
    assert only("and accountable care organisations (ACOs).").long_form == "accountable care organisations"


def test_citation_after_the_acronym_in_the_same_brackets():
    assert only("The Five Year Forward View (FYFV, NHS England 2014) set out").acronym == "FYFV"


def test_markup_around_the_long_form_is_not_part_of_it():
    d = only("Following publication of the *NHS Five Year Forward View* (5YFV) in 2014")
    assert d.long_form == "Five Year Forward View"


def test_a_final_word_that_adds_no_letter_is_left_out():
    assert only("the Urgent and Emergency Care Vanguard (UEC) sites").long_form == "Urgent and Emergency Care"


def test_long_form_does_not_reach_across_a_sentence_end():
    assert find_acronym_definitions("Care was good. Quality Commission (CQC) visits") == []


@pytest.mark.parametrize(
    "text",
    [
        "as one manager said (P3S1R03)",
        "in Phase 3 (NCM) of the study",
        "the New Care models (Vanguard) programme",
        "or PCNs (PCNs) as they are known",
        "the FYFV (NHSE 2014) backed",
        "Primary Care Networks (PCN",
    ],
)
def test_brackets_that_are_not_definitions(text):
    assert find_acronym_definitions(text) == []


def test_definitions_come_in_reading_order():
    text = "Integrated Care Systems (ICSs) and ICBs (Integrated Care Boards) and Care Quality Commission (CQC)"
    assert [d.acronym for d in find_acronym_definitions(text)] == ["ICSs", "ICBs", "CQC"]


capitalised_word = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True)


@given(st.lists(capitalised_word, min_size=2, max_size=6))
def test_any_capitalised_phrase_defines_its_initials(words):
    acronym = "".join(w[0] for w in words)
    text = f"We spoke to the {' '.join(words)} ({acronym}) twice."
    d = only(text)
    assert d.acronym == acronym
    assert d.long_form.split() == words[-len(d.long_form.split()) :]


# --- the corpus ------------------------------------------------------------------

_BRACKETED = re.compile(r"\(([A-Z][A-Za-z0-9]{1,9}s?)\)")
_GENERIC_SMALL = {"and", "of", "the", "for", "in", "&"}


def _capitalised_definition(text: str, bracket: int, acronym: str) -> list[str] | None:
    """Independent oracle: the capitalised words just before the bracket whose initials spell it."""
    letters = acronym[:-1] if acronym.endswith("s") and acronym[-2:-1].isupper() else acronym
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text[max(0, bracket - 120) : bracket].split("\n")[-1])
    for size in range(2, min(len(words), len(letters) + 4) + 1):
        run = words[-size:]
        content = [w for w in run if w.lower() not in _GENERIC_SMALL]
        capitalised = run[0][0].isupper() and all(w[0].isupper() for w in content)
        if capitalised and "".join(w[0] for w in content) == letters:
            return run
    return None


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    if not CORPUS_TEXT.is_dir():
        pytest.skip(f"corpus not present at {CORPUS_TEXT}")
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(CORPUS_TEXT.glob("*.txt"))}


@pytest.mark.corpus
def test_every_capitalised_definition_in_the_corpus_is_found(corpus_texts):
    checked = 0
    for name, text in corpus_texts.items():
        found = {(d.acronym_start, d.acronym) for d in find_acronym_definitions(text)}
        for match in _BRACKETED.finditer(text):
            words = _capitalised_definition(text, match.start(), match.group(1))
            if words is not None:
                checked += 1
                assert (match.start(1), match.group(1)) in found, f"{name}: {' '.join(words)} ({match.group(1)})"
    assert checked  # the oracle itself must have found the corpus's definitions


@pytest.mark.corpus
def test_corpus_definitions_point_at_their_text(corpus_texts):
    for text in corpus_texts.values():
        for d in find_acronym_definitions(text):
            assert text[d.long_start : d.long_end] == d.long_form
            assert text[d.acronym_start : d.acronym_end] == d.acronym
            assert d.char_start <= min(d.long_start, d.acronym_start)
            assert d.char_end >= max(d.long_end, d.acronym_end)
