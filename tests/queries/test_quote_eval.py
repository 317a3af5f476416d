"""Scoring found quotations against annotations with the evaluation set's matching rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.records import Attribution, Quote
from queries.evaluation.matching import comparable, coverage, match_headings
from queries.evaluation.quotations import AnnotationFileError, load_annotations, pooled_quote_scores, score_quotes
from queries.evaluation.retrieval import match_annotations

TEXT = "Intro. 'We were like our own little bubble'. (P3S1R03) Later: 'We were like our own little bubble'. (P3S1R04)"


def quote(text: str, code: str | None = "P3S1R03", kind: str = "interview", start: int = 0) -> Quote:
    attribution = Attribution(raw=f"({code})", code=code, scheme="x", source_kind=kind)
    return Quote(1, text, start, start + len(text), attribution, inline=True, lead_in_role=None)


def annotation(text: str, respondent: str | None = "P3S1R03", kind: str = "interview", start: str = "") -> dict:
    return {"text": text, "respondent": respondent, "source_kind": kind, "start": start}


def test_comparison_ignores_quotation_marks_space_and_case() -> None:
    assert comparable(" ‘We  were’\n\"Here\" ") == "we were here"


def test_coverage_counts_common_runs_on_both_sides() -> None:
    assert coverage("abcd", "abcdefgh") == (1.0, 0.5)
    assert coverage("", "abc") == (0.0, 0.0)


def test_a_prediction_must_cover_most_of_the_annotation_and_half_of_itself() -> None:
    annotated = [annotation("the quick brown fox jumps over the lazy dog")]
    assert score_quotes([quote("the quick brown fox jumps over the lazy dog.")], annotated, "").matched == 1
    assert score_quotes([quote("the quick brown fox")], annotated, "").matched == 0
    padded = "the quick brown fox jumps over the lazy dog " + "and a great deal more besides " * 3
    assert score_quotes([quote(padded)], annotated, "").matched == 0


def test_each_annotation_and_each_prediction_match_once() -> None:
    annotated = [annotation("we were like our own little bubble")] * 2
    scores = score_quotes([quote("We were like our own little bubble")], annotated, "")
    assert (scores.matched, scores.recall, scores.precision) == (1, 0.5, 1.0)


def test_respondent_and_source_kind_accuracy_on_matched_quotations() -> None:
    annotated = [annotation("alpha beta gamma delta"), annotation("epsilon zeta eta theta", None, "document")]
    predicted = [quote("alpha beta gamma delta", "P3S1R99"), quote("epsilon zeta eta theta", None, "document")]
    scores = score_quotes(predicted, annotated, "")
    assert (scores.respondent_accuracy, scores.source_kind_accuracy) == (0.5, 1.0)


def test_a_quotation_printed_twice_is_matched_at_its_place() -> None:
    text_quote = "We were like our own little bubble"
    first, second = TEXT.find(text_quote), TEXT.rfind(text_quote)
    predicted = [quote(text_quote, "P3S1R03", start=first), quote(text_quote, "P3S1R04", start=second)]
    annotated = [
        annotation(text_quote, "P3S1R03", start=text_quote),
        annotation(text_quote, "P3S1R04", start=text_quote),
    ]
    assert score_quotes(predicted, annotated, TEXT).respondent_accuracy == 1.0


def test_nothing_to_score_counts_as_perfect() -> None:
    scores = score_quotes([], [], "")
    assert (scores.recall, scores.precision, scores.respondent_accuracy) == (1.0, 1.0, 1.0)


def test_load_annotations_reads_json_lines(tmp_path: Path) -> None:
    path = tmp_path / "quotes.jsonl"
    path.write_text(json.dumps(annotation("a b c")) + "\n\n" + json.dumps(annotation("d e f")) + "\n", "utf-8")
    assert [record["text"] for record in load_annotations(path)] == ["a b c", "d e f"]


@pytest.mark.parametrize("line", ["{not json", "[1, 2]", "{\"respondent\": \"P1R01\"}"])
def test_load_annotations_rejects_other_content(tmp_path: Path, line: str) -> None:
    path = tmp_path / "quotes.jsonl"
    path.write_text(line + "\n", "utf-8")
    with pytest.raises(AnnotationFileError, match="line 1"):
        load_annotations(path)


def test_respondents_compare_without_case_brackets_or_punctuation() -> None:
    annotated = [annotation("alpha beta gamma delta", "Ward 3 Nurse 2")]
    printed = Quote(1, "alpha beta gamma delta", 0, 22, Attribution("(ward 3, nurse 2)", "W3N2", "x", "interview"),
                    inline=False, lead_in_role=None)
    assert score_quotes([printed], annotated, "").respondent_accuracy == 1.0


def test_an_unattributed_annotation_agrees_only_with_an_unattributed_prediction() -> None:
    annotated = [annotation("alpha beta gamma delta", None)]
    assert score_quotes([quote("alpha beta gamma delta", None)], annotated, "").respondent_accuracy == 1.0
    assert score_quotes([quote("alpha beta gamma delta", "R7")], annotated, "").respondent_accuracy == 0.0


def test_pooled_scores_add_counts() -> None:
    first = score_quotes([quote("alpha beta gamma delta")], [annotation("alpha beta gamma delta")], "")
    second = score_quotes([], [annotation("epsilon zeta eta theta")], "")
    total = pooled_quote_scores([first, second])
    assert (total.annotated, total.predicted, total.matched, total.recall) == (2, 1, 1, 0.5)


def test_retrieval_pairs_stored_quotations_by_the_same_rule_as_extraction() -> None:
    """A quotation printed twice: both scores pair each annotation with the printing at its place,
    the printed starts looked up in reading order."""
    found = [quote("We were like our own little bubble", "P3S1R04", start=63),
             quote("We were like our own little bubble", start=8)]
    annotated = [annotation("We were like our own little bubble", start="We were"),
                 annotation("we were like our own little bubble.", "P3S1R04", start="We were")]
    stored = [(10 + i, "doc.txt", q.text, q.char_start, q.char_end, TEXT) for i, q in enumerate(found)]
    assert score_quotes(found, annotated, TEXT).pairs == [(0, 1), (1, 0)]
    assert [(annotated.index(a), quote_id - 10) for a, quote_id in match_annotations(annotated, stored)] == [
        (0, 1), (1, 0)]


def test_headings_pair_one_to_one_and_a_wrapped_heading_matches_its_start() -> None:
    found = ["**Findings**", "Funding and  resources for the pilot sites", "FINDINGS"]
    assert match_headings(["findings", "Funding and resources", "Findings", "Methods"], found) == [
        (0, 0), (1, 1), (2, 2)]
