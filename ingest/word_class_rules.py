"""The attribute ruler's word-class rules applied as array masks instead of through spaCy's Matcher.

spaCy's small English model turns the tagger's fine tags into coarse word classes (POS) with an
attribute ruler: a Matcher over the whole document, which costs about as much per word as the
tagger itself. Its word-class rules each test one token (its tag, its lower-case form, whether it
is white space), so the same result comes from one boolean mask per rule over the document's
arrays. Rules are applied in their order, a later one overriding an earlier one on the same
token, and every test reads the tags as the tagger left them, as the ruler does (it matches
every rule before it sets anything).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

FACTORY = "word_class_rules"
# What a rule may test, and the document array it is read from.
_TESTED = {"TAG": TAG, "LOWER": LOWER, "IS_SPACE": IS_SPACE}
_SET = {"POS": POS, "TAG": TAG}


def supported(rules: Iterable[dict]) -> bool:
    """Every rule tests one token, by equality or `IN`, on attributes read here, and sets POS or TAG."""
    for rule in rules:
        patterns = rule["patterns"]
        if len(patterns) != 1 or len(patterns[0]) != 1 or rule.get("index", 0) != 0:
            return False
        tests = patterns[0][0]
        if not set(tests) <= set(_TESTED) or not set(rule["attrs"]) <= set(_SET):
            return False
        if any(isinstance(value, dict) and set(value) != {"IN"} for value in tests.values()):
            return False
    return True


class WordClassRules:
    """Sets TAG and POS by the rules, over the whole document at once."""

    def __init__(self, vocab: Vocab, rules: list[dict]):
        self._columns = (TAG, LOWER, IS_SPACE, POS)
        self._rules = [(self._tests(vocab, rule["patterns"][0][0]), self._values(vocab, rule["attrs"]))
                       for rule in rules]

    def __call__(self, doc: Doc) -> Doc:
        read = doc.to_array(list(self._columns))
        column = dict(zip(self._columns, read.T))
        tags, pos = column[TAG].copy(), column[POS].copy()
        for tests, values in self._rules:
            match = np.ones(len(doc), dtype=bool)
            for attr, wanted in tests:
                match &= np.isin(column[attr], wanted)
            for attr, value in values:
                (tags if attr == TAG else pos)[match] = value
        doc.from_array([TAG, POS], np.stack([tags, pos], axis=1))  # type: ignore[arg-type]  # spaCy types it as a thinc array
        return doc

    @staticmethod
    def _tests(vocab: Vocab, tests: dict) -> list[tuple[int, np.ndarray]]:
        out = []
        for key, value in tests.items():
            values = value["IN"] if isinstance(value, dict) else [value]
            ids = [int(v) if isinstance(v, bool) else vocab.strings.add(v) for v in values]
            out.append((_TESTED[key], np.array(ids, dtype=np.uint64)))
        return out

    @staticmethod
    def _values(vocab: Vocab, attrs: dict) -> list[tuple[int, int]]:
        return [(_SET[key], vocab.strings.add(value)) for key, value in attrs.items()]


@Language.factory(FACTORY, default_config={"rules": []})
def make_word_class_rules(nlp: Language, name: str, rules: list[dict]) -> WordClassRules:
    """The component, for `nlp.replace_pipe`."""
    return WordClassRules(nlp.vocab, rules)
