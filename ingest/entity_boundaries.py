"""Whether a span the name patterns or the model found is a whole name, not a piece of a longer one.

A pattern or the model can stop short of a name's edge: "Alongside the Regional Vanguard
Evaluation" gives "Regional Vanguard", "the Hospital at Home team" gives "Home team",
"the hub leads, and support service leads" gives "service leads". A piece of a name names
nothing of its own, so it is not kept; a role cut off from a noun before it gets that noun
back, since a role is a noun phrase whose words are all lower-case nouns and adjectives.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from ingest.text.sentences import starts_sentence

# A name carries on to the left across these words when a capitalised word stands before
# them ("Hospital at Home", "Happy, Healthy, at Home"); no name pattern slot takes them.
_NAME_INNER_WORDS = frozenset({"at"})
# A place name goes on across this word to a capitalised one: "Kingston upon Hull".
_PLACE_LINKS = frozenset({"upon"})
# How many words a role may get back from before its match.
_MAX_ROLE_WORDS = 5
# Tags of a word that can modify a role noun: nouns, adjectives, and a base-form verb that
# is a noun in a list ("and support service leads"); finite verbs ("led", "represents") cannot.
_MODIFIER_TAGS = frozenset({"NN", "NNS", "JJ", "VB"})
# Before a base-form verb, these make it a verb ("to support", "will support", "they support").
_VERB_MARKERS = frozenset({"PART", "AUX", "PRON", "NOUN", "PROPN"})
# Where `doc_text` keeps the text in a Doc's user data.
_TEXT = "text"


def runs_on(tokens: list[Token]) -> bool:
    """The name goes on past the span: a capitalised word follows on the same line, or
    stands before a word that names take inside ("Hospital at" before "Home team")."""
    doc = tokens[0].doc
    after = tokens[-1].i + 1
    if after < len(doc) and _capitalised_word(doc[after]) and not _opens_sentence(doc[after]):
        return True
    before = tokens[0].i - 1
    if before < 1 or doc[before].lower_ not in _NAME_INNER_WORDS:
        return False
    word = doc[before - 1] if doc[before - 1].text != "," or before < 2 else doc[before - 2]
    return _capitalised_word(word) and not _opens_sentence(word)


def with_place_tail(tokens: list[Token]) -> list[Token]:
    """A place with the "upon <Name>" the model leaves off ("Kingston" in "Kingston upon Hull")."""
    doc = tokens[0].doc
    after = tokens[-1].i + 1
    if after + 1 < len(doc) and doc[after].lower_ in _PLACE_LINKS and _capitalised_word(doc[after + 1]):
        return [*tokens, doc[after], doc[after + 1]]
    return tokens


def with_role_modifiers(tokens: list[Token]) -> list[Token]:
    """A role with the words before it that the match left out, up to a few: lower-case nouns
    and adjectives ("support" in "and support service leads", "national-level" in "national-level
    policy makers"), or capitalised words before a role written in capitals as a title
    ("Enhanced" in "Enhanced Rehab Team Leader")."""
    doc = tokens[0].doc
    start = tokens[0].i
    capitalised = all(t.is_title for t in tokens if t.is_alpha) and not _opens_sentence(tokens[0])
    while start > 0 and tokens[-1].i + 1 - start < _MAX_ROLE_WORDS:
        word = doc[start - 1]
        if capitalised and _capitalised_word(word):
            start -= 1
            capitalised = not _opens_sentence(word)
        elif _role_modifier(word):
            start -= 1
        elif word.text == "-" and not word.whitespace_ and start > 1 and _role_modifier(doc[start - 2]) \
                and not doc[start - 2].whitespace_:
            start -= 2
        else:
            break
    return [*doc[start : tokens[0].i], *tokens]


def doc_text(doc: Doc) -> str:
    """The document's text, built once: `Doc.text` joins every token on each call."""
    if _TEXT not in doc.user_data:
        doc.user_data[_TEXT] = doc.text
    return doc.user_data[_TEXT]


def with_text(doc: Doc, text: str) -> Doc:
    """`doc`, told the text it was made from, so that `doc_text` need not join a long report's words."""
    doc.user_data[_TEXT] = text
    return doc


def _role_modifier(token: Token) -> bool:
    if not (token.is_alpha and token.is_lower) or token.is_stop or token.tag_ not in _MODIFIER_TAGS:
        return False
    if token.tag_ == "VB":
        return token.i > 0 and token.doc[token.i - 1].pos_ not in _VERB_MARKERS
    return True


def _capitalised_word(token: Token) -> bool:
    """A word in title case that is no stop word ("Evaluation", not "The" or "NHS")."""
    return token.is_alpha and token.is_title and not token.is_stop


def _opens_sentence(token: Token) -> bool:
    return starts_sentence(doc_text(token.doc), token.idx)
