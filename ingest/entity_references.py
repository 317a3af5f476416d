"""Titles of documents in a reference list, when a body is their author.

Grey literature is cited "Body. Title. Publisher, year" ("NHS England. Next steps on the
NHS Five Year Forward View. 2017"). When the author is an organisation the document
already names, the title that follows is the name of a policy document of that body,
however it is capitalised ("The forward view into action"). Author names and journal
articles give nothing: their author is no known organisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ingest.entity_names import title_case
from ingest.entity_types import Candidate, Entity
from ingest.text.whitespace import collapse_spaces

# The list marker of an entry: "12.", "[3]", "- ", "•".
_ENTRY_START = re.compile(r"^[ \t]*(?:[-*•]|\d{1,3}[.)]|\[\d{1,3}\])?[ \t]*", re.MULTILINE)
# After the author: a full stop, then the title up to the next full stop, colon, markup or link.
_TITLE = re.compile(r"\*?\.\s+\*?([A-Za-z][^.:*<\n]{3,200}?)(?=\s*(?:[.:*<\n]|\?|$))")
_MIN_WORDS, _MAX_WORDS = 2, 20
# Where people's names end and a work's title begins: "et al.", a year "(2020).", an initial "K.".
_AFTER_PERSONS = re.compile(r"(?:\bet al\.|\(\s*(?:19|20)\d\d[a-z]?\s*\)\.|\b[A-Z]\.)[\s\"'“‘*]*$")


def reference_titles(text: str, references: Iterable[tuple[int, int]], candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with each titled document of an organisation in the reference lists added."""
    by_start = {c.start: c for c in candidates}
    titles: list[Candidate | None] = []
    for start, end in references:
        for entry in _ENTRY_START.finditer(text, start, end):
            author = by_start.get(entry.end())
            if author is None or author.entity.label != "ORG":
                continue
            title = _TITLE.match(text, author.end)
            if title and _MIN_WORDS <= len(title.group(1).split()) <= _MAX_WORDS:
                titles.append(_title_candidate(title.group(1), title.start(1), candidates))
    found = [t for t in titles if t is not None]
    if not found:
        return candidates
    inside = {i for t in found for i in range(t.start, t.end)}
    return sorted([*found, *(c for c in candidates if c.start not in inside)], key=lambda c: c.start)


def opens_cited_title(text: str, start: int) -> bool:
    """True when `start` is the first word of a work's title after its people authors
    ("Okafor B, Lind M, et al. Reshaping ..."): what a name pattern finds there is the
    work's title, not a body or programme. A title after a body ("HM Treasury. Spending well
    in the regions") is a document of that body, which `reference_titles` names."""
    return _AFTER_PERSONS.search(text, max(0, start - 12), start) is not None


def _title_candidate(title: str, start: int, candidates: list[Candidate]) -> Candidate | None:
    """A POLICY entity named by the title, unless a name the document knows already names the
    document: one that opens the title ("Evaluation strategy for ...") or covers most of it
    ("The NHS Long Term Plan")."""
    title = title.rstrip()
    end = start + len(title)
    inner = [c for c in candidates if start <= c.start and c.end <= end and c.entity.source != "ner"]
    if any(c.start == start for c in inner) or 2 * sum(c.end - c.start for c in inner) >= len(title):
        return None
    return Candidate(start, end, Entity(title_case(collapse_spaces(title)), "POLICY", (title,), source="pattern"), 2)
