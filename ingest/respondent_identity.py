"""The part of a printed attribution that identifies the speaker, apart from what it says of them.

Reports sign quotations with the speaker and what they know of them: `(ECT-14, secondary, Site D)`,
`— Consultant geriatrician (S01)`, `(Harold, 79, Millgate)`, `— Glenys Powell, home help, Aberdare`,
`— Dee, prisoner 1986–87 (SR/OH/011)`. A respondent is one person within a study, so the code is
the part naming the person, and every quotation they gave gathers under it even where one signature
adds a detail another leaves out; the other parts describe them and are read as facets. The printed
label stays as it is, in the quotation's attribution.

The person is named by a code of letters and digits opening the label (`ECT-14`, `P07 private
renter`), unless another part is a code of the same shape (`QA6, QA7`: two speakers); by such a code
in brackets after a role (`Consultant geriatrician (S01)`) or closing the label (`GP, Practice C,
GP03`); by a role numbered to tell its holders apart (`Staff 14, call handler`), unless another part
is numbered so too; or by a name opening the label: a pseudonym the document gives with an age or a
role in its signatures, or a name it writes as one in its prose, before a description in lower case,
an age, or a reference (`Glenys Powell, home help`, `Marcus Bell (SR/OH/014, 00:08:15)`, `REHEMA
JUMA, FARMER`). A label that opens with a site or a group keeps every part, since there the parts
together tell people apart (`Focus Group 4, adult public` and `Focus Group 4, adult patients` are
two groups). A speaker named by surname alone (`“...,” Bell says`) is the person the document named
in full with it before (`Marcus Bell, 38`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cached_property

from ingest.attribution import RAW_SCHEME, strip_attribution
from ingest.attribution_vocabulary import (
    COLLECTION_WORDS,
    ROLE_TOLD_APART,
    VOCABULARY_SCHEME,
    Vocabulary,
    code_pattern,
    is_code_token,
    names_a_part,
    numbers_people,
    pseudonym_parts,
    shape_facets,
    speaker_and_recording,
)
from ingest.lead_in import PERSON_NAME, full_name, person_named, titled
from ingest.records import Attribution, Quote

# Where a label's parts meet: a comma, a semicolon, or a dash set off by spaces.
_SEPARATOR = re.compile(r"[ \t]*(?:[,;·|]|[ \t][—–][ \t])[ \t]*")
# A label ending in a bracketed part: `Consultant geriatrician (S01)`, `Marcus Bell (SR/OH/014, 00:08:15)`.
_TRAILING_BRACKET = re.compile(r"^(?P<head>[^()]*?\S)[ \t]*\((?P<inner>[^()]+)\)$")
# A single name, then the speaker's age or what they are in brackets, or their age after a comma:
# `Ryan (14)`, `Kezia (service user)`, `Jade, 34, night shelter guest`.
_NAME_DESCRIBED = re.compile(
    r"(?P<name>[A-Z][a-z’'-]+)(?:[ \t]*\((?:\d{1,2}s?|[a-z][^()\n]{0,40})\)|,[ \t]*\d{1,2}s?(?:[ \t]*,.*)?)"
)
# A person's name: one to three capitalised words (`Dean`, `Ama Boateng`).
_ONE_NAME = re.compile(PERSON_NAME)
# A code and what it says of the speaker with no comma between: `P07 private renter, Leeds`.
_CODE_BEFORE_WORDS = re.compile(r"^(?P<code>\S+)[ \t]+(?P<words>[a-z].*)$")
# A group's code, whose parts after it tell its members apart (`FG1, female, 70s`), as a member's own
# code does not (`FG4-S2, Grade 5`).
_GROUP_CODE = re.compile(r"^(?:FGD?|GRP)[-_]?\d+$", re.IGNORECASE)
# A word of letters, for the words the document writes in lower case.
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
# How the words were collected, opening a label before who spoke: `Interview, Marisol, parent organizer`.
_COLLECTED = re.compile(COLLECTION_WORDS)
# A speaker named by surname alone: `Bell`. With a title (`Ms Thornbury`) a name already says who.
_SURNAME = re.compile(r"(?P<surname>[A-ZÀ-ÖØ-Þ](?:[^\W\d_]|[’'-]){2,})")
# A word of a person's name, in any Latin script's letters: `Tóth`, `Ní`, `O’Neill`.
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|[’'-])+"
# Words that may stand before a surname without being a first name (a person's name refuses the
# connectives, and a month names a part of a document's dates: see `names_a_part`).
_NOT_FIRST_NAMES = frozenset({
    "Says", "Said", "Asked", "Told", "Added", "Explained", "By",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
})
# A signature saying the quotations above are all one speaker's: `— all P2, carer for husband, 70s`.
_ALL_BY = re.compile(r"^(?:all|both)[ \t]+(?=\S)", re.IGNORECASE)
# A role numbered to tell its holders apart: `Staff 14`, `Support worker 3`. Opening a label, a role
# lettered so names its holder too (`Child D`); a later part lettered so is a place (`Ward B`).
_NUMBERED_ROLE = re.compile(r"(?P<role>[A-Z][a-z]+(?:[ \t][a-z]+){0,2})[ \t]+\d{1,4}[a-z]?")
_ROLE_TOLD_APART = re.compile(ROLE_TOLD_APART)
# A word before a number (`Consultant 1`): a role a code is made of, not a name, wherever it stands.
_NUMBERED_WORD = re.compile(r"\b([A-Z][a-z]+)[ \t]+\d")
# A part that points into the recording or the archive: a time (`00:21:15`) or a reference (`LG/014`).
_POINTER = re.compile(r"^(?:\d{1,2}:\d{2}(?::\d{2})?|[A-Z]{1,5}(?:[-/_][A-Z]{1,5})*[-/_]\d{1,5})$")
# A part of a label after a name that only describes or places the person: a description in lower
# case (`home help`) or ending in a word in lower case (`Housing First tenant`), an age or a year (`79`,
# `1986–87`), a reference of capitals and digits (`LG/014`, `SR/OH/011`).
_DESCRIBES = re.compile(r"^(?:[a-z]|\d|[A-Z]{1,5}(?:[-/_][A-Z]{1,5})*[-/_ ]?\d|.*[ \t][a-z][\w’'-]*$)")


def identified_respondents(found: Sequence[Quote], vocabulary: Vocabulary) -> list[Quote]:
    """The quotations with each document-read respondent's code cut to the part naming the person,
    where the document never gives that part with two descriptions that differ (`FG1, female, 70s`
    and `FG1, male, 80s` are two people of one group; `Depot South, fitter` and `Depot South, driver`
    two people of one site). A label read as no one's that opens with a person so named is theirs
    (`Glenys Powell, home help, Aberdare`, once `Glenys Powell, LG/014, 00:21:15` names her)."""
    is_name = _DocumentNames(vocabulary)
    codes = {code for quote in found if (code := _document_code(quote))}
    people = {code: person for code in codes if (person := identifying_part(code, is_name))}
    people.update(_named_before_rounds(codes))
    descriptions: dict[str, list[frozenset[str]]] = {}
    for code, person in people.items():
        descriptions.setdefault(person, []).append(_description(code, person))
    shared = {person for person, described in descriptions.items() if not _one_description(described)}
    persons = set(people.values()) - shared
    identified = []
    for quote in found:
        person = (people.get(_document_code(quote) or "") or _opening_person(quote, persons)
                  or _named_before_their_recording(quote, is_name))
        if quote.attribution is not None and person is not None and person not in shared:
            quote = replace(quote, attribution=_with_code(quote.attribution, person))
        identified.append(_named_in_full(quote, vocabulary.text, is_name))
    return identified


def _named_before_rounds(codes: set[str]) -> dict[str, str]:
    """Labels of a name and a numbered code (`Dean, T1`, `Dean, T2`, `Lee, T1`), where the code closes
    the labels of several names: it numbers a round of interviews or a wave, which no one person is,
    so the name is the speaker in each."""
    pairs = {code: parts for code in codes if len(parts := _parts(code)) == 2 and _numbered_code(parts[1])}
    names_by_closing: dict[str, set[str]] = {}
    for name, closing in pairs.values():
        names_by_closing.setdefault(closing, set()).add(name)
    return {code: name for code, (name, closing) in pairs.items()
            if len(names_by_closing[closing]) > 1 and _ONE_NAME.fullmatch(name)}


def identifying_part(code: str, is_name: _DocumentNames) -> str | None:
    """The part of a respondent's code that names the person, or None where every part is needed; where
    every part that describes them is, the code without its record of the recording (`Tenant, Farrow
    House (drop-in, 14 June)`). `is_name` tells whether the document uses a word or words as a
    person's name."""
    given = _NAME_DESCRIBED.fullmatch(code)
    if given is not None and is_name.never_in_lower_case(given.group("name")):
        return given.group("name")  # a pseudonym given with an age or a role
    head, inner = code, ""
    bracket = _TRAILING_BRACKET.match(code)
    if bracket is not None:
        head, inner = bracket.group("head"), bracket.group("inner")
    parts = _parts(head)
    if parts and _COLLECTED.fullmatch(parts[0]):
        parts = parts[1:]
        if len(parts) == 1 and not inner and is_name(parts[0]):
            return parts[0]  # who the interview was with: `Interview, Marisol`
    described_after_code = _CODE_BEFORE_WORDS.match(parts[0]) if parts else None
    if described_after_code is not None and is_code_token(described_after_code.group("code")):
        parts = [described_after_code.group("code"), described_after_code.group("words"), *parts[1:]]
    inner_parts = _parts(inner)
    rest = [*parts[1:], *inner_parts]
    if not parts or not rest:
        return None
    first = _ALL_BY.sub("", parts[0])
    if is_code_token(first) and not _GROUP_CODE.match(first):
        shape = code_pattern(first)
        return None if any(code_pattern(word) == shape for part in rest for word in part.split()) else first
    told_apart = _ROLE_TOLD_APART.fullmatch(first)
    if told_apart is not None and numbers_people(told_apart.group("role")):
        return None if any(_NUMBERED_ROLE.fullmatch(part) for part in rest) else first
    in_capitals = code.isupper()
    described = any(_DESCRIBES.match(part.lower() if in_capitals else part) for part in rest) or bool(
        speaker_and_recording(", ".join(rest))[1])
    if is_name(first) and (titled(first) or described):
        return first
    if len(inner_parts) == 1 and is_code_token(inner_parts[0]) and not any(map(_holds_code, parts)):
        return inner_parts[0]
    *described_parts, closing = parts
    if not inner_parts and _numbered_code(closing) and not any(_holds_code(part, _numbered_code)
                                                               for part in described_parts):
        return closing  # a code closing the label after who the speaker is: `GP, Practice C, GP03`
    speaker, recorded = speaker_and_recording(code)
    gathered = any(_COLLECTED.match(part) for part in recorded)  # `focus group, young crew members`: the group spoke
    return speaker if recorded and speaker and not gathered else None


def _named_in_full(quote: Quote, text: str, is_name: _DocumentNames) -> Quote:
    """A speaker named by surname alone (`“...,” Bell says`) is the person the document names in full
    with that surname before the words (`Marcus Bell, 38, a mechanic`), as reports in a newspaper's
    style introduce someone once and then use the surname; one named by first name alone (`says
    Éva`) is the one person the document names in full with that first name before (`Éva Tóth`)."""
    attribution = quote.attribution
    code = _document_code(quote)
    surname = _SURNAME.fullmatch(code or "")
    if attribution is None or surname is None:
        return quote
    name = _full_name_by_surname(text, surname.group("surname"), quote.char_start) or _full_name_by_first_name(
        text, surname.group("surname"), quote.char_start, is_name)
    if name is None:
        return quote
    return replace(quote, attribution=replace(attribution, code=name, facets={**attribution.facets, "pseudonym": name}))


def _full_name_by_surname(text: str, surname: str, end: int) -> str | None:
    named_in_full = re.compile(rf"\b(?P<name>{_NAME_WORD}[ \t]+{re.escape(surname)})\b")
    for match in named_in_full.finditer(text, 0, end):
        name = match.group("name")
        first = name.split()[0]
        if first[0].isupper() and person_named(name) is not None and not titled(name) and not (
                first in _NOT_FIRST_NAMES or names_a_part(first)):
            return name
    return None


def _full_name_by_first_name(text: str, first: str, end: int, is_name: _DocumentNames) -> str | None:
    """The one person named in full with this first name before `end`, the surname a word the document
    never writes in lower case (`Éva Tóth`, not `Donna Care`)."""
    named_in_full = re.compile(rf"\b{re.escape(first)}[ \t]+(?P<surname>{_NAME_WORD})(?![\w’'-])")
    surnames = {surname for match in named_in_full.finditer(text, 0, end)
                if (surname := match.group("surname"))[0].isupper() and not surname.endswith(("’s", "'s"))
                and is_name.never_in_lower_case(surname) and not names_a_part(surname)}
    return f"{first} {surnames.pop()}" if len(surnames) == 1 else None


def _document_code(quote: Quote) -> str | None:
    """The respondent's code, where the document's own conventions read it or it is the label as
    printed (not where a scheme read it)."""
    attribution = quote.attribution
    if attribution is None or attribution.scheme not in (VOCABULARY_SCHEME, RAW_SCHEME):
        return None
    return attribution.code


def _opening_person(quote: Quote, persons: set[str]) -> str | None:
    """The person a label read as no one's opens with, where the document names them elsewhere."""
    attribution = quote.attribution
    if attribution is None or attribution.scheme != RAW_SCHEME or not attribution.code:
        return None
    parts = _parts(attribution.code)
    return parts[0] if len(parts) > 1 and parts[0] in persons else None


def _named_before_their_recording(quote: Quote, is_name: _DocumentNames) -> str | None:
    """The person a signature names before the code the document read in it, where that code closes
    it as the number of the recording (`— Margaret Hollins, interviewed by Ruth Eccles, 14 March 2022
    (CVFM/OH/007)`): the number tells recordings apart, the name the speaker."""
    attribution = quote.attribution
    if attribution is None or attribution.scheme != VOCABULARY_SCHEME or not attribution.code:
        return None
    label = strip_attribution(attribution.raw)
    if not label.rstrip(" .)").endswith(attribution.code) or _parts(label)[0] == attribution.code:
        return None
    person = identifying_part(label, is_name)
    return person if person is not None and person != attribution.code and is_name(person) else None


def _description(code: str, person: str) -> frozenset[str]:
    """The parts of a code besides the person that describe them in words, without figures (ages,
    references and times differ from one signature to the next) or a record of the recording."""
    described = speaker_and_recording(code.replace(person, "", 1).strip(" ,;"))[0]
    return frozenset(part.casefold() for part in _parts(described.strip(" ()")) if not any(c.isdigit() for c in part))


def _one_description(described: Sequence[frozenset[str]]) -> bool:
    """Whether descriptions agree: each pair is one description, maybe with parts the other leaves out."""
    return all(a <= b or b <= a for a in described for b in described)


def _with_code(attribution: Attribution, person: str) -> Attribution:
    """The attribution with the person as its code, and facets read from the parts that describe them;
    a reference, a time in the recording, or when and how the words were collected is provenance."""
    rest = (attribution.code or "").replace(person, "", 1).strip(" ,;")
    described, recorded = speaker_and_recording(rest)
    parts = _parts(described.strip(" ()"))
    pseudonym = not (is_code_token(person) or _ROLE_TOLD_APART.fullmatch(person))
    # Beside a name, a code numbers the recording or its round (`Dean, T2`), not the person.
    pointers = [*(part for part in parts if _POINTER.match(part) or (pseudonym and _numbered_code(part))),
                *(part for reference in recorded for part in _parts(reference))]
    described = ", ".join(part for part in parts if part not in pointers)
    facets: dict[str, object] = dict((pseudonym_parts if pseudonym else shape_facets)(described)) if described else {}
    provenance = [str(attribution.facets["provenance"])] if "provenance" in attribution.facets else []
    if pointers or provenance:
        facets["provenance"] = ", ".join([*pointers, *provenance])
    if pseudonym:
        facets["pseudonym"] = person
    return Attribution(raw=attribution.raw, code=person, scheme=VOCABULARY_SCHEME, source_kind="interview",
                       facets=facets)


class _DocumentNames:
    """Whether the document uses words as a person's name (its text read only when a label asks): a
    pseudonym it signs with; a name in full set in capitals that its prose prints in the usual case;
    a single word it writes as a name inside its sentences, or prints more than once and never in
    lower case (and never before a number, as `Consultant 1` is a role); a name with a title; a name
    in full that it prints more than once, or whose first or last word it also writes alone (`Depot
    South, fitter`, printed once, may be a place)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self._vocabulary = vocabulary
        self._pseudonyms = vocabulary.pseudonyms
        self._text = vocabulary.text

    @cached_property
    def _numbered(self) -> frozenset[str]:
        return frozenset(match.group(1) for match in _NUMBERED_WORD.finditer(self._text))

    @cached_property
    def _names(self) -> frozenset[str]:
        return self._vocabulary.names - self._numbered

    @cached_property
    def _lower(self) -> frozenset[str]:
        return frozenset(word for word in _WORD.findall(self._text) if word[0].islower())

    def never_in_lower_case(self, word: str) -> bool:
        """Whether the document never writes the word in lower case, in the singular or the plural, nor
        before a number (`Consultant 1`): a name, where a role (`Patient, 58`) is written in lower case
        somewhere (`patients`)."""
        folded = word.casefold()
        return (person_named(word) is not None and folded not in self._lower and f"{folded}s" not in self._lower
                and word not in self._numbered)

    def _in_capitals(self, words: str) -> bool:
        """A name in full set in capitals, as designed pages set signatures (`REHEMA JUMA, FARMER`),
        that the document also prints in its prose."""
        name = words.title()
        return person_named(name) is not None and len(name.split()) >= 2 and name in self._text

    def _named_alone(self, words: str) -> bool:
        """Whether the document writes the first or the last word of a full name without the other
        (`Jean made the journey`, `Alcock told us`): a person's name, as a place's rarely is."""
        first, last = words.split()[0], words.split()[-1]
        together = self._text.count(words)
        return self._text.count(first) > together or self._text.count(last) > together

    def __call__(self, words: str) -> bool:
        if words in self._pseudonyms:
            return True
        if words.isupper():
            return self._in_capitals(words)
        if person_named(words) is None:
            return False
        if titled(words):
            return True
        if full_name(words):
            return self._text.count(words) > 1 or self._named_alone(words)
        return words in self._names or (self._text.count(words) > 1 and self.never_in_lower_case(words))


def _holds_code(part: str, is_code: Callable[[str], bool] = is_code_token) -> bool:
    return any(map(is_code, part.split()))


def _numbered_code(word: str) -> bool:
    """A code token with a figure in it (`GP03`, `TN2`), as a site's letter (`Practice C`) is not."""
    return is_code_token(word) and any(c.isdigit() for c in word)


def _parts(label: str) -> list[str]:
    return [part for part in _SEPARATOR.split(label.strip()) if part]
