"""Coded examples a codebook's classifier learns from, gathered from pluggable sources.

A coded example says "this text is (or is not) evidence for this theme". Three kinds exist:
- the codebook's own words: each theme's "name. description" and every example phrase;
- weak labels: quotations a document files below a heading that names the theme (the heading rule);
- a reviewer's codes, confirmed or corrected, from a review store when one exists.

Each kind is an `ExampleSource`: a function from the open store, the loaded corpus and the
codebook's themes to examples. `register_example_source` adds one (a review store registers its
reviewer codes this way), so training never needs to know where codes come from.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import duckdb

from index.ids import text_sha256
from index.themes.corpus import StoredTheme, ThemeCorpus, theme_facet_texts


@dataclass(frozen=True)
class CodedExample:
    """One text coded for one theme: a quotation of the store (quote_id) or a phrase (its text)."""

    theme_id: int
    source: str
    quote_id: int | None = None
    text: str | None = None
    positive: bool = True

    @property
    def key(self) -> str:
        """What identifies the example's text, for the training hash."""
        return f"q{self.quote_id}" if self.quote_id is not None else text_sha256(self.text or "")


ExampleSource = Callable[[duckdb.DuckDBPyConnection, ThemeCorpus, Sequence[StoredTheme]], list[CodedExample]]


def codebook_examples(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus,
                      themes: Sequence[StoredTheme]) -> list[CodedExample]:
    """Each theme's "name. description" and its example phrases (the texts embedded at ingest)."""
    return [CodedExample(theme.theme_id, "codebook", text=text)
            for theme in themes for text in theme_facet_texts(theme.name, theme.description, theme.examples)]


def heading_examples(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, themes: Sequence[StoredTheme],
                     docs: Sequence[str] | None = None) -> list[CodedExample]:
    """Quotations filed below a heading that names a theme (weak labels), in `docs` or every document."""
    wanted = None if docs is None else set(docs)
    under = {theme.theme_id: corpus.heading_matches(theme.heading_phrases) for theme in themes}
    return [CodedExample(theme.theme_id, "heading", quote_id=int(corpus.quote_ids[row]))
            for row, doc_id in enumerate(corpus.doc_ids) if wanted is None or doc_id in wanted
            for theme in themes if under[theme.theme_id][row]]


def reviewer_examples(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus,
                      themes: Sequence[StoredTheme]) -> list[CodedExample]:
    """Codes a reviewer confirmed (coded true) or took away (false), when the connection carries a
    `review_theme_codes` table (quote_id, theme_id, coded) from a review store; none otherwise."""
    if not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'review_theme_codes'").fetchall():
        return []
    wanted = {t.theme_id for t in themes}
    rows = con.execute("SELECT quote_id, theme_id, coded FROM review_theme_codes WHERE theme_id IS NOT NULL").fetchall()
    return [CodedExample(int(theme_id), "review", quote_id=int(quote_id), positive=bool(coded))
            for quote_id, theme_id, coded in rows if theme_id in wanted and quote_id in corpus.position]


EXAMPLE_SOURCES: list[ExampleSource] = [codebook_examples, heading_examples, reviewer_examples]


def register_example_source(source: ExampleSource) -> None:
    """Add a source of coded examples (e.g. reviewer codes) to every later training run."""
    if source not in EXAMPLE_SOURCES:
        EXAMPLE_SOURCES.append(source)


def gather_examples(con: duckdb.DuckDBPyConnection, corpus: ThemeCorpus, themes: Sequence[StoredTheme],
                    sources: Sequence[ExampleSource] | None = None) -> list[CodedExample]:
    """Every example the sources give for these themes, duplicates dropped, in a stable order."""
    found: dict[tuple, CodedExample] = {}
    for source in EXAMPLE_SOURCES if sources is None else sources:
        for example in source(con, corpus, themes):
            found.setdefault((example.theme_id, example.key, example.positive), example)
    return list(found.values())
