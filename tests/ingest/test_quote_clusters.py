"""Clustering the same quotation printed in several places."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from ingest.clean import normalise
from ingest.quote_clusters import cluster_quotes, normalise_for_clustering
from ingest.quotes import find_quotes
from ingest.text_loader import load_text
from queries.evaluation.quotations import load_annotations
from tests.conftest import SHARED

REPORT = (
    "The actual work of the Enhanced Health in Care Homes programme. Obviously, it suffered from the "
    "reduction in the sort of seed funding that the Vanguard provided, and it was difficult then to "
    "mainstream in the context of austerity as well."
)
ARTICLE = (
    "The actual work of the Enhanced Health in Care ... Obviously, it suffered from the reduction in the "
    "sort of seed funding that the [Vanguard] provided, and it was difficult then to mainstream."
)


def test_a_shortened_and_edited_reprint_joins_its_original() -> None:
    clusters = cluster_quotes([("report:12", REPORT), ("article:3", ARTICLE)])
    assert clusters == {"report:12": "article:3", "article:3": "article:3"}


def test_different_quotations_stay_apart() -> None:
    other = "We had two acute trusts and the pressures in each acute trust are very different, and they conflict."
    clusters = cluster_quotes([("a", REPORT), ("b", other)])
    assert clusters == {"a": "a", "b": "b"}


def test_short_common_phrases_do_not_link_quotations() -> None:
    first = "It was a bit of a dream come true really"
    second = "I suppose it was a bit of a sweetener because the practices said it was not viable."
    assert len(set(cluster_quotes([("a", first), ("b", second)]).values())) == 2


def test_cluster_ids_do_not_depend_on_input_order() -> None:
    items = [("q3", REPORT), ("q1", ARTICLE), ("q2", REPORT.upper())]
    assert cluster_quotes(items) == cluster_quotes(list(reversed(items))) == {"q1": "q1", "q2": "q1", "q3": "q1"}


def test_normalisation_drops_editorial_marks() -> None:
    assert normalise_for_clustering("The CCG [Clinical Commissioning Group] are ... ‘topping’ up!") == (
        "the ccg are topping up"
    )


def test_ten_thousand_quotations_keep_their_reprints_together() -> None:
    rnd = random.Random(7)
    vocabulary = [f"w{i}" for i in range(5000)]
    items = [(f"q{i:05d}", " ".join(rnd.choices(vocabulary, k=rnd.randint(15, 120)))) for i in range(10_000)]
    items += [(f"r{i:05d}", items[i][1][: len(items[i][1]) * 2 // 3]) for i in range(0, 1000, 10)]
    clusters = cluster_quotes(items)
    assert all(clusters[f"r{i:05d}"] == f"q{i:05d}" for i in range(0, 1000, 10))
    assert len(set(clusters.values())) == 10_000


ANNOTATION_FILES = sorted((SHARED / "eval").glob("quotes_*.jsonl"))


@pytest.mark.corpus
@pytest.mark.parametrize("annotations", ANNOTATION_FILES, ids=lambda path: path.stem)
def test_found_quotations_are_reprinted_as_often_as_the_annotated_ones(annotations: Path) -> None:
    """A document's reprints (a quotation printed twice, say in two versions of one manuscript) form
    clusters of the sizes its annotated quotations form, and no more."""
    expected = load_annotations(annotations)
    text = normalise(load_text(SHARED / "corpus" / "text" / expected[0]["doc"])).text
    found = cluster_quotes([(str(q.ordinal), q.text) for q in find_quotes(text)])
    annotated = cluster_quotes([(str(record["n"]), record["text"]) for record in expected])
    assert Counter(Counter(found.values()).values()) == Counter(Counter(annotated.values()).values())
