"""Agreement between coders, per theme: Cohen's kappa and percent agreement.

The natural pair here is the automatic coding and a reviewer's: the units are the quotations
the reviewer reviewed (made any decision on); on each, the reviewer's code for a theme is their
last decision on that pair, else the automatic code they saw and left standing; a quotation
they rejected has no theme. Two named reviewers are compared on the quotations both reviewed,
each coding as above. The automatic code is membership in `quote_themes` for the method at its
threshold (the same rule `evidence matrix` counts).

Kappa = (p_o - p_e) / (1 - p_e), with p_o the share of units the coders agree on and p_e the
agreement expected from each coder's own rate of saying yes. When every unit gets the same
code from both (p_e = 1) kappa is undefined and reported as None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from index.published import open_published
from index.review_journal import ReviewError, read_reviews
from index.review_state import ReviewedState, fold_reviews
from queries.search.theme_matrix import DEFAULT_THRESHOLDS

AUTOMATIC = "(automatic)"
REVIEWERS = "(all reviewers)"


@dataclass(frozen=True)
class Agreement:
    """One theme's 2x2 table between two coders and the figures from it."""

    codebook: str
    theme: str
    coder_a: str
    coder_b: str
    units: int
    both_yes: int
    a_only: int
    b_only: int
    both_no: int
    percent_agreement: float | None
    kappa: float | None


def cohen_kappa(both_yes: int, a_only: int, b_only: int, both_no: int) -> tuple[float | None, float | None]:
    """(percent agreement, kappa) from a 2x2 table; None where there are no units or kappa is undefined."""
    n = both_yes + a_only + b_only + both_no
    if n == 0:
        return None, None
    observed = (both_yes + both_no) / n
    a_yes, b_yes = (both_yes + a_only) / n, (both_yes + b_only) / n
    expected = a_yes * b_yes + (1 - a_yes) * (1 - b_yes)
    kappa = None if expected >= 1 else (observed - expected) / (1 - expected)
    return round(100 * observed, 2), None if kappa is None else round(kappa, 4)


def theme_agreement(data_dir: Path, coders: tuple[str, ...] = (), codebook: str | None = None,
                    method: str = "dense", threshold: float | None = None) -> list[Agreement]:
    """Per theme: the automatic coding against all reviewers (no coder named), against one named
    reviewer, or one named reviewer against another."""
    if len(coders) > 2:
        raise ReviewError("name at most two coders")
    if method not in DEFAULT_THRESHOLDS:
        raise ReviewError(f"unknown method {method!r}; choose one of {', '.join(DEFAULT_THRESHOLDS)}")
    threshold = DEFAULT_THRESHOLDS[method] if threshold is None else threshold
    reviews = read_reviews(data_dir)
    known = sorted({r.reviewer for r in reviews})
    for coder in coders:
        if coder not in known:
            raise ReviewError(f"no decisions by {coder!r}; reviewers: {', '.join(known) or 'none yet'}")
    con, _ = open_published(data_dir, reviewed=False)
    try:
        themes = con.execute("SELECT theme_id, codebook, name FROM themes WHERE ? IS NULL OR codebook = ? "
                             "ORDER BY codebook, ordinal, theme_id", [codebook, codebook]).fetchall()
        if not themes:
            raise ReviewError(f"no codebook {codebook!r} in the store" if codebook else "the store holds no themes")
        automatic = _automatic(con, method, threshold)
        names = list(coders) if len(coders) == 2 else [AUTOMATIC, coders[0] if coders else REVIEWERS]
        states = {name: fold_reviews(con, [r for r in reviews if name == REVIEWERS or r.reviewer == name])
                  for name in names if name != AUTOMATIC}
    finally:
        con.close()
    units = set.intersection(*(_reviewed(state) for state in states.values()))
    rows = []
    for theme_id, book, name in themes:
        both_yes = a_only = b_only = both_no = 0
        for quote_id in units:
            a, b = (_code(states.get(n), automatic, quote_id, theme_id, (book, name)) for n in names)
            both_yes += a and b
            a_only += a and not b
            b_only += b and not a
            both_no += not (a or b)
        percent, kappa = cohen_kappa(both_yes, a_only, b_only, both_no)
        rows.append(Agreement(book, name, names[0], names[1], len(units), both_yes, a_only, b_only, both_no,
                              percent, kappa))
    return rows


def _automatic(con: duckdb.DuckDBPyConnection, method: str, threshold: float) -> set[tuple[int, int]]:
    return {(q, t) for q, t in con.execute(
        "SELECT quote_id, theme_id FROM quote_themes WHERE method = ? AND score >= ?", [method, threshold]).fetchall()}


def _reviewed(state: ReviewedState) -> set[int]:
    return {q for q, review in state.quotes.items() if review.decisions}


def _code(state: ReviewedState | None, automatic: set[tuple[int, int]], quote_id: int, theme_id: int,
          theme: tuple[str, str]) -> bool:
    if state is None:
        return (quote_id, theme_id) in automatic
    quote = state.quotes.get(quote_id)
    if quote is None or quote.rejected:
        return False
    if theme in quote.themes:
        return quote.themes[theme]
    return (quote_id, theme_id) in automatic
