"""Linking the mentions of one document: one entity per real thing, and no entity from a bare common word.

Three rules run over the candidates every source produced:

- A bare common word ("Vanguard", "Trust", "Board": a one-word name the document also
  writes in lower case; roles aside) names a body or programme only where its context says so:
  capitalised in mid-sentence, or with a longer name of the same entity nearby. A word the
  model or a pattern found on its own needs the longer name.
- "the Department", "the Trust": a capitalised singular head noun after "the" that no
  gazetteer name or definition claims refers back to the last body named with that head
  ("Department of Health", "Newcastle NHS Foundation Trust").
- An acronym of three capitals or more that the document never defines ("NHSE") is the
  entity whose name the document prints and whose initials spell it ("NHS England"), when
  exactly one does.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import replace

from ingest.acronyms import SMALL_WORDS, looks_like_acronym, name_words, singular_acronym
from ingest.entity_names import head_index, singular_word
from ingest.entity_types import Candidate
from ingest.text.sentences import starts_sentence

# How far a longer name of the entity may be from a bare common word that it explains.
CONTEXT_CHARS = 400
_DEFINITE = re.compile(r"\b[Tt]he\s+([A-Z][a-z]{2,})\b(?!\s+(?:[A-Z]|of\b|for\b))")
_ACRONYM_TOKEN = re.compile(r"(?<![\w-])[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?![\w-])")
_FOUND_SOURCES = ("pattern", "ner")
_NOT_REFERRED_TO = ("ROLE", "PLACE")


def link_mentions(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with bare common words checked, definite references and undefined acronyms linked."""
    kept = _in_context(text, sorted(candidates, key=lambda c: c.start))
    kept = _definite_references(text, kept)
    return _undefined_acronyms(text, kept)


def _in_context(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Drop bare common words whose context does not name the body or programme."""
    lower_words = set(re.findall(r"\b[a-z][a-z-]+\b", text))
    longer = [c for c in candidates if " " in text[c.start : c.end].strip()]
    kept = []
    for candidate in candidates:
        surface = text[candidate.start : candidate.end]
        common = surface.isalpha() and not looks_like_acronym(surface) and surface.lower() in lower_words
        named = candidate.entity.source not in _FOUND_SOURCES and _capitalised_mid_sentence(text, candidate.start)
        if not common or candidate.entity.label == "ROLE" or named or _explained(candidate, longer):
            kept.append(candidate)
    return kept


def _explained(candidate: Candidate, longer: list[Candidate]) -> bool:
    """A longer name of the same entity within CONTEXT_CHARS."""
    return any(
        other.entity.canonical == candidate.entity.canonical and abs(other.start - candidate.start) <= CONTEXT_CHARS
        for other in longer
    )


def _capitalised_mid_sentence(text: str, start: int) -> bool:
    return text[start].isupper() and not starts_sentence(text, start)


def _definite_references(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Link "the Department" to the last body named with that head noun before it."""
    by_start = {c.start: c for c in candidates}
    covered = _covered(candidates)
    antecedents = _antecedents_by_head(text, candidates)
    for match in _DEFINITE.finditer(text):
        start, end = match.span(1)
        current = by_start.get(start)
        if start in covered and (current is None or current.end != end or current.entity.source not in _FOUND_SOURCES):
            continue
        head = singular_word(match.group(1)).lower()
        if head != match.group(1).lower():
            continue  # "the Vanguards" are many: no one body is referred to
        ends, named = antecedents.get(head, ((), ()))
        before = bisect_right(ends, start)
        if before:
            by_start[start] = replace(named[before - 1], start=start, end=end)
    return sorted(by_start.values(), key=lambda c: c.start)


def _antecedents_by_head(text: str, candidates: list[Candidate]) -> dict[str, tuple[list[int], list[Candidate]]]:
    """The names of bodies a definite reference may point back to, by head noun, with where each
    ends. Candidates never overlap, so in order of start they are in order of end too."""
    by_head: dict[str, tuple[list[int], list[Candidate]]] = {}
    for candidate in candidates:
        if " " in text[candidate.start : candidate.end] and candidate.entity.label not in _NOT_REFERRED_TO:
            for head in _heads(text, candidate):
                ends, named = by_head.setdefault(head, ([], []))
                ends.append(candidate.end)
                named.append(candidate)
    return by_head


def _heads(text: str, candidate: Candidate) -> set[str]:
    """The head noun of a name and its last word, singular and lower-case."""
    words = text[candidate.start : candidate.end].split()
    return {singular_word(words[head_index(words)]).lower(), singular_word(words[-1]).lower()}


def _undefined_acronyms(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Link acronyms the document never defines to the one named entity whose words spell them."""
    by_start = {c.start: c for c in candidates}
    covered = _covered(candidates)
    named: dict[tuple[str, ...], Candidate] = {}
    for c in candidates:
        surface = text[c.start : c.end]
        if " " in surface and c.entity.label != "ROLE":
            named.setdefault(name_words(surface), c)
    spelling: dict[str, dict[str, Candidate]] = {}  # initials -> the entities whose names they spell
    for words, c in named.items():
        spelling.setdefault(_initials(words), {})[c.entity.canonical] = c
    for match in _ACRONYM_TOKEN.finditer(text):
        acronym, start, end = match.group(), match.start(), match.end()
        current = by_start.get(start)
        replaceable = current is not None and current.end == end and current.entity.source in _FOUND_SOURCES
        if not _long_acronym(acronym) or (start in covered and not replaceable):
            continue
        spelled = spelling.get(_letters(acronym), {})
        meaning = next(iter(spelled.values())) if len(spelled) == 1 else None
        if meaning is not None:
            by_start[start] = replace(meaning, start=start, end=end)
    return sorted(by_start.values(), key=lambda c: c.start)


def _initials(words: tuple[str, ...]) -> str:
    """The initials of a name, an acronym inside it spelled in full: "NHS England" -> "NHSE"."""
    return "".join(w if w.isupper() else w[0].upper() for w in words if w.lower() not in SMALL_WORDS)


def _letters(acronym: str) -> str:
    return singular_acronym(acronym).upper()


def _long_acronym(acronym: str) -> bool:
    """Three capitals or more: two-letter ones ("UK", "DH") spell too many names to guess from."""
    return looks_like_acronym(acronym) and sum(c.isupper() or c.isdigit() for c in acronym) >= 3


def _covered(candidates: list[Candidate]) -> set[int]:
    return {i for c in candidates for i in range(c.start, c.end)}
