"""Name patterns of the field ("<Place> CCG", "<Name> vanguard", "HM <Name>") as a spaCy Matcher.

The patterns are data (`entity_patterns.yaml`), so a team with another country's bodies
writes its own file instead of code. They run beside the gazetteer's EntityRuler, not in
it, so that the extractor decides overlaps: a pattern wins only where it names an instance
of what the gazetteer matched inside it ("Northumberland CCG" around "CCG").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, ORTH
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

    def __call__(self, doc: Doc) -> list[Span]:
        words = doc.to_array([ORTH, LOWER, IS_SPACE])
        starts, stops = _paragraphs(doc, words)
        lower = words[:, 1]
        found = []
        for pattern in self._patterns:
            for start, stop in pattern.paragraphs(lower, starts, stops):
                found.extend((span.start, span.end, pattern.number, pattern.label)
                             for span in pattern.matcher(doc[start:stop], as_spans=True))
        return [Span(doc, start, end, label=label) for start, end, _, label in sorted(found)]


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

    def paragraphs(self, lower: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> list[tuple[int, int]]:
        """The paragraphs (token ranges) that hold the pattern's least printed literal word."""
        if not self.literals:
            return list(zip(starts.tolist(), stops.tolist(), strict=True))
        places = min((np.flatnonzero(np.isin(lower, words)) for words in self.literals), key=len)
        held = np.unique(np.searchsorted(stops, places, side="right"))
        return list(zip(starts[held].tolist(), stops[held].tolist(), strict=True))


def _paragraphs(doc: Doc, words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first and past-the-last token of each run of tokens between line breaks."""
    space = words[:, 2].astype(bool)
    line_breaks = [key for key in np.unique(words[space, 0]) if "\n" in doc.vocab.strings[int(key)]]
    edges = np.flatnonzero(space & np.isin(words[:, 0], line_breaks))
    return np.concatenate([[0], edges + 1]), np.concatenate([edges, [len(doc)]])


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
