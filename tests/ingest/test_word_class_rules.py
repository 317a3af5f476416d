"""The word-class rules give the word classes spaCy's attribute ruler gives with the same rules."""

import spacy
from spacy.tokens import Doc

from ingest.word_class_rules import WordClassRules, supported

RULES = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}},
    {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
    {"patterns": [[{"TAG": "_SP"}]], "attrs": {"POS": "X"}},
]


def _tagged(nlp, words: list[str], tags: list[str]) -> Doc:
    return Doc(nlp.vocab, words=words, tags=tags)


def test_classes_match_the_attribute_ruler_with_later_rules_winning_and_tests_reading_the_tagger():
    nlp = spacy.blank("en")
    words = ["The", "ward", "Is", "open", "\n", "it", "runs"]
    tags = ["DT", "NN", "VBZ", "JJ", "NN", "PRP", "VBZ"]
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(RULES)
    expected = ruler(_tagged(nlp, words, tags))
    got = WordClassRules(nlp.vocab, RULES)(_tagged(nlp, words, tags))
    assert [(t.tag_, t.pos_) for t in got] == [(t.tag_, t.pos_) for t in expected]
    assert [t.pos_ for t in got] == ["", "NOUN", "AUX", "", "SPACE", "", "VERB"]


def test_a_rule_over_two_tokens_is_not_supported():
    assert not supported([{"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"POS": "VERB"}}])


def test_a_rule_setting_a_lemma_is_not_supported():
    assert not supported([{"patterns": [[{"TAG": "NN"}]], "attrs": {"LEMMA": "ward"}}])
