"""The bit-vector edit distance agrees with the textbook table on every pair of strings tried."""

from __future__ import annotations

import random

import pytest

from queries.search.known_values import edit_distance


def table_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("", "", 0), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("flaw", "lawn", 2),
    ("Leadership", "leadership", 1), ("P3S3R01", "P3S3R10", 2), ("ééa", "éa", 1),
])
def test_known_distances(a: str, b: str, expected: int) -> None:
    assert edit_distance(a, b) == expected


def test_agrees_with_the_table_on_random_strings() -> None:
    rng = random.Random(3)
    for _ in range(3000):
        a = "".join(rng.choice("abc d") for _ in range(rng.randint(0, 14)))
        b = "".join(rng.choice("abc d") for _ in range(rng.randint(0, 14)))
        assert edit_distance(a, b) == table_distance(a, b) == edit_distance(b, a)


def test_long_strings() -> None:
    rng = random.Random(5)
    for _ in range(50):
        a = "".join(rng.choice("abcdefgh") for _ in range(rng.randint(60, 140)))
        b = "".join(rng.choice("abcdefgh") for _ in range(rng.randint(60, 140)))
        assert edit_distance(a, b) == table_distance(a, b)
