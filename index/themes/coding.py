"""Code the corpus against the codebooks at ingest: every quotation scored for every theme.

Run after the passages are embedded. It cuts the quotations into windows, embeds the windows,
the themes' query texts and each theme's facet texts ("name. description" and every example, which
dense ranking uses one vector each) through the embedding cache (so an unchanged corpus embeds nothing),
stores the themes, trains (or reuses) each codebook's classifier, and writes `quote_themes`: one row
per (quotation, theme, method) with the method's score and the quotation's rank for that theme;
the `coded` method's score is the calibrated probability that the quotation is evidence for the theme.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from index.embedder import Embedder, embed_missing
from index.ids import text_sha256
from index.themes.codebook import Codebook, load_codebooks
from index.themes.windows import PieceCounter, rebuild_quote_windows
from index.transactions import insert_arrow, transaction

if TYPE_CHECKING:
    # Coding itself (BM25's stop words pull in scipy) is imported only by a run that codes:
    # an unchanged corpus keeps its stored coding without paying for the import.
    from index.themes.corpus import ThemeCorpus
    from index.themes.learning import Learning


@dataclass(frozen=True)
class ThemeCoding:
    """What coding the corpus did."""

    themes: int
    windows: int
    embedded: int
    assignments: int


def materialise_themes(
    con: duckdb.DuckDBPyConnection, embedder: Embedder, codebook_path: Path,
    count: PieceCounter | None = None, progress: Callable[[int], None] | None = None,
    documents_changed: bool = True,
) -> ThemeCoding:
    """Store quote windows, themes and every quotation's score for every theme (all methods).

    The codebook is read first, so a broken file stops the run before anything changes.
    `count` counts word pieces per text (the model's tokenizer unless a test supplies one);
    `progress` hears how many texts each embedding batch finished. When no document changed and
    the codebooks read as the store already holds them, the stored coding is kept as it is:
    a run that changed nothing costs no coding.
    """
    codebooks = load_codebooks(codebook_path)
    themes = [theme for codebook in codebooks for theme in codebook.themes]
    rows = _theme_rows(codebooks, embedder.model_name)
    if not documents_changed and _stored_theme_rows(con) == sorted(rows):
        return _stored_coding(con, len(themes))
    from index.themes.corpus import theme_facet_texts

    if count is None:
        from ingest.wordpieces import count_pieces

        count = count_pieces
    window_texts = rebuild_quote_windows(con, count)
    theme_texts = {text_sha256(text): text for t in themes
                   for text in (t.query_text, *theme_facet_texts(t.name, t.description, t.examples))}
    embedded = embed_missing(con, embedder, {**window_texts, **theme_texts}, progress=progress)
    _store_themes(con, rows)
    _, assignments = relearn(con)
    return ThemeCoding(themes=len(themes), windows=len(window_texts), embedded=embedded, assignments=assignments)


def load_coding() -> None:
    """Import what coding the corpus runs on (BM25, scipy, the classifier) now, for a run that will
    code and can spare the time while it waits on something else."""
    for module in ("index.themes.corpus", "index.themes.learning", "index.themes.ranking"):
        importlib.import_module(module)


def relearn(con: duckdb.DuckDBPyConnection) -> tuple[list[Learning], int]:
    """Train (or reuse) every codebook's classifier from the coded examples the sources give now, and
    rewrite every quotation's scores; what each codebook learned, and the rows written."""
    from index.themes.corpus import load_theme_corpus
    from index.themes.learning import learn_codebooks

    corpus = load_theme_corpus(con)
    learned, corpus.coded = learn_codebooks(con, corpus)
    return learned, _store_scores(con, corpus)


THEME_COLUMNS = ("theme_id", "codebook", "name", "description", "ordinal", "source", "examples", "headings",
                 "query_text", "query_sha256", "model")


def _theme_rows(codebooks: tuple[Codebook, ...], model: str) -> list[tuple]:
    return [
        (theme.theme_id, codebook.name, theme.name, theme.description, ordinal, codebook.source,
         list(theme.examples), list(theme.headings), theme.query_text, text_sha256(theme.query_text), model)
        for codebook in codebooks
        for ordinal, theme in enumerate(codebook.themes, start=1)
    ]


def _stored_theme_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return sorted(tuple(row) for row in con.execute(f"SELECT {', '.join(THEME_COLUMNS)} FROM themes").fetchall())


def _stored_coding(con: duckdb.DuckDBPyConnection, themes: int) -> ThemeCoding:
    windows, assignments = con.execute(
        "SELECT (SELECT count(*) FROM quote_windows), (SELECT count(*) FROM quote_themes)"
    ).fetchall()[0]
    return ThemeCoding(themes=themes, windows=int(windows), embedded=0, assignments=int(assignments))


def _store_themes(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    with transaction(con):
        con.execute("DELETE FROM quote_themes")
        con.execute("DELETE FROM themes")
        if rows:
            con.executemany(
                f"INSERT INTO themes ({', '.join(THEME_COLUMNS)}) VALUES ({', '.join('?' * len(THEME_COLUMNS))})",
                rows,
            )


def _store_scores(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus) -> int:
    """Rank every quotation for every stored theme by every method; write the rows in one insert.
    A theme without learned coding (a store without quotations, say) has no `coded` rows."""
    from index.themes.ranking import METHODS, ThemeQuery, rank_rows

    columns: dict[str, list] = {"quote_id": [], "theme_id": [], "score": [], "rank": [], "method": []}
    every_row = list(range(len(corpus)))
    for theme in corpus.themes:
        query = ThemeQuery.for_theme(theme)
        for method in (m for m in METHODS if m != "coded" or theme.theme_id in corpus.coded):
            for rank, (row, score) in enumerate(rank_rows(corpus, query, every_row, method), start=1):
                columns["quote_id"].append(int(corpus.quote_ids[row]))
                columns["theme_id"].append(theme.theme_id)
                columns["score"].append(score)
                columns["rank"].append(rank)
                columns["method"].append(method)
    table = pa.table(columns)
    with transaction(con):
        con.execute("DELETE FROM quote_themes")
        insert_arrow(con, "quote_themes", table)
    return table.num_rows
