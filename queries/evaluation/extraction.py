"""Score extraction against annotated answers: quotations and headings, from each rendition of a document.

An annotation file names its document by file name (`000_x.txt`); every file under the
corpus root with the same stem (the text twin, the PDF rendition) is parsed and scored, so
the PDF path is held to the same answers as the text. Annotations of real reports by other
teams sit one folder down (`external/`) and are scored the same way; the pooled line adds
every rendition's counts, so a large document weighs more than a small one.

Scoring can also run with the generic respondent schemes only (`SchemeSet.generic()`): the
gap between the two runs shows how much the study-specific patterns, rather than what the
extractor learns from each document, carry the result.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.attribution import SchemeSet, load_schemes
from ingest.clean import normalise
from ingest.document import load_raw, place_quotes
from ingest.quotes import find_quotes
from ingest.records import Section
from ingest.sections import build_sections
from queries.evaluation.matching import match_headings
from queries.evaluation.quotations import (
    AnnotationFileError,
    MatchCounts,
    QuoteScores,
    load_annotations,
    pooled_quote_scores,
    score_quotes,
)

RENDITION_SUFFIXES = (".txt", ".md", ".pdf")


@dataclass(frozen=True)
class RenditionScores:
    """Scores of one file (a text twin or a PDF rendition) of an annotated document."""

    document: str
    rendition: str
    quotes: QuoteScores | None
    headings: MatchCounts | None


def score_headings(sections: list[Section], annotated: list[str]) -> MatchCounts:
    """Found headings paired with annotated ones by the evaluation set's matching rule."""
    pairs = match_headings(annotated, [s.heading for s in sections])
    return MatchCounts(annotated=len(annotated), predicted=len(sections), matched=len(pairs))


def renditions(corpus_root: Path, document: str) -> list[Path]:
    """Files under the corpus root holding the annotated document, in any supported format."""
    stem = Path(document).stem
    return sorted(p for p in corpus_root.rglob(f"{stem}.*") if p.suffix.lower() in RENDITION_SUFFIXES)


def annotation_folders(eval_dir: Path) -> list[Path]:
    """The annotation folder and its sub-folders (real reports by other teams) that hold answers."""
    folders = [eval_dir, *sorted(p for p in eval_dir.iterdir() if p.is_dir())]
    return [folder for folder in folders if any(folder.glob("quotes_*.jsonl"))]


def evaluate_extraction(
    eval_dir: Path, corpus_root: Path, schemes: SchemeSet | None = None
) -> list[RenditionScores]:
    """Parse every rendition of every annotated document and score it."""
    schemes = schemes or load_schemes()
    results = []
    for folder in annotation_folders(eval_dir):
        for document in sorted({d for p in folder.glob("*.jsonl") if (d := _document_of(p)) is not None}):
            results.extend(_score_document(folder, document, corpus_root, schemes))
    return results


def pooled(results: list[RenditionScores]) -> QuoteScores:
    """Quotation counts of every scored rendition added together."""
    return pooled_quote_scores([r.quotes for r in results if r.quotes])


def _score_document(folder: Path, document: str, corpus_root: Path, schemes: SchemeSet) -> list[RenditionScores]:
    quotes_file = folder / f"quotes_{document}.jsonl"
    sections_file = folder / f"sections_{document}.jsonl"
    annotations = load_annotations(quotes_file) if quotes_file.exists() else None
    headings = _annotated_headings(sections_file) if sections_file.exists() else None
    scored = []
    for path in renditions(corpus_root, document):
        clean = normalise(load_raw(path))
        sections = build_sections(clean)
        quotes = place_quotes(find_quotes(clean.text, schemes, set_off=clean.set_off), clean, sections)
        scored.append(RenditionScores(
            document=Path(document).stem,
            rendition=path.suffix.lstrip(".").lower(),
            quotes=score_quotes(quotes, annotations, clean.text) if annotations else None,
            headings=score_headings(sections, headings) if headings else None,
        ))
    return scored


def _document_of(path: Path) -> str | None:
    match = re.match(r"^(?:quotes|sections)_(.+)\.jsonl$", path.name)
    return match.group(1) if match else None


def _annotated_headings(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8") as handle:
            return [json.loads(line)["heading"] for line in handle if line.strip()]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise AnnotationFileError(f"{path} is not JSON Lines of heading records: {error}") from None
