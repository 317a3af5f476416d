"""Acronym definitions a document makes itself: "Primary Care Networks (PCNs)", "PCNs (Primary Care Networks)".

Reports define their own abbreviations, and the same letters can stand for different
things in different reports, so definitions are read from each text rather than
assumed. Pure string code: no spaCy, so the rules can be tested and reasoned about alone.

A long form fits an acronym when, reading left to right, every word of the long form
gives the acronym its initial letter, except small words ("and", "of", "the"), which may
be skipped; further letters may come from inside a word ("MultiSpecialty" -> MS,
"multidisciplinary team" -> MDT), and a digit may come from a number word
("Five Year Forward View" -> 5YFV). The shortest long form that fits wins. A mixed-case
acronym may skip words, as long as each capital starts a word and the lower-case letters
after it continue that word ("Policy Research Unit in Health and Care Systems and
Commissioning (PRUComm)").

Where the printed name around the fit is wider (a capitalised word before it, "Encompass
Community Hub Operating Centres (CHOCS)", or a word after it that adds no letter,
"North East Commissioning Support Unit (NECS)"), the definition also records that printed
form: both are names the document uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from ingest.text.sentences import starts_sentence

_DETERMINERS = frozenset({"this", "these", "that", "those", "its", "their", "our", "each", "every", "all", "both"})
SMALL_WORDS = frozenset({"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with", "&"})
NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
    "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
}  # fmt: skip

# An acronym as printed: 2-10 letters or digits, starting with a capital or a digit.
_ACRONYM = r"[A-Z0-9][A-Za-z0-9]{1,9}"
# "Long Form (ACR)", also "(ACR, ...)" and "(ACR; ...)" when a citation or a second
# acronym follows inside the same brackets.
_TRAILING_DEFINITION = re.compile(rf"\(\s*({_ACRONYM})\s*[),;]")
# "ACR (Long Form)" and "ACR [Long Form]".
_LEADING_DEFINITION = re.compile(rf"(?<![A-Za-z0-9])({_ACRONYM})\s*(?:\(([^()\n]{{3,150}})\)|\[([^\[\]\n]{{3,150}})\])")
# Words of a long form; markup tags are matched so they can be dropped, not read as words.
_WORD = re.compile(r"</?[A-Za-z]+>|[A-Za-z0-9](?:[A-Za-z0-9'’&-]*[A-Za-z0-9])?")
# Where a long form cannot reach back across: sentence and clause ends, brackets,
# quotation marks, a blank line.
_BARRIER = re.compile(r"[.;:!?()\[\]\"“”]|\n\s*\n")
_LOOKBACK_CHARS = 200
_MAX_NAME_WORDS_BEFORE = 3  # capitalised words before a fit that still belong to the printed name
_EXTRA_WORDS = 5  # a long form may have this many words more than its acronym has letters


@dataclass(frozen=True)
class AcronymDefinition:
    """One place where a text says what an acronym stands for.

    `char_start`/`char_end` cover the whole definition ("Primary Care Networks (PCNs)");
    the long form and the acronym each have their own exact span as well, so that both
    can be stored as mentions of one entity.
    """

    acronym: str
    long_form: str
    char_start: int
    char_end: int
    long_start: int
    long_end: int
    acronym_start: int
    acronym_end: int
    printed_form: str | None = None

    @property
    def singular(self) -> str:
        """The acronym without a plural "s": "PCNs" -> "PCN", so both forms link to one entity."""
        return singular_acronym(self.acronym)

    @property
    def is_plural(self) -> bool:
        """True when the acronym was printed with a plural "s" ("CCGs")."""
        return self.singular != self.acronym


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


def singular_acronym(acronym: str) -> str:
    """Drop a lower-case plural "s" after a capital or digit ("CCGs" -> "CCG", "PRUComm" stays)."""
    if len(acronym) > 2 and acronym.endswith("s") and (acronym[-2].isupper() or acronym[-2].isdigit()):
        return acronym[:-1]
    return acronym


def looks_like_acronym(candidate: str) -> bool:
    """At least two capitals or digits, and at least one letter: "PCNs", "5YFV", not "Vanguard"."""
    strong = sum(c.isupper() or c.isdigit() for c in candidate)
    return strong >= 2 and any(c.isalpha() for c in candidate) and not candidate[0].islower()


def find_acronym_definitions(text: str) -> list[AcronymDefinition]:
    """Every acronym definition in `text`, in reading order, without duplicates."""
    found = {d.char_start: d for d in _trailing_definitions(text)}
    for definition in _leading_definitions(text):
        found.setdefault(definition.char_start, definition)
    return sorted(found.values(), key=lambda d: d.char_start)


def _trailing_definitions(text: str) -> list[AcronymDefinition]:
    """Definitions written "Long Form (ACR)": the long form is read back from the bracket."""
    definitions = []
    for match in _acronym_matches(_TRAILING_DEFINITION, text):
        words = _words_before(text, match.start())
        span = _fit_before(match.group(1), words)
        if span is None:
            continue
        long_start, long_end = words[span[0]].start, words[span[1]].end
        printed = text[_name_start(text, words, span[0]) : words[-1].end]
        char_end = match.end() if match.group().endswith(")") else match.end(1)
        definitions.append(_definition(text, match, long_start, long_end, long_start, char_end, printed))
    return definitions


def _name_start(text: str, words: list[_Word], first: int) -> int:
    """Where the printed name begins: up to a few capitalised words before the fit, never a sentence's first."""
    start = first
    while first - start < _MAX_NAME_WORDS_BEFORE and start > 0:
        word = words[start - 1]
        gap = text[word.end : words[start].start]
        if gap != " " or not word.text[:1].isupper() or word.text.lower() in SMALL_WORDS:
            break
        if starts_sentence(text, word.start) or word.text.lower() in _DETERMINERS:
            break
        start -= 1
    return words[start].start


def _leading_definitions(text: str) -> list[AcronymDefinition]:
    """Definitions written "ACR (Long Form)": the whole bracket must fit the acronym."""
    definitions = []
    for match in _acronym_matches(_LEADING_DEFINITION, text):
        inside = 2 if match.group(2) is not None else 3
        words = _words_in(text, match.start(inside), match.end(inside))
        while words and words[0].text.lower() in SMALL_WORDS:
            words = words[1:]
        if len(words) < 2 or not fits_acronym(match.group(1), tuple(w.text for w in words)):
            continue
        definitions.append(_definition(text, match, words[0].start, words[-1].end, match.start(1), match.end()))
    return definitions


def _acronym_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of a definition pattern whose group 1 looks like an acronym."""
    return (match for match in pattern.finditer(text) if looks_like_acronym(match.group(1)))


def _definition(text: str, match: re.Match[str], long_start: int, long_end: int, char_start: int, char_end: int,
                printed: str | None = None) -> AcronymDefinition:
    """The definition of the acronym in group 1 of `match` by `text[long_start:long_end]`; `printed`
    is the name as printed around it, kept only where it differs from the long form."""
    long_form = text[long_start:long_end]
    return AcronymDefinition(
        acronym=match.group(1),
        long_form=long_form,
        char_start=char_start,
        char_end=char_end,
        long_start=long_start,
        long_end=long_end,
        acronym_start=match.start(1),
        acronym_end=match.end(1),
        printed_form=printed if printed is not None and printed != long_form else None,
    )


def _words_before(text: str, bracket: int) -> list[_Word]:
    """The words between the last barrier (sentence end, bracket, blank line) and `bracket`."""
    window_start = max(0, bracket - _LOOKBACK_CHARS)
    window = text[window_start:bracket]
    barriers = list(_BARRIER.finditer(window))
    start = window_start + (barriers[-1].end() if barriers else 0)
    return _words_in(text, start, bracket)


def _words_in(text: str, start: int, end: int) -> list[_Word]:
    """Words of `text[start:end]` with their offsets, markup tags left out."""
    return [
        _Word(m.group(), start + m.start(), start + m.end())
        for m in _WORD.finditer(text[start:end])
        if not m.group().startswith("<")
    ]


def _fit_before(acronym: str, words: list[_Word]) -> tuple[int, int] | None:
    """Indices (first, last) of the shortest run of words ending at the bracket that fits.

    The word right before the bracket may be left out of the long form when it adds no
    letter ("Urgent and Emergency Care Vanguard (UEC)" defines "Urgent and Emergency Care").
    """
    texts = tuple(w.text for w in words)
    max_words = len(singular_acronym(acronym)) + _EXTRA_WORDS
    for last in (len(texts) - 1, len(texts) - 2):
        if last < 1 or (last < len(texts) - 1 and texts[-1].lower() in SMALL_WORDS):
            continue
        for first in range(last - 1, max(-1, last - max_words), -1):
            if fits_acronym(acronym, texts[first : last + 1]):
                return first, last
    return None


def name_words(name: str) -> tuple[str, ...]:
    """The words of a name as the fitting rules see them."""
    return tuple(w.text for w in _words_in(name, 0, len(name)))


def fits_acronym(acronym: str, words: tuple[str, ...]) -> bool:
    """True when `words` spell `acronym` (or its singular) and are not just the acronym again."""
    if " ".join(words).lower() == acronym.lower():
        return False
    forms = dict.fromkeys((singular_acronym(acronym), acronym))
    lowered = tuple(w.lower() for w in words)
    return any(_spells(form.lower(), lowered) for form in forms) or _spells_by_capitals(acronym, words)


def _spells_by_capitals(acronym: str, words: tuple[str, ...]) -> bool:
    """A mixed-case acronym ("PRUComm"): each capital starts a word, in order, its lower-case
    letters continue that word, the first and last words are used, and other words may be skipped."""
    singular = singular_acronym(acronym)
    pieces = re.findall(r"[A-Z0-9][a-z]*", singular)
    if "".join(pieces) != singular or not any(len(p) > 1 for p in pieces) or len(pieces) < 2:
        return False
    lowered = [w.lower() for w in words]
    if not lowered[0].startswith(pieces[0].lower()) or not lowered[-1].startswith(pieces[-1].lower()):
        return False
    position = 1
    for piece in pieces[1:-1]:
        while position < len(lowered) - 1 and not lowered[position].startswith(piece.lower()):
            position += 1
        if position >= len(lowered) - 1:
            return False
        position += 1
    return True


@lru_cache(maxsize=4096)
def _spells(letters: str, words: tuple[str, ...]) -> bool:
    """True when the first word gives the first letter and every word is used or small."""
    return bool(words) and _initial_matches(words[0], letters) and _align(letters, words, 0, 0)


def _align(letters: str, words: tuple[str, ...], i: int, w: int) -> bool:
    """Can `letters[i:]` be spelled by `words[w:]`, word by word?"""
    if w == len(words):
        return i == len(letters)
    word = words[w]
    if word in SMALL_WORDS and _align(letters, words, i, w + 1):
        return True
    if i == len(letters):
        return False
    number = NUMBER_WORDS.get(word, word if word.isdigit() else None)
    if number is not None and letters.startswith(number, i) and _align(letters, words, i + len(number), w + 1):
        return True
    if word[0] != letters[i]:
        return False
    inner = _inner_letters(word, letters, i + 1)
    return any(_align(letters, words, i + 1 + extra, w + 1) for extra in range(inner, -1, -1))


def _initial_matches(word: str, letters: str) -> bool:
    """Does `word` give the first acronym letter (as an initial, or as a number word)?"""
    number = NUMBER_WORDS.get(word, word if word.isdigit() else None)
    return word[0] == letters[0] or (number is not None and letters.startswith(number))


def _inner_letters(word: str, letters: str, i: int) -> int:
    """How many of `letters[i:]`, in order, can be found inside `word` after its initial."""
    count, position = 0, 1
    while i + count < len(letters):
        position = word.find(letters[i + count], position)
        if position < 0:
            break
        count, position = count + 1, position + 1
    return count
