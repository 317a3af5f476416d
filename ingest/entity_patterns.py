"""Name patterns of the field ("<Place> CCG", "<Name> vanguard", "HM <Name>") as a spaCy Matcher.

The patterns are data (`entity_patterns.yaml`), so a team with another country's bodies
writes its own file instead of code. They run beside the gazetteer's EntityRuler, not in
it, so that the extractor decides overlaps: a pattern wins only where it names an instance
of what the gazetteer matched inside it ("Northumberland CCG" around "CCG").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, LOWER, ORTH
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ingest.config_models import validated
from ingest.errors import ConfigError
from ingest.rule_files import NamePatternEntry, load_rule_file

DEFAULT_PATTERNS = Path(__file__).with_name("entity_patterns.yaml")
PATTERN_LABELS = ("ORG", "PROGRAMME", "POLICY", "PLACE", "ROLE")
_SLOT = re.compile(r"^<([A-Za-z]+)>$")
_NOUN = {"POS": {"IN": ["NOUN", "PROPN"]}}


class EntityPatternError(ConfigError):
    """The name-pattern file cannot be read, is not YAML, or holds a malformed pattern."""


def load_name_patterns(path: Path | None = None) -> list[dict]:
    """Patterns (label, token specs) for every pattern of the file."""
    path = Path(path or DEFAULT_PATTERNS)
    raw = load_rule_file(path, "patterns", "name patterns", EntityPatternError)
    slots = _slots(raw, path)
    return [
        pattern
        for i, entry in enumerate(raw["patterns"])
        for pattern in _ruler_patterns(entry, slots, f"{path}: pattern {i + 1}")
    ]


class NameMatcher:
    """Every pattern's longest matches in a Doc, labelled; where patterns overlap the extractor decides.

    A name never runs across a line break, so each paragraph is matched on its own, and a
    pattern only reads the paragraphs holding the words it cannot match without (the kind of
    body: "Trust", "vanguard", "lead"; of several such words, the one this document prints
    least): a fraction of a long report. Matches come in order of start, end and pattern.
    """

    def __init__(self, vocab: Vocab, patterns: list[dict]):
        self._patterns = [_Pattern.of(vocab, number, pattern) for number, pattern in enumerate(patterns)]

    def __call__(self, doc: Doc, found: Sequence[tuple[int, int, list[tuple]]] = ()) -> list[Span]:
        """The matches in `doc`. `found` holds what `find` found in the pieces of a long text, each
        with the characters whose words it read as `doc` has them (`entity_pieces.Annotated`):
        paragraphs inside those are not matched again."""
        return [Span(doc, start, end, label=label) for start, end, _, label in self._matches(doc, found)]

    def find(self, doc: Doc) -> list[tuple]:
        """The matches in a piece of a long text, by characters, for `entity_pieces.annotate`."""
        return [(doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), number, label)
                for start, end, number, label in self._matches(doc, ())]

    def _matches(self, doc: Doc, found: Sequence[tuple[int, int, list[tuple]]]) -> list[tuple[int, int, int, str]]:
        """(first word, past the last word, pattern number, label) of every match, in order."""
        words = doc.to_array([ORTH, LOWER, IS_SPACE, IDX, LENGTH])
        paragraphs = _Paragraphs.of(doc, words)
        matches = paragraphs.matched_in_pieces(found)
        for pattern in self._patterns:
            for index in pattern.paragraphs(words[:, 1], paragraphs.stops):
                if not paragraphs.read[index]:
                    span = doc[int(paragraphs.starts[index]) : int(paragraphs.stops[index])]
                    matches.extend((match.start, match.end, pattern.number, pattern.label)
                                   for match in pattern.matcher(span, as_spans=True))
        return sorted(matches)


@dataclass(frozen=True)
class _Pattern:
    number: int
    label: str
    matcher: Matcher
    # Each token spec the pattern must match once, as the lower-case words it allows (string keys).
    literals: tuple[np.ndarray, ...]

    @classmethod
    def of(cls, vocab: Vocab, number: int, pattern: dict) -> _Pattern:
        matcher = Matcher(vocab, validate=False)
        matcher.add(pattern["label"], [pattern["pattern"]], greedy="LONGEST")
        literals = tuple(
            np.array([vocab.strings.add(word) for word in spec["LOWER"]["IN"]], dtype=np.uint64)
            for spec in pattern["pattern"]
            if "OP" not in spec and isinstance(spec.get("LOWER"), dict) and "IN" in spec["LOWER"]
        )
        return cls(number, pattern["label"], matcher, literals)

    def paragraphs(self, lower: np.ndarray, stops: np.ndarray) -> np.ndarray:
        """The paragraphs (by index) that hold the pattern's least printed literal word."""
        if not self.literals:
            return np.arange(len(stops))
        places = min((np.flatnonzero(np.isin(lower, words)) for words in self.literals), key=len)
        return np.unique(np.searchsorted(stops, places, side="right"))


@dataclass
class _Paragraphs:
    """The runs of words between line breaks: first and past-the-last word, first and past-the-last
    character, and whether a piece of a long text matched it already."""

    starts: np.ndarray
    stops: np.ndarray
    first_chars: np.ndarray
    stop_chars: np.ndarray
    word_chars: np.ndarray
    read: np.ndarray

    @classmethod
    def of(cls, doc: Doc, words: np.ndarray) -> _Paragraphs:
        space = words[:, 2].astype(bool)
        line_breaks = [key for key in np.unique(words[space, 0]) if "\n" in doc.vocab.strings[int(key)]]
        edges = np.flatnonzero(space & np.isin(words[:, 0], line_breaks))
        starts, stops = np.concatenate([[0], edges + 1]), np.concatenate([edges, [len(doc)]])
        chars = words[:, 3].astype(np.int64)
        # One entry more, read by an empty paragraph at either end; empty ones are never matched.
        first_chars = np.append(chars, 0)[starts]
        stop_chars = np.append(chars + words[:, 4].astype(np.int64), 0)[stops - 1]
        return cls(starts, stops, first_chars, stop_chars, chars, read=stops <= starts)

    def matched_in_pieces(self, found: Sequence[tuple[int, int, list[tuple]]]) -> list[tuple[int, int, int, str]]:
        """The pieces' matches in the paragraphs each read whole, by words; those paragraphs are read."""
        matches = []
        for first, stop, findings in found:
            inside = ~self.read & (self.first_chars >= first) & (self.stop_chars <= stop)
            self.read |= inside
            for start_char, end_char, number, label in findings:
                start = int(np.searchsorted(self.word_chars, start_char))
                if inside[np.searchsorted(self.stops, start, side="right")]:
                    matches.append((start, int(np.searchsorted(self.word_chars, end_char)), number, label))
        return matches


def _slots(raw: dict, path: Path) -> dict[str, list[dict]]:
    slots = raw.get("slots", {})
    if not isinstance(slots, dict) or not all(isinstance(v, list) and v for v in slots.values()):
        raise EntityPatternError(f"{path}: 'slots' must map names to lists of token specs")
    excluded = [str(word).lower() for word in raw.get("not_modifiers", [])]
    if "Modifier" in slots and excluded:
        first, *rest = slots["Modifier"]
        slots["Modifier"] = [{**first, "LOWER": {"NOT_IN": excluded}}, *rest]
    return slots


def _ruler_patterns(entry: object, slots: dict[str, list[dict]], where: str) -> list[dict]:
    """The pattern as token specs; a ROLE pattern is split so that its singular words must be
    nouns ("will lead" is no role) while a plural may carry any tag ("care model leads")."""
    checked = validated(NamePatternEntry, entry, where, EntityPatternError)
    label = checked.label
    if label not in PATTERN_LABELS:
        raise EntityPatternError(f"{where}: label must be one of {', '.join(PATTERN_LABELS)}, got {label!r}")
    words = checked.pattern.split()
    for word in words:
        slot = _SLOT.match(word)
        if slot and slot.group(1) not in slots:
            raise EntityPatternError(f"{where}: unknown slot <{slot.group(1)}>")
    if label != "ROLE":
        return [{"label": label, "pattern": _tokens(words, slots)}]
    last = words[-1].lower().split("|")
    singular = [w for w in last if not w.endswith("s")]
    plural = [w for w in last if w.endswith("s")]
    return [
        {"label": label, "pattern": _tokens([*words[:-1], "|".join(forms)], slots, extra)}
        for forms, extra in ((singular, _NOUN), (plural, {}))
        if forms
    ]


def _tokens(words: list[str], slots: dict[str, list[dict]], last: dict | None = None) -> list[dict]:
    tokens: list[dict] = []
    for word in words:
        slot = _SLOT.match(word)
        if slot:
            tokens.extend(dict(spec) for spec in slots[slot.group(1)])
        else:
            tokens.append({"LOWER": {"IN": [w.lower() for w in word.split("|")]}})
    if last:
        tokens[-1] = {**tokens[-1], **last}
    return tokens
