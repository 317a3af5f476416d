"""Where in a text a name is not a mention of a policy entity.

A respondent code ("(EHCH-Senior Manager 6, CCG)") labels a speaker, a citation
("(NHS England, 2016)") and a web address point at a source: the role or body words inside them are not
the report talking about that role or body, so no mention is taken from them. A
reference list is full of author names, journals and publishers that a statistical
model reads as organisations; there only names the gazetteer, the name patterns or the
document's own definitions know are kept, since report titles do name real bodies and
programmes. A surname the text cites ("Okonkwo et al", "(Lindqvist 2018)", "Okonkwo T,"
in a reference list) is a person wherever it stands alone, however much it looks like a place.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass

from ingest.attribution import is_recognised, load_schemes, parse_attribution

_BRACKETED = re.compile(r"\(([^()]{2,400})\)|\[([^\[\]\n]{2,120})\]")
# Citations the attribution schemes do not read: several at once, "(Billings et al. 2019, Checkland, 2020)".
_CITATION = re.compile(r"\bet al\b|[A-Z][\w'’-]+,? \(?(?:19|20)\d\d[a-z]?\b")
# An unrecognised speaker label still ends with the speaker's number: "(Hospital C, Consultant 2)".
_NUMBERED_SPEAKER = re.compile(r"^[A-Z][\w .,'’/&-]{0,60}[ -]\d{1,3}$")
_REFERENCE_HEADING = re.compile(
    r"^[ \t#*]*(?:references|bibliography|reference list|works cited|sources)[ \t*:]*$",
    re.IGNORECASE | re.MULTILINE,
)
# A cited surname: "Okonkwo et al", "Okonkwo, Adams et al.", "Lindqvist (2018)", "(Lindqvist 2018".
_CITED_SURNAME = re.compile(r"\b([A-Z][a-z][\w'’-]*),?\s+(?:et al\b|\(?(?:19|20)\d\d[a-z]?\b)")
# An author of a reference-list entry: "Okonkwo T," or "Okonkwo, T.".
_LISTED_AUTHOR = re.compile(r"\b([A-Z][a-z][\w'’-]*)(?: [A-Z]{1,2},|, [A-Z]\.)")
# A web address: "…/policy/WDCCG/reports/…" names a folder, not a body.
_LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>]+")
# What follows a reference list: tables, figures, appendices, another part of the report.
_AFTER_REFERENCES = re.compile(
    r"^[ \t#*]*(?:table|figure|appendix|box|supplementary|abstract|introduction|background)\b",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class MentionScope:
    """Spans of one text that hold no mentions, and spans where only known names count."""

    excluded: tuple[tuple[int, int], ...]
    references: tuple[tuple[int, int], ...]
    authors: frozenset[str] = frozenset()

    @classmethod
    def of(cls, text: str) -> MentionScope:
        """Find respondent codes, citations, reference lists and cited surnames in `text`."""
        references = tuple(_reference_lists(text))
        excluded = _merged([*_labels(text), *((m.start(), m.end()) for m in _LINK.finditer(text))])
        return cls(excluded, references, _cited_surnames(text, references))

    def is_cited_author(self, word: str) -> bool:
        """True when the text cites `word` as an author's surname somewhere."""
        return word in self.authors

    def is_excluded(self, start: int, end: int) -> bool:
        """True when the span lies inside a respondent code, a citation or a web address."""
        return _inside(self.excluded, start, end)

    def in_references(self, start: int, end: int) -> bool:
        """True when the span lies inside a reference list."""
        return _inside(self.references, start, end)


def _labels(text: str) -> list[tuple[int, int]]:
    """Bracketed respondent codes and citations, as their schemes (or a speaker number) recognise them."""
    schemes = load_schemes()
    spans = []
    for match in _BRACKETED.finditer(text):
        label = (match.group(1) or match.group(2)).strip()
        if _NUMBERED_SPEAKER.match(label) or _CITATION.search(label) or is_recognised(
            parse_attribution(label, schemes)
        ):
            spans.append((match.start(), match.end()))
    return spans


def _cited_surnames(text: str, references: tuple[tuple[int, int], ...]) -> frozenset[str]:
    """Surnames in citations anywhere, and authors' surnames of reference-list entries."""
    names = {match.group(1) for match in _CITED_SURNAME.finditer(text)}
    for start, end in references:
        names.update(match.group(1) for match in _LISTED_AUTHOR.finditer(text, start, end))
    return frozenset(names)


def _reference_lists(text: str) -> list[tuple[int, int]]:
    """From each reference heading to the next table, figure or appendix (or the end)."""
    spans: list[tuple[int, int]] = []
    for heading in _REFERENCE_HEADING.finditer(text):
        after = _AFTER_REFERENCES.search(text, heading.end())
        end = after.start() if after else len(text)
        if spans and heading.start() < spans[-1][1]:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((heading.end(), end))
    return spans


def _merged(spans: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Spans sorted, overlapping ones joined, so that `_inside` can search them."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


def _inside(spans: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    """Spans are sorted and do not overlap, so only the last one starting at or before `start` can hold it."""
    index = bisect_right(spans, (start, math.inf)) - 1
    return index >= 0 and spans[index][0] <= start and end <= spans[index][1]
