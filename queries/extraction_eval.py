"""Score extraction against annotated answers: quotations and headings, from each rendition of a document.

An annotation file names its document by file name (`000_x.txt`); every file under the
corpus root with the same stem (the text twin, the PDF rendition) is parsed and scored, so
the PDF path is held to the same answers as the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.document import parse_document
from ingest.records import Section
from queries.quote_eval import MatchCounts, QuoteScores, load_annotations, score_quotes

RENDITION_SUFFIXES = (".txt", ".md", ".pdf")


@dataclass(frozen=True)
class RenditionScores:
    """Scores of one file (a text twin or a PDF rendition) of an annotated document."""

    document: str
    rendition: str
    quotes: QuoteScores | None
    headings: MatchCounts | None


def heading_key(heading: str) -> str:
    return " ".join(heading.replace("*", "").split()).casefold()


def score_headings(sections: list[Section], annotated: list[str]) -> MatchCounts:
    """A found heading matches an annotated one when it equals it or starts with it (a wrapped heading)."""
    found = [heading_key(s.heading) for s in sections]
    used: set[int] = set()
    for gold in (heading_key(h) for h in annotated):
        for i, candidate in enumerate(found):
            if i not in used and (candidate == gold or candidate.startswith(gold)):
                used.add(i)
                break
    return MatchCounts(annotated=len(annotated), predicted=len(found), matched=len(used))


def renditions(corpus_root: Path, document: str) -> list[Path]:
    """Files under the corpus root holding the annotated document, in any supported format."""
    stem = Path(document).stem
    return sorted(p for p in corpus_root.rglob(f"{stem}.*") if p.suffix.lower() in RENDITION_SUFFIXES)


def evaluate_extraction(eval_dir: Path, corpus_root: Path) -> list[RenditionScores]:
    """Parse every rendition of every annotated document and score it."""
    documents = sorted({_document_of(p) for p in eval_dir.glob("*.jsonl")} - {None})
    results = []
    for document in documents:
        quotes_file = eval_dir / f"quotes_{document}.jsonl"
        sections_file = eval_dir / f"sections_{document}.jsonl"
        annotations = load_annotations(quotes_file) if quotes_file.exists() else None
        headings = _annotated_headings(sections_file) if sections_file.exists() else None
        for path in renditions(corpus_root, document):
            parsed = parse_document(path)
            results.append(RenditionScores(
                document=Path(document).stem,
                rendition=path.suffix.lstrip(".").lower(),
                quotes=score_quotes(parsed.quotes, annotations, parsed.clean.text) if annotations else None,
                headings=score_headings(parsed.sections, headings) if headings else None,
            ))
    return results


def _document_of(path: Path) -> str | None:
    match = re.match(r"^(?:quotes|sections)_(.+)\.jsonl$", path.name)
    return match.group(1) if match else None


def _annotated_headings(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line)["heading"] for line in handle if line.strip()]
