"""How an entity is named: singular and plural head nouns, capitalisation, and the key names are compared by.

One real thing gets one canonical name however a document inflects or capitalises it,
so that mentions in different documents join up; these rules are shared by the
gazetteer, the acronym definitions and the names the model and the patterns find.
"""

from __future__ import annotations

import re

from ingest.acronyms import SMALL_WORDS

_PREPOSITIONS = frozenset({"of", "with", "for", "in", "on"})


def name_key(name: str) -> str:
    """Case, hyphens, markup and '&' do not distinguish names: "Long-Term Plan" == "long term plan"."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ")))


def plural_name(name: str) -> str:
    """English plural of a name's head noun ("care home" -> "care homes", "director of X" -> "directors of X")."""
    words = name.split(" ")
    head = head_index(words)
    words[head] = _plural_word(words[head])
    return " ".join(words)


def singular_name(name: str) -> str:
    """English singular of a name's head noun ("Primary Care Networks" -> "Primary Care Network")."""
    words = name.split(" ")
    head = head_index(words)
    words[head] = singular_word(words[head])
    return " ".join(words)


def head_index(words: list[str]) -> int:
    """The head noun: the word before the first preposition ("director of ..."), else the last word."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _PREPOSITIONS:
            return i - 1
    return len(words) - 1


def singular_word(word: str) -> str:
    """"Networks" -> "Network", "bodies" -> "body", "Centres" -> "Centre"; "Homes" -> "Home"."""
    if re.search(r"[^aeiou]ies$", word, re.IGNORECASE):
        return word[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", word, re.IGNORECASE):
        return word[:-2]
    if re.search(r"[^s]s$", word, re.IGNORECASE) and len(word) > 3:
        return word[:-1]
    return word


def _plural_word(word: str) -> str:
    if re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word, re.IGNORECASE):
        return word + "es"
    return word + "s"


def title_case(name: str) -> str:
    """Capitalise every word but small ones, so one entity gets one canonical name across documents."""
    words = name.split(" ")
    return " ".join(
        w if (i and w.lower() in SMALL_WORDS) or not w[:1].isalpha() else w[0].upper() + w[1:]
        for i, w in enumerate(words)
    )


def role_case(name: str) -> str:
    """A role is a common noun: "Senior IT Manager" -> "senior IT manager" (acronyms keep their capitals)."""
    return " ".join(w.lower() if w[:1].isupper() and w[1:] == w[1:].lower() else w for w in name.split(" "))
