"""Evidence for a theme: the quotations that speak to it, ranked, each with respondent, document,
section and page.

Membership is one floor on one probability: a quotation is evidence for a codebook theme when the
codebook's learned coding gives it at least `min_score` (default 0.5), and for free text when its
calibrated cosine does. Only members are ranked, so an off-topic query answers nothing rather than
the k least bad quotations; `matrix`, the report and the web page count the same members.

A codebook theme's vector was embedded at ingest, so asking for one loads no model. Free text
is embedded on the spot (the model loads only then), unless that very text is in the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from pathlib import Path

import duckdb
import numpy as np

from index.embedder import Embedder
from index.ids import text_sha256
from index.review_overlay import has_overlay
from index.themes.corpus import CorpusCache, StoredTheme, ThemeCorpus
from index.themes.ranking import DEFAULT_METHOD, DEFAULT_MIN_SCORE, ThemeQuery, diversify, membership, rank_rows
from ingest.errors import RequestError
from queries.search.known_values import closest, edit_distance, within_typo
from queries.search.quote_filters import QuoteFilter, matching_quote_ids

DEFAULT_RESPONDENT_CAP = 2
CAP_WINDOW = 10
MAX_QUERY_CHARS = 2000
FILTERS_REMEMBERED = 256


class UnknownTheme(RequestError):
    """A codebook or theme the store does not hold, or a theme name found in several codebooks."""


@dataclass(frozen=True)
class ThemeHit:
    """One quotation answering a theme query."""

    rank: int
    score: float
    text: str
    respondent_code: str | None
    phase: int | None
    site: str | None
    national: bool | None
    care_model: str | None
    role: str | None
    org: str | None
    lead_in_role: str | None
    source_kind: str
    doc_id: str
    doc_title: str | None
    section_path: str | None
    page: int | None
    quote_id: int
    # A document quotation's citation, e.g. "(NHS England 2015)"; None for a respondent's words.
    attribution: str | None = None
    # The same words printed elsewhere (its reprint cluster), as "document p. N"; the hit stands for all.
    other_printings: tuple[str, ...] = ()
    probability: float | None = None


_HIT_FIELDS = [f.name for f in dataclass_fields(ThemeHit)]
# The fields of a hit that come from a quotation's display row, in the row's order.
DISPLAY_FIELDS = _HIT_FIELDS[_HIT_FIELDS.index("text"):_HIT_FIELDS.index("quote_id")]


@dataclass(frozen=True)
class ThemeAnswer:
    """The hits, the codebook theme the query resolved to (None for free text), the floor, and how
    many quotations (one per cluster of reprints) reach it under the filters: the count `matrix` gives.
    `notice` says when the words asked were read as a near theme name, or searched as free text."""

    theme: StoredTheme | None
    method: str
    hits: list[ThemeHit]
    notice: str | None = None
    min_score: float = 0.0
    members: int = 0

    @property
    def nothing_above_floor(self) -> bool:
        return not self.hits and self.min_score > 0


def answer_theme(
    con: duckdb.DuckDBPyConnection,
    db_path: Path,
    query: str,
    *,
    codebook: str | None = None,
    k: int = 10,
    method: str = DEFAULT_METHOD,
    where: QuoteFilter | None = None,
    respondent_cap: int | None = DEFAULT_RESPONDENT_CAP,
    embedder_factory: Callable[[], Embedder] | None = None,
    min_score: float = DEFAULT_MIN_SCORE,
    corpora: CorpusCache | None = None,
) -> ThemeAnswer:
    """The k best quotations for a codebook theme (by name) or free text, among those the filter keeps
    whose membership probability reaches `min_score` (0 keeps every quotation). Asked through
    `EvidenceStore.theme` (queries/store.py); `corpora` keeps the theme corpus of `db_path` between calls."""
    if k < 1:
        raise RequestError("k must be at least 1")
    if not 0.0 <= min_score <= 1.0:
        raise RequestError("the floor (min score) is a probability between 0 and 1")
    stored = con.cursor()  # a cursor never sees its connection's review overlay: the generation as stored
    try:
        corpus = (corpora or CorpusCache()).corpus_for(stored, db_path)
    finally:
        stored.close()
    theme, theme_query = resolve_query(con, corpus, query, codebook, embedder_factory)
    probability: np.ndarray | None
    above: np.ndarray | None
    if min_score > 0:
        probability = membership(corpus, theme_query)
        above = probability >= min_score
    else:
        probability, above = _membership_if_known(corpus, theme_query), None
    notice = _notice(corpus, query, theme, codebook)
    if has_overlay(con):
        from queries.reviewing.reviewed_ranking import reviewed_ranking

        chosen, members = reviewed_ranking(con, corpus, theme, theme_query, where, k, method, respondent_cap,
                                           CAP_WINDOW, above)
        hits = [_hit(rank, score, quote_id, shown) for rank, (quote_id, score, shown) in enumerate(chosen, start=1)]
        return ThemeAnswer(theme, method, hits, notice, min_score, members)
    rows = _candidate_rows(con, corpus, where)
    if above is not None:
        rows = rows[above[rows]]
    ranked = diversify(rank_rows(corpus, theme_query, rows, method), corpus, k, respondent_cap, CAP_WINDOW)
    members = len(np.unique(corpus.cluster_ids[rows]))
    return ThemeAnswer(theme, method, _hits(corpus, ranked, probability), notice, min_score, members)


def _notice(corpus: ThemeCorpus, query: str, theme: StoredTheme | None, codebook: str | None) -> str | None:
    """What the reader should know about how the words were read: a near theme name, or free text."""
    text = " ".join(query.split())
    if theme is not None:
        if theme.name.casefold() == text.casefold():
            return None
        return f"read {text!r} as theme {theme.name!r} of codebook {theme.codebook!r}"
    near = closest(text, [t.name for t in corpus.themes if codebook in (None, t.codebook)])
    hint = f" (closest themes: {'; '.join(near)})" if near else ""
    return f"{text!r} is not a codebook theme{hint}: searched as free text"


def _candidate_rows(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, where: QuoteFilter | None) -> np.ndarray:
    """Corpus rows the filter keeps; remembered per filter, since a published generation never changes."""
    if where is None or where.empty:
        return np.arange(len(corpus))
    if where not in corpus.filtered_rows:
        allowed = matching_quote_ids(con, where)
        while len(corpus.filtered_rows) >= FILTERS_REMEMBERED:
            corpus.filtered_rows.pop(next(iter(corpus.filtered_rows)))
        corpus.filtered_rows[where] = np.array(
            sorted(corpus.position[q] for q in allowed if q in corpus.position), dtype=np.int64
        )
    return corpus.filtered_rows[where]


def answer_summary(answer: ThemeAnswer) -> str:
    """How many quotations reach the floor, in words: "nothing above the floor (0.5)" when none does."""
    if answer.min_score <= 0:
        return f"{len(answer.hits)} quotations (no floor)"
    if not answer.members:
        return f"nothing above the floor ({answer.min_score:g})"
    shown = f", showing {len(answer.hits)}" if len(answer.hits) < answer.members else ""
    return f"{answer.members} quotations above the floor ({answer.min_score:g}){shown}"


def resolve_query(
    con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, query: str, codebook: str | None,
    embedder_factory: Callable[[], Embedder] | None,
) -> tuple[StoredTheme | None, ThemeQuery]:
    """A stored codebook theme when the text names one, else free text with a vector for it."""
    text = " ".join(query.split())
    if not text:
        raise RequestError("the theme is empty: give a codebook theme name or some text")
    if len(text) > MAX_QUERY_CHARS:
        raise RequestError(f"the theme text is longer than {MAX_QUERY_CHARS} characters")
    if codebook is not None and not any(t.codebook == codebook for t in corpus.themes):
        known = sorted({t.codebook for t in corpus.themes})
        raise UnknownTheme(f"no codebook {codebook!r} in the store; codebooks: {', '.join(known) or 'none'}")
    found = corpus.themes_named(text, codebook) or _near_themes(corpus, text, codebook)
    if len(found) > 1:
        named = "; ".join(f"{t.name!r} of {t.codebook!r}" for t in found)
        raise UnknownTheme(f"theme {text!r} could be {named}; choose its codebook or give its exact name")
    if found:
        theme = found[0]
        return theme, ThemeQuery.for_theme(theme)
    if codebook is not None:
        names = [t.name for t in corpus.themes if t.codebook == codebook]
        raise UnknownTheme(f"codebook {codebook!r} has no theme {text!r}; its themes: {'; '.join(names)}")
    return None, ThemeQuery(text, _free_text_vector(con, corpus, text, embedder_factory), (text,))


def _near_themes(corpus: ThemeCorpus, text: str, codebook: str | None) -> list[StoredTheme]:
    """The codebook themes whose name `text` is, up to a typo: the nearest, if any is near enough."""
    near = [(edit_distance(text.casefold(), t.name.casefold()), t) for t in corpus.themes
            if codebook in (None, t.codebook) and within_typo(text, t.name)]
    best = min((d for d, _ in near), default=None)
    return [t for d, t in near if d == best]


def _free_text_vector(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, text: str,
                      embedder_factory: Callable[[], Embedder] | None) -> np.ndarray | None:
    if corpus.model is None:
        return None
    row = con.execute(
        "SELECT vector FROM embeddings WHERE model = ? AND text_sha256 = ?", [corpus.model, text_sha256(text)]
    ).fetchone()
    if row is not None:
        return np.asarray(row[0], dtype=np.float32)
    if embedder_factory is None:
        raise RequestError("free-text themes need the embedding model; none was given")
    embedder = embedder_factory()
    if embedder.model_name != corpus.model:
        raise RequestError(f"the store was embedded with {corpus.model}, not {embedder.model_name}")
    return embedder.encode([text])[0]


def _other_printings(corpus: ThemeCorpus, row: int) -> tuple[str, ...]:
    """Where else the quotation of this row is printed: the other members of its reprint cluster."""
    others = np.flatnonzero(corpus.cluster_ids == corpus.cluster_ids[row])
    places = []
    for other in others[others != row]:
        *_, doc_id, _title, _path, page, _attribution = corpus.display[int(corpus.quote_ids[other])]
        places.append(f"{doc_id} p. {page}" if page else doc_id)
    return tuple(places)


def _membership_if_known(corpus: ThemeCorpus, query: ThemeQuery) -> np.ndarray | None:
    """The probabilities for showing beside the hits, when the store has them (no floor asked for)."""
    try:
        return membership(corpus, query)
    except RequestError:  # the store holds no learned coding or calibration for it
        return None


def _hits(corpus: ThemeCorpus, ranked: list[tuple[int, float]], probability: np.ndarray | None) -> list[ThemeHit]:
    hits = []
    for rank, (row, score) in enumerate(ranked, start=1):
        quote_id = int(corpus.quote_ids[row])
        chance = None if probability is None else round(float(probability[row]), 4)
        hits.append(_hit(rank, score, quote_id, corpus.display[quote_id], _other_printings(corpus, row), chance))
    return hits


def _hit(rank: int, score: float, quote_id: int, shown: tuple, other_printings: tuple[str, ...] = (),
         probability: float | None = None) -> ThemeHit:
    """A hit from a quotation's display fields, whose last is its attribution."""
    *fields, attribution = shown
    return ThemeHit(rank=rank, score=score, **dict(zip(DISPLAY_FIELDS, fields, strict=True)), quote_id=quote_id,
                    attribution=attribution, other_printings=other_printings, probability=probability)
