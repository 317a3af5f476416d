"""Learned theme coding: calibrated membership, one floor everywhere, pluggable coded examples,
the review queue, and the agreement figures of the coding evaluation."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import numpy as np
import pytest
from click.testing import CliRunner

from index.embedder import HashingEmbedder
from index.published import open_published
from index.themes.classifier import TrainingSet, none_of_these, train_classifier
from index.themes.coding import relearn
from index.themes.corpus import StoredTheme
from index.themes.examples import EXAMPLE_SOURCES, CodedExample, register_example_source
from pipeline.cli import main
from queries.evaluation.coding import cohen_kappa, expected_calibration_error, theme_for_name
from queries.reviewing.queue import review_queue
from queries.search.theme_matrix import theme_matrix
from tests.theme_store import build_theme_store, theme_answer

THEMES = ("dedicated and ongoing resources", "communication")


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("coding"))


def _theme(name: str, theme_id: int = 1) -> StoredTheme:
    return StoredTheme(theme_id, "c", name, None, name, (), vector=None)


# --- figures ---------------------------------------------------------------------------------------


def test_kappa_is_one_for_full_agreement_and_zero_for_a_constant_guess():
    assert cohen_kappa([1, 2, 3, 1], [1, 2, 3, 1]) == 1.0
    assert cohen_kappa([1, 2, 1, 2], [1, 1, 1, 1]) == 0.0


def test_calibration_error_is_the_gap_between_probability_and_frequency():
    assert expected_calibration_error(np.array([0.25] * 4), np.array([1, 0, 0, 0])) == pytest.approx(0.0)
    assert expected_calibration_error(np.array([0.9] * 2), np.array([0, 0])) == pytest.approx(0.9)


def test_an_annotated_theme_name_means_the_codebook_theme_whose_words_it_holds():
    themes = [_theme("managing organisational governance structures", 1), _theme("building capacity", 2)]
    assert theme_for_name("managing organisational governance structures across settings", themes).theme_id == 1
    assert theme_for_name("Introduction", themes) is None


# --- the classifier --------------------------------------------------------------------------------


def _clusters(rng: np.random.Generator, per_theme: int) -> TrainingSet:
    centres = np.eye(3, 8)
    features = np.vstack([centres[t] + 0.3 * rng.standard_normal((per_theme, 8)) for t in range(3)])
    labels = np.repeat(np.eye(3, dtype=np.int8), per_theme, axis=0)
    return TrainingSet(features.astype(np.float32), labels, np.ones_like(labels, dtype=bool), "x")


def test_a_classifier_learns_each_theme_from_a_few_examples():
    rng = np.random.default_rng(1)
    classifier = train_classifier("c", (10, 20, 30), _clusters(rng, 8))
    probabilities = classifier.probabilities(np.eye(3, 8))
    assert list(probabilities.argmax(axis=1)) == [0, 1, 2]
    assert (probabilities.max(axis=1) >= 0.5).all()


def test_none_of_these_is_the_chance_that_no_theme_applies():
    assert none_of_these(np.array([[0.1, 0.2], [0.9, 0.0]])) == pytest.approx([0.72, 0.1])


def test_probabilities_from_held_out_scores_are_calibrated_on_fresh_examples():
    rng = np.random.default_rng(2)
    classifier = train_classifier("c", (10, 20, 30), _clusters(rng, 30))
    fresh = _clusters(np.random.default_rng(3), 200)
    p = classifier.probabilities(fresh.features)
    assert expected_calibration_error(p, fresh.labels) <= 0.1


def _sections(rng: np.random.Generator, per_theme: int, quotes: int = 6) -> TrainingSet:
    """Sections spread around their theme's centre, each holding near copies of one point (as the
    quotations of one section read mostly its prose); a section's quotations are one group."""
    centres = 0.6 * np.eye(3, 16)
    rows = [centres[t] + 0.5 * rng.standard_normal(16) + 0.02 * rng.standard_normal((quotes, 16))
            for t in range(3) for _ in range(per_theme)]
    labels = np.repeat(np.eye(3, dtype=np.int8), per_theme * quotes, axis=0)
    groups = np.repeat(np.arange(3 * per_theme), quotes)
    return TrainingSet(np.vstack(rows).astype(np.float32), labels, np.ones_like(labels, dtype=bool), "x", groups)


def test_quotations_of_one_section_are_held_out_together_so_fresh_sections_are_calibrated():
    classifier = train_classifier("c", (10, 20, 30), _sections(np.random.default_rng(0), 6))
    fresh = _sections(np.random.default_rng(100), 100)
    assert expected_calibration_error(classifier.probabilities(fresh.features), fresh.labels) <= 0.15


# --- one floor everywhere --------------------------------------------------------------------------


def test_every_quotation_has_a_probability_for_every_theme(store):
    con, _ = open_published(store)
    try:
        rows = con.execute("SELECT count(*), min(score), max(score), count(DISTINCT theme_id) FROM quote_themes "
                           "WHERE method = 'coded'").fetchone()
        quotes = con.execute("SELECT count(*) FROM quotes").fetchone()[0]
    finally:
        con.close()
    assert rows[0] == quotes * len(THEMES) and 0.0 <= rows[1] <= rows[2] <= 1.0 and rows[3] == len(THEMES)


@pytest.mark.parametrize("floor", [0.3, 0.5, 0.8])
def test_a_theme_answer_holds_as_many_quotations_as_its_matrix_cell(store, floor):
    from queries.search.quote_filters import QuoteFilter

    con, _ = open_published(store)
    try:
        matrix = theme_matrix(con, "test", "site", floor)
    finally:
        con.close()
    for row in matrix.rows:
        for site in [c for c in matrix.columns if c != "(none)"]:
            answer = theme_answer(store, str(row["theme"]), k=100, min_score=floor,
                                    where=QuoteFilter(facets=(("site", site),)))
            assert answer.members == len(answer.hits) == row[site]
            assert all(h.probability >= floor for h in answer.hits)


def test_an_off_topic_free_text_theme_answers_nothing_above_the_floor(store):
    answer = theme_answer(store, "volcanic ash over the harbour lighthouse", embedder_factory=HashingEmbedder)
    assert answer.hits == [] and answer.nothing_above_floor



def test_an_off_topic_filter_answers_nothing_above_the_floor(store):
    done = CliRunner().invoke(main, ["theme", "communication", "--kind", "document", "--data", str(store)])
    assert done.exit_code == 0 and "Nothing above the floor" in done.stdout


def test_floor_zero_lists_the_k_best_whatever_their_relevance(store):
    answer = theme_answer(store, "communication", k=3, min_score=0.0)
    assert len(answer.hits) == 3 and not answer.nothing_above_floor


# --- coded examples and learning -------------------------------------------------------------------


def test_an_unchanged_set_of_examples_reuses_the_classifier_and_a_new_source_retrains(store, tmp_path):
    copy = tmp_path / "evidence.duckdb"
    copy.write_bytes((store / "current" / "evidence.duckdb").read_bytes())
    con = duckdb.connect(str(copy))
    try:
        learned, _ = relearn(con)
        assert learned and not any(item.trained for item in learned)
        quote_id = con.execute("SELECT quote_id FROM quotes WHERE source_kind = 'document'").fetchone()[0]
        theme_id = con.execute("SELECT theme_id FROM themes WHERE name = 'communication'").fetchone()[0]

        def reviewer(con, corpus, themes):
            return [CodedExample(theme_id, "review", quote_id=quote_id)]

        register_example_source(reviewer)
        try:
            learned, _ = relearn(con)
        finally:
            EXAMPLE_SOURCES.remove(reviewer)
        assert all(item.trained for item in learned)
    finally:
        con.close()


def test_a_codebook_of_descriptions_only_still_codes(tmp_path):
    from tests import theme_store

    described = "\n".join(line for line in theme_store.CODEBOOK.splitlines() if "examples:" not in line)
    original = theme_store.CODEBOOK
    theme_store.CODEBOOK = described
    try:
        data = build_theme_store(tmp_path)
    finally:
        theme_store.CODEBOOK = original
    answer = theme_answer(data, "communication", k=50, min_score=0.0)
    assert answer.hits and all(0.0 <= h.probability <= 1.0 for h in answer.hits)


def test_the_review_queue_lists_the_closest_calls_first_once_per_reprint(store):
    con, _ = open_published(store)
    try:
        items = review_queue(con, "test", k=100)
        clusters = con.execute("SELECT count(DISTINCT coalesce(cluster_id, quote_id)) FROM quotes").fetchone()[0]
    finally:
        con.close()
    assert len(items) == clusters
    assert [i.doubt for i in items] == sorted(i.doubt for i in items)
    assert all(i.doubt == pytest.approx(abs(i.closest_probability - 0.5), abs=1e-3) for i in items)
    done = CliRunner().invoke(main, ["review-queue", "--codebook", "nope", "--data", str(store)])
    assert done.exit_code != 0 and "no codebook 'nope'" in done.output


def test_learn_publishes_a_new_generation_with_the_same_coding(store):
    before = theme_answer(store, "communication", k=50, min_score=0.0)
    done = CliRunner().invoke(main, ["learn", "--data", str(store), "--json"])
    assert done.exit_code == 0, done.output
    assert {row["codebook"] for row in json.loads(done.stdout)} == {"test"}
    after = theme_answer(store, "communication", k=50, min_score=0.0)
    assert [(h.quote_id, h.probability) for h in after.hits] == [(h.quote_id, h.probability) for h in before.hits]


def test_a_reviewer_taking_a_code_away_lowers_that_probability(store, tmp_path):
    copy = tmp_path / "evidence.duckdb"
    copy.write_bytes((store / "current" / "evidence.duckdb").read_bytes())
    con = duckdb.connect(str(copy))
    try:
        quote_id, theme_id, before = con.execute(
            "SELECT qt.quote_id, qt.theme_id, qt.score FROM quote_themes qt JOIN themes t USING (theme_id) "
            "WHERE qt.method = 'coded' AND t.name = 'communication' ORDER BY qt.score DESC, qt.quote_id LIMIT 1"
        ).fetchall()[0]
        con.execute("CREATE TEMP TABLE review_theme_codes (quote_id BIGINT, theme_id BIGINT, coded BOOLEAN)")
        con.execute("INSERT INTO review_theme_codes VALUES (?, ?, false)", [quote_id, theme_id])
        learned, _ = relearn(con)
        after = con.execute("SELECT score FROM quote_themes WHERE method = 'coded' AND quote_id = ? AND theme_id = ?",
                            [quote_id, theme_id]).fetchall()[0][0]
    finally:
        con.close()
    assert all(item.trained for item in learned) and after < before


def test_the_coding_evaluation_never_trains_on_the_evaluated_document(store, tmp_path):
    from queries.evaluation.coding import CodingTask, evaluate_coding
    from tests.theme_store import QUOTES

    annotations = tmp_path / "quotes_a.txt.jsonl"
    annotations.write_text("".join(
        json.dumps({"doc": "a.txt", "text": text, "start": text[:20], "theme": heading.lower()}) + "\n"
        for doc, heading, _, _, text, _ in QUOTES if doc == "a"
    ), encoding="utf-8")
    con, _ = open_published(store)
    try:
        rows = evaluate_coding(con, CodingTask("test", annotations, heading_docs=("a",)), curve=(0,))
        phrases = con.execute(
            "SELECT count(*) FROM (SELECT DISTINCT unnest(examples) FROM themes WHERE codebook = 'test')"
        ).fetchone()[0] + len(THEMES)
    finally:
        con.close()
    settings = [r.setting for r in rows]
    assert settings == ["all examples, reprints in training", "all examples, reprints held out",
                        "0 examples per theme, reprints held out"]
    assert rows[0].quotations == sum(1 for doc, *_ in QUOTES if doc == "a")
    # Document a files every quotation under a theme heading, yet only the codebook's texts train.
    assert rows[0].training_examples == rows[1].training_examples == phrases
    assert rows[2].training_examples == len(THEMES)
    assert all(-1.0 <= r.kappa <= 1.0 and 0.0 <= r.ece <= 1.0 for r in rows)
