"""Score entity extraction against annotated key entities and acronym definitions.

An annotated entity is found when some extracted entity of the annotated documents has
its canonical name or one of its aliases among its names (canonical, stored aliases,
mention surfaces); an acronym definition is found when one extracted entity carries both
the acronym and the long form. Names compare with case and spacing folded. The score is
also given per source, so a reviewer sees what the gazetteer, the documents' definitions,
the name patterns and the statistical model each contribute; run without the gazetteer
it shows what the corpus-independent layers find alone.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from index.published import open_published
from ingest.clean import normalise
from ingest.entities import EntityExtractor
from ingest.records import Mention
from ingest.text_loader import load_text
from queries.evaluation.quotations import AnnotationFileError, MatchCounts

ENTITIES_FILE = "entities.jsonl"
ACRONYMS_FILE = "acronyms.jsonl"
# Characters of the passage shown either side of a sampled mention, enough to judge it.
SAMPLE_CONTEXT_CHARS = 80


@dataclass(frozen=True)
class EntityScores:
    """Entity and acronym-definition recall, with what each source contributed and what was missed."""

    entities: MatchCounts
    acronyms: MatchCounts
    sources: dict[str, int] = field(default_factory=dict)
    missed_entities: list[str] = field(default_factory=list)
    missed_acronyms: list[str] = field(default_factory=list)


def evaluate_entities(eval_dir: Path, corpus_root: Path, use_gazetteer: bool = True) -> EntityScores:
    """Extract entities from the text of every annotated document and score them."""
    gold = _read_jsonl(eval_dir / ENTITIES_FILE)
    acronyms = _read_jsonl(eval_dir / ACRONYMS_FILE)
    documents = sorted({doc for entry in gold for doc in entry.get("docs", {})} | {a["doc"] for a in acronyms})
    extractor = EntityExtractor(use_gazetteer=use_gazetteer)
    mentions = [m for doc in documents for m in extractor.extract(_document_text(corpus_root, doc))]
    names = entity_names(mentions)
    all_names = set().union(*names.values()) if names else set()
    missed = [e["canonical"] for e in gold if not {_fold(n) for n in (e["canonical"], *e["aliases"])} & all_names]
    missed_acronyms = [
        f"{a['acronym']} = {a['long_form']}"
        for a in acronyms
        if not any(_fold(a["acronym"]) in n and _fold(a["long_form"]) in n for n in names.values())
    ]
    sources = Counter(source for (_, _, source) in {(m.canonical, m.label, m.source) for m in mentions})
    return EntityScores(
        entities=MatchCounts(annotated=len(gold), predicted=len(names), matched=len(gold) - len(missed)),
        acronyms=MatchCounts(
            annotated=len(acronyms), predicted=len(acronyms), matched=len(acronyms) - len(missed_acronyms)
        ),
        sources=dict(sorted(sources.items())),
        missed_entities=missed,
        missed_acronyms=missed_acronyms,
    )


def entity_score_rows(eval_dir: Path, corpus_root: Path, use_gazetteer: bool = True) -> list[dict]:
    """The scores as rows for `evidence eval --entities`: recalls, entities per source, what was missed."""
    scores = evaluate_entities(eval_dir, corpus_root, use_gazetteer)
    gazetteer = "with gazetteer" if use_gazetteer else "gazetteer emptied"
    rows = [
        _row(f"entity recall ({gazetteer})", scores.entities.recall, scores.entities, scores.missed_entities),
        _row("acronym-definition recall", scores.acronyms.recall, scores.acronyms, scores.missed_acronyms),
    ]
    rows += [{"score": f"entities from {source}", "value": n, "detail": ""} for source, n in scores.sources.items()]
    return rows


def sample_found_entities(data_dir: Path, size: int, seed: int = 0) -> list[dict]:
    """A reproducible random sample of the stored entities the gazetteer does not know, each
    with one of its mentions in context, for a reviewer to judge precision by hand.

    The same store and seed give the same sample; another seed gives a fresh one.
    """
    con, _ = open_published(data_dir)
    try:
        entities = con.execute(
            "SELECT entity_id, canonical, label, source FROM entities WHERE source <> 'gazetteer' "
            "AND entity_id IN (SELECT entity_id FROM mentions) ORDER BY entity_id"
        ).fetchall()
        rng = random.Random(seed)
        chosen = sorted(rng.sample(entities, min(size, len(entities))), key=lambda e: (e[2], e[1]))
        return [_sampled(con, rng, *entity) for entity in chosen]
    finally:
        con.close()


def _sampled(con, rng: random.Random, entity_id: int, canonical: str, label: str, source: str) -> dict:
    """One sampled entity with a mention picked at random and the passage text around it."""
    mentions = con.execute(
        "SELECT m.doc_id, m.surface, m.char_start, m.char_end, p.text, p.char_start FROM mentions m "
        "LEFT JOIN passages p USING (passage_id) WHERE m.entity_id = ? ORDER BY m.doc_id, m.char_start",
        [entity_id],
    ).fetchall()
    doc_id, surface, start, end, passage, passage_start = rng.choice(mentions)
    context = surface
    if passage is not None:
        before = passage[max(start - passage_start - SAMPLE_CONTEXT_CHARS, 0) : start - passage_start]
        after = passage[end - passage_start : end - passage_start + SAMPLE_CONTEXT_CHARS]
        context = " ".join(f"{before}[{surface}]{after}".split())
    return {"canonical": canonical, "label": label, "source": source, "mentions": len(mentions),
            "doc_id": doc_id, "context": context}


def _row(score: str, value: float, counts: MatchCounts, missed: list[str]) -> dict:
    detail = f"{counts.matched}/{counts.annotated} found" + (f"; missed: {'; '.join(missed)}" if missed else "")
    return {"score": score, "value": round(value, 3), "detail": detail}


def entity_names(mentions: list[Mention]) -> dict[tuple[str, str], set[str]]:
    """Every name each entity is stored with: canonical, printed aliases and mention surfaces, folded."""
    names: dict[tuple[str, str], set[str]] = {}
    for m in mentions:
        entry = names.setdefault((m.canonical, m.label), {_fold(m.canonical)})
        entry.add(_fold(m.surface))
        entry.update(_fold(a) for a in m.aliases)
    return names


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").casefold().split())


def _document_text(corpus_root: Path, document: str) -> str:
    """The normalised text of an annotated document, as ingest stores it."""
    matches = sorted(corpus_root.rglob(document))
    if not matches:
        raise AnnotationFileError(f"annotated document {document} is not under {corpus_root}")
    return normalise(load_text(matches[0])).text


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        raise AnnotationFileError(f"no annotation file {path}")
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line) for line in handle if line.strip()]
    except json.JSONDecodeError as error:
        raise AnnotationFileError(f"{path} is not JSON Lines: {error}") from error
