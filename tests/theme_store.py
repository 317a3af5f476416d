"""A small published store built by hand for theme tests: two documents, themed sections, quotations
from respondents at two sites, one quotation reprinted in both documents; coded with the hashing
embedder against a two-theme codebook."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from index.embedder import HashingEmbedder
from index.ids import stable_id
from index.schema import migrate
from index.themes.coding import materialise_themes
from queries.search.theme_evidence import ThemeAnswer
from queries.store import EvidenceStore

CODEBOOK = """
codebooks:
  test:
    source: hand-written for tests
    themes:
      - name: dedicated and ongoing resources
        description: funding money staff and budget for the service after the pilot
        examples: ["the funding ran out", "money for nurses"]
      - name: communication
        description: sharing information between teams at meetings and by email
        examples: ["we shared information", "email and meetings"]
"""

# (doc, section heading, respondent code, site, quotation, cluster key or None)
QUOTES = [
    ("a", "Dedicated and ongoing resources", "P1S1R01", "1", "The funding ran out when the pilot ended.", "pilot"),
    ("a", "Dedicated and ongoing resources", "P1S1R01", "1", "Money for nurses stopped and the funding went.", None),
    ("a", "Dedicated and ongoing resources", "P1S1R01", "1", "Funding cuts meant staff left, the money was gone.",
     None),
    ("a", "Dedicated and ongoing resources", "P1S2R01", "2", "The budget and the funding were short every year.",
     None),
    ("a", "Communication", "P1S2R02", "2", "We shared information at meetings and by email.", None),
    ("a", "Communication", "P1S1R02", "1", "Email between the teams was slow, and information got lost.", None),
    ("b", "THEME 5: BUILDING CAPACITY AND RESOURCES", "P1S2R03", "2",
     "The funding ran out when the pilot ended.", "pilot"),
    ("b", "THEME 5: BUILDING CAPACITY AND RESOURCES", None, None, "Funding guidance for the programme.", None),
]


def build_theme_store(root: Path) -> Path:
    """Write the store under root/data (published layout) and return the data folder."""
    data = root / "data"
    generation = data / "generations" / "g1"
    generation.mkdir(parents=True)
    os.symlink("generations/g1", data / "current")
    codebook = root / "themes.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    con = duckdb.connect(str(generation / "evidence.duckdb"))
    try:
        migrate(con)
        _fill(con)
        materialise_themes(con, HashingEmbedder(), codebook, count=_count_words)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return data


def _count_words(texts: list[str]) -> list[int]:
    return [1 for _ in texts]


def _fill(con: duckdb.DuckDBPyConnection) -> None:
    texts: dict[str, str] = {"a": "", "b": ""}
    sections: dict[tuple[str, str], int] = {}
    for ordinal, (doc, heading, code, site, quote, cluster) in enumerate(QUOTES):
        section = sections.get((doc, heading))
        if section is None:
            section = sections[(doc, heading)] = stable_id("section", doc, heading)
            start = len(texts[doc])
            texts[doc] += f"\n\n{heading}\n\n"
            con.execute(
                "INSERT INTO sections VALUES (?, ?, NULL, ?, 2, NULL, ?, ?, 1, 1, ?, ?)",
                [section, doc, len(sections), heading, f"Findings > {heading}", start, start + 1000],
            )
        texts[doc] += "As this respondent said:\n\n"
        start = len(texts[doc])
        texts[doc] += quote + "\n\n"
        quote_id = stable_id("quote", doc, ordinal)
        respondent = stable_id("respondent", "s1", code) if code else None
        facets = json.dumps({"phase": 1, "site": int(site), "number": 1}) if code else None
        con.execute(
            "INSERT INTO quotes (quote_id, doc_id, section_id, ordinal, text, respondent_id, respondent_code, "
            "source_kind, inline, page, char_start, char_end, facets, cluster_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, false, 1, ?, ?, ?, ?)",
            [quote_id, doc, section, ordinal, quote, respondent, code, "interview" if code else "document",
             start, start + len(quote), facets, stable_id("cluster", cluster or quote_id)],
        )
        if code:
            con.execute(
                "INSERT OR IGNORE INTO respondents (respondent_id, study, code, scheme, phase, site, number, n_quotes) "
                "VALUES (?, 's1', ?, 'phase_site_respondent', 1, ?, 1, 1)",
                [respondent, code, site],
            )
    for doc, text in texts.items():
        con.execute(
            "INSERT INTO documents (doc_id, study, title, source_path, text, status) VALUES (?, 's1', ?, ?, ?, 'ok')",
            [doc, f"Report {doc}", f"{doc}.txt", text],
        )
    entity = stable_id("entity", "Enhanced Health in Care Homes", "PROGRAMME")
    con.execute(
        "INSERT INTO entities (entity_id, canonical, label, aliases) "
        "VALUES (?, 'Enhanced Health in Care Homes', 'PROGRAMME', ['EHCH'])",
        [entity],
    )
    first = con.execute("SELECT quote_id, doc_id FROM quotes WHERE ordinal = 1").fetchone()
    con.execute("INSERT INTO mentions VALUES (?, ?, NULL, ?, 0, 4, 'EHCH')", [entity, first[1], first[0]])


def theme_answer(data_dir: Path, query: str, *, embedder_factory=None, **options) -> ThemeAnswer:
    """One theme question asked of a store opened for it alone, as a one-off command asks it."""
    with EvidenceStore(data_dir, embedder_factory=embedder_factory) as store:
        return store.theme(query, **options)
