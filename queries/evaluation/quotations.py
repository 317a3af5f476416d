"""Score found quotations against hand annotations, paired by the evaluation set's matching rule
(queries/evaluation/matching.py).

Respondents are compared by `respondent_key`: case folded, brackets and punctuation turned into
spaces, whitespace collapsed. Annotations give either a canonical code (`P3S1R03`) or the code
as printed (`Hospital F Consultant 1`); a prediction agrees when its canonical code or its
printed label has the annotation's key, so neither
annotation style is favoured. An annotation without a respondent agrees only with a prediction
without one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.attribution import strip_attribution
from ingest.errors import ConfigError
from ingest.records import Quote
from queries.evaluation.matching import match_quotations

_NOT_A_CODE_CHARACTER = re.compile(r"[^\w]+")


class AnnotationFileError(ConfigError):
    """An annotation file that is not JSON Lines of quotation records."""


@dataclass(frozen=True)
class MatchCounts:
    """Annotated items, predicted items, and how many of them matched one to one."""

    annotated: int
    predicted: int
    matched: int

    @property
    def recall(self) -> float:
        """Share of annotated items found."""
        return self.matched / self.annotated if self.annotated else 1.0

    @property
    def precision(self) -> float:
        """Share of found items that are annotated ones."""
        return self.matched / self.predicted if self.predicted else 1.0


@dataclass(frozen=True)
class QuoteScores(MatchCounts):
    """How well one document's found quotations agree with its annotations."""

    respondent_correct: int = 0
    source_kind_correct: int = 0
    pairs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def respondent_accuracy(self) -> float:
        """Share of matched quotations whose canonical respondent code equals the annotation's."""
        return self.respondent_correct / self.matched if self.matched else 1.0

    @property
    def source_kind_accuracy(self) -> float:
        """Share of matched quotations whose kind of source (interview, document) is right."""
        return self.source_kind_correct / self.matched if self.matched else 1.0


def pooled_quote_scores(scores: list[QuoteScores]) -> QuoteScores:
    """Several documents' counts added together (micro-averaged recall, precision and accuracy)."""
    return QuoteScores(
        annotated=sum(s.annotated for s in scores),
        predicted=sum(s.predicted for s in scores),
        matched=sum(s.matched for s in scores),
        respondent_correct=sum(s.respondent_correct for s in scores),
        source_kind_correct=sum(s.source_kind_correct for s in scores),
    )


def load_annotations(path: Path) -> list[dict]:
    """Read a quotes_<doc>.jsonl annotation file, one record per line, in reading order."""
    records = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise AnnotationFileError(f"{path}, line {number}: not JSON ({error.msg})") from error
        if not isinstance(record, dict) or "text" not in record:
            raise AnnotationFileError(f"{path}, line {number}: a quotation record needs a 'text' field")
        records.append(record)
    return records


def score_quotes(predicted: list[Quote], annotations: list[dict], text: str) -> QuoteScores:
    """Match predictions to annotations and count agreement on respondent and source kind.

    `text` is the document text the predictions point into; an annotation's printed start is
    looked up in it so that a quotation printed twice (two versions of a manuscript) is matched
    to the prediction at the right place.
    """
    pairs = match_quotations(annotations, [(quote.text, quote.char_start, quote.char_end) for quote in predicted], text)
    respondent_correct = sum(
        1 for a, p in pairs if respondent_agrees(predicted[p], annotations[a].get("respondent"))
    )
    kind_correct = sum(
        1 for a, p in pairs if _source_kind(predicted[p]) == annotations[a].get("source_kind")
    )
    return QuoteScores(
        annotated=len(annotations),
        predicted=len(predicted),
        matched=len(pairs),
        respondent_correct=respondent_correct,
        source_kind_correct=kind_correct,
        pairs=pairs,
    )


def respondent_key(code: str | None) -> str:
    """A respondent code as compared: case folded, punctuation and brackets as spaces, spaces collapsed."""
    return _NOT_A_CODE_CHARACTER.sub(" ", (code or "").replace("_", " ")).strip().casefold()


def respondent_agrees(quote: Quote, annotated: str | None) -> bool:
    """Whether the prediction's canonical code or printed label names the annotated respondent."""
    expected = respondent_key(annotated)
    return expected in {respondent_key(name) for name in _respondent_names(quote)}


def _respondent_names(quote: Quote) -> set[str | None]:
    attribution = quote.attribution
    if attribution is None or attribution.source_kind != "interview" or not attribution.code:
        return {None}
    return {attribution.code, strip_attribution(attribution.raw)}


def _source_kind(quote: Quote) -> str:
    return quote.attribution.source_kind if quote.attribution else "other"
