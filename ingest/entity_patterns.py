"""Name patterns of the field ("<Place> CCG", "<Name> vanguard", "HM <Name>") as a spaCy Matcher.

The patterns are data (`entity_patterns.yaml`), so a team with another country's bodies
writes its own file instead of code. They run beside the gazetteer's EntityRuler, not in
it, so that the extractor decides overlaps: a pattern wins only where it names an instance
of what the gazetteer matched inside it ("Northumberland CCG" around "CCG").
"""

from __future__ import annotations

import re
from pathlib import Path

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


def build_name_matcher(vocab: Vocab, patterns: list[dict]) -> Matcher:
    """One Matcher for all patterns; each pattern keeps its own longest matches, keyed "LABEL#n"."""
    matcher = Matcher(vocab, validate=False)
    for i, pattern in enumerate(patterns):
        matcher.add(f"{pattern['label']}#{i}", [pattern["pattern"]], greedy="LONGEST")
    return matcher


def name_spans(matcher: Matcher, doc: Doc) -> list[Span]:
    """Every pattern's longest matches, labelled; where patterns overlap the extractor decides."""
    return [Span(doc, span.start, span.end, label=span.label_.split("#")[0]) for span in matcher(doc, as_spans=True)]


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
