"""Policy entities in a document: organisations, programmes, care models, policies, roles and places.

Four sources are joined per document, and every entity says which one it came from
(`source`). The gazetteer (`gazetteer.yaml`) knows the field's vocabulary; the acronym
definitions the document makes itself ("Primary Care Networks (PCNs)", see `acronyms.py`)
decide what an acronym means here; name patterns of the field (`entity_patterns.yaml`:
"<Place> CCG", "<Name> vanguard") name bodies and programmes nobody listed; spaCy's small
English model (`entity_model.py`) finds the remaining organisations, places and laws.
The gazetteer and the patterns run as one EntityRuler before the model, so the model only
fills the gaps they leave. Linking (`entity_linking.py`) then joins what names one thing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from spacy.attrs import NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import compile_prefix_regex, compile_suffix_regex

from ingest.acronyms import (
    AcronymDefinition,
    find_acronym_definitions,
    looks_like_acronym,
    singular_acronym,
)
from ingest.config_models import validated
from ingest.entity_boundaries import doc_text, runs_on, with_place_tail, with_role_modifiers, with_text
from ingest.entity_linking import link_mentions
from ingest.entity_model import NER_LABELS, load_statistical_model
from ingest.entity_names import (
    head_index,
    name_key,
    plural_name,
    role_case,
    singular_name,
    singular_word,
    title_case,
)
from ingest.entity_patterns import DEFAULT_PATTERNS, NameMatcher, load_name_patterns
from ingest.entity_pieces import PieceMapper, annotate, in_turn
from ingest.entity_references import opens_cited_title, reference_titles
from ingest.entity_scope import MentionScope
from ingest.entity_types import Candidate, Entity
from ingest.errors import ConfigError
from ingest.records import Mention
from ingest.rule_files import GazetteerEntry, load_rule_file
from ingest.text.sentences import starts_sentence
from ingest.text.whitespace import collapse_spaces

LABELS = ("ORG", "PROGRAMME", "CARE_MODEL", "POLICY", "ROLE")
DEFAULT_GAZETTEER = Path(__file__).with_name("gazetteer.yaml")
# spaCy refuses texts over 1M characters to protect the parser's memory; this pipeline
# has no parser (tok2vec, tagger and NER are linear), so long reports are safe.
_MAX_CHARS = 50_000_000
# Extraction markup and footnote markers glued to words ("*Long-Term Plan*²⁰",
# "<i>Care Quality Commission</i>", "Plan^{17(p24)}") would hide a name from the ruler.
_MARKUP_AFFIXES = (r"\*+", r"_+", r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻⁺]+", r"\^\{[^}\s]*\}", r"</?[A-Za-z]+>")
# The head noun of a long form the gazetteer does not know decides its label;
# anything else is an organisation.
_HEAD_LABELS = {
    "ROLE": {
        "manager", "lead", "officer", "director", "nurse", "practitioner", "pharmacist", "worker",
        "coordinator", "co-ordinator", "commissioner", "clinician", "doctor", "consultant",
        "therapist", "assistant", "champion", "navigator", "matron", "paramedic", "leader", "member",
    },
    "POLICY": {
        "plan", "view", "framework", "contract", "strategy", "act", "policy", "specification",
        "guidance", "review", "tariff", "agreement", "target", "paper", "bill", "regulation", "directive",
        "legislation", "law", "order", "charter",
    },
    "PROGRAMME": {"programme", "program", "project", "initiative", "pilot", "scheme", "fund", "campaign", "pathway"},
    "CARE_MODEL": {"model"},
    "ORG": {
        "organisation", "organization", "body", "unit", "service", "department", "team", "network", "centre",
        "center", "hospital", "trust", "group", "board", "council", "agency", "office", "committee", "partnership",
        "alliance", "association", "institute", "institution", "foundation", "commission", "authority", "system",
        "practice", "provider", "collaborative", "collaboration", "hub", "support", "federation", "consortium",
        "forum", "society", "college", "university", "school", "company", "charity", "ministry", "executive",
        "government", "england", "wales", "scotland", "ireland", "home", "care", "lab", "laboratory", "panel",
        "taskforce", "force", "coalition", "cooperative", "directorate", "secretariat", "regulator", "funder",
    },
}  # fmt: skip
# Research reporting standards and checklists ("Standards for Reporting Qualitative
# Research (SRQR)") are methods of the report, not policies of the field.
_PHRASE_LABELS = (("enhanced service", "POLICY"), ("model of care", "CARE_MODEL"), ("for reporting", "METHOD"),
                  ("checklist", "METHOD"), ("reporting guideline", "METHOD"))
# Ranks: what the document defines beats the gazetteer on a tie; both beat a name
# pattern; the statistical model only fills what the others leave.
_DEFINED, _KNOWN, _PATTERN, _MODEL = 0, 1, 2, 3
# A name the model or a pattern finds never starts or ends with these.
_EDGE_WORDS = frozenset({"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "and", "of", "&"})
_NOT_NAME_POS = frozenset({"ADV", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "VERB", "AUX", "PART", "NUM", "PUNCT", "SYM"})
_MAX_FOUND_TOKENS = 10
# Word classes that never open a name, capitalised or not ("Alongside", "Towards", "Our").
_FUNCTION_POS = frozenset({"ADP", "SCONJ", "CCONJ", "DET", "PRON"})
# Head nouns that name a kind of service as often as a body ("Enhanced Care", "Hospital at
# Home"): a name the model found needs another head to be an organisation.
_SERVICE_HEADS = frozenset({"care", "home"})
_NAME_PUNCTUATION = frozenset({"-", "&", "."})
# Adjectives that make a role ("senior manager"); any other adjective before a role word
# describes a person ("an enthusiastic manager").
_ROLE_ADJECTIVES = frozenset({
    "senior", "junior", "clinical", "local", "national", "regional", "operational", "strategic", "medical",
    "executive", "managerial", "chief", "deputy", "assistant", "principal", "general", "financial", "digital",
    "frontline", "interim", "professional", "nursing", "social", "public", "primary", "acute", "mental",
    "commercial", "technical", "administrative", "corporate", "organisational", "political", "academic",
})  # fmt: skip
# "English", "Scottish", "European": a people's adjective, not a body or a place.
_DEMONYM = re.compile(r"(?:ish|ese|ean|ian)$")
# A name followed by "Surname, Given;": the span ran into a list of authors.
_AUTHOR_LIST = re.compile(r",\s*[A-Z][a-z]+\s*;")
# Nouns of doing that open a title rather than a name: "Evaluation of", "Investigating".
_ACTION_NOUN = re.compile(r"(?:tion|tions|sis|ses|ing)$")
# A capitalised gerund opening a name: "Transforming", "Connecting".
_GERUND = re.compile(r"^[A-Z][a-z]{2,}ing$")


class GazetteerError(ConfigError):
    """The gazetteer file cannot be read, is not YAML, or holds a malformed entry."""


class EntityExtractor:
    """Finds policy entities in normalised document texts; build once, use for many documents."""

    def __init__(self, gazetteer_path: Path | None = None, use_gazetteer: bool = True,
                 patterns_path: Path | None = None):
        """Load the gazetteer, the name patterns and the model, once, since all are costly.

        `use_gazetteer=False` leaves the gazetteer out, to see what the model, the patterns
        and the documents' own definitions find alone.
        """
        gazetteer = load_gazetteer(gazetteer_path or DEFAULT_GAZETTEER) if use_gazetteer else ()
        self._entities = {e.canonical: e for e in gazetteer}
        self._by_key = _name_index(self._entities.values())
        self._nlp = build_pipeline(self._entities.values())
        self._name_matcher = NameMatcher(self._nlp.vocab, load_name_patterns(patterns_path or DEFAULT_PATTERNS))

    @property
    def entities(self) -> tuple[Entity, ...]:
        """The gazetteer's entities, for a store that wants to register them up front."""
        return tuple(self._entities.values())

    def extract(self, text: str, map_pieces: PieceMapper | None = None) -> list[Mention]:
        """The entity mentions of one document's text, in reading order. A long text goes through
        spaCy in pieces (`entity_pieces`), with the same result: in parallel with `map_pieces`, else
        one after another here, which still pays: one pass over a 60-page report holds every word's
        arrays at once (about 650 MB) and spends a tenth more CPU time faulting that memory in."""
        annotated = annotate(self._nlp, text, map_pieces or in_turn, find=self._name_matcher.find)
        return self._mentions(with_text(annotated.doc, text), piece_matches=annotated.found)

    def _mentions(self, doc: Doc, piece_matches: Sequence[tuple[int, int, list[tuple]]] = ()) -> list[Mention]:
        """Join every source's candidates, keep the best reading of each span, then link. `piece_matches`:
        the name patterns' matches in the pieces of a long text (`entity_pieces.Annotated`)."""
        text = doc_text(doc)
        scope = MentionScope.of(text)
        acronyms = _DocumentAcronyms(self._resolve(d, doc) for d in find_acronym_definitions(text))
        new = [e for e in acronyms.entities() if e.canonical not in self._entities]
        known = {**self._by_key, **_name_index(new)}
        candidates = [
            *self._span_candidates(doc, acronyms, known, scope, piece_matches),
            *acronyms.candidates(doc),
            *_long_form_repeats(text, new),
        ]
        kept = [c for c in _best_reading(candidates) if not scope.is_excluded(c.start, c.end)]
        linked = [c for c in link_mentions(text, kept) if not scope.is_excluded(c.start, c.end)]
        return _to_mentions(text, reference_titles(text, scope.references, linked), acronyms)

    def _resolve(self, definition: AcronymDefinition, doc: Doc) -> tuple[AcronymDefinition, Entity]:
        """The entity a definition names: a gazetteer entity if the long form is known, else a new one."""
        for form in (definition.long_form, definition.printed_form or ""):
            known = self._by_key.get(name_key(form)) or self._by_key.get(name_key(singular_name(form)))
            if known:
                return definition, known
        head = doc.char_span(definition.long_start, definition.long_end, alignment_mode="expand")
        return definition, new_entity(definition, head is None or head[-1].tag_ in ("NNS", "NNPS"))

    def _span_candidates(self, doc: Doc, acronyms: _DocumentAcronyms, known: dict[str, Entity],
                         scope: MentionScope,
                         piece_matches: Sequence[tuple[int, int, list[tuple]]]) -> Iterator[Candidate]:
        """The ruler's gazetteer and pattern matches, and the model's entities.

        Where the document defines an acronym itself, its own candidate for the same
        span outranks the gazetteer's, so "STP" means what this document says it means.
        """
        for span in doc.ents:
            if span.ent_id_ in self._entities:
                entity = acronyms.entity(span.ent_id_) or self._entities[span.ent_id_]
                yield Candidate(span.start_char, span.end_char, entity, rank=_KNOWN)
            elif span.label_ in NER_LABELS and not scope.in_references(span.start_char, span.end_char):
                found = _found(span, NER_LABELS[span.label_], "ner", known, scope)
                if found:
                    yield found
        for span in self._name_matcher(doc, piece_matches):
            found = _found(span, span.label_, "pattern", known, scope)
            if found:
                yield found


def _found(span: Span, label: str, source: str, known: dict[str, Entity], scope: MentionScope) -> Candidate | None:
    """A name the patterns or the model found: linked to a known entity by its name, else a new entity."""
    tokens = _trimmed(span, by_tag=source == "ner")
    if source == "ner" and label == "PLACE" and tokens:
        tokens = with_place_tail(tokens)
    in_references = scope.in_references(span.start_char, span.end_char)
    if label == "ROLE" and source == "pattern":
        tokens = _role_tokens(with_role_modifiers(tokens)) if tokens else []
        if not tokens:
            return None
    if source == "pattern" and label != "ROLE":
        tokens = _last_of_coordinated(_without_title_words(_without_function_words(tokens), in_references), known)
        if len(tokens) < 2:
            return None
    if not tokens or not (label == "ROLE" or _plausible_name(tokens)) or (label != "ROLE" and runs_on(tokens)):
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text(span.doc)
    if text[:start].rstrip().endswith("]") or _AUTHOR_LIST.match(text, end):
        return None  # "[named] Hospitals NHS Trust" hides the name; "Society Erskine, Jonathan;" runs into authors
    surface = text[start:end]
    entity = known.get(name_key(surface)) or known.get(name_key(singular_name(surface)))
    if entity is not None:
        return Candidate(start, end, entity, rank=_KNOWN)
    if source == "pattern" and in_references and opens_cited_title(text, start):
        return None  # "Adeyemi, K. (2021). Troubled NHS scheme ...": the words open a work's title
    if source == "ner":
        if not _plausible_model_name(tokens, label) or (len(tokens) == 1 and scope.is_cited_author(surface)):
            return None
        model_label = _model_name_label(tokens, surface, label) if len(tokens) > 1 else label
        if model_label is None:
            return None
        label = model_label
    last = tokens[-1]
    plural = (last.tag_ in ("NNS", "NNPS") and (source == "pattern" or last.is_lower)) or (
        source == "pattern" and label == "ROLE" and re.search(r"[^s]s$", last.lower_) is not None) or (
        source == "ner" and _prints_singular(text, surface))
    name = _found_name(surface, plural, label)
    rank = _PATTERN if source == "pattern" else _MODEL
    return Candidate(start, end, Entity(name, label, (surface,), source=source), rank=rank)


def _prints_singular(text: str, surface: str) -> bool:
    """The text also prints the name in the singular ("Integrated Care Provider" beside "... Providers"),
    so its last word is a plural, not a name that ends in s ("Wales")."""
    singular = singular_name(collapse_spaces(surface))
    return singular != surface and re.search(rf"(?<![\w-]){re.escape(singular)}(?![\w-])", text) is not None


def _trimmed(span: Span, by_tag: bool) -> list:
    """The span's tokens without leading or trailing words that are no part of a name
    ("the Trust's"): stop words, punctuation, possessives; and, `by_tag`, words the tagger
    says no name is made of (an adverb opening the sentence: "Later the Department")."""
    tokens = list(span)
    while tokens and (_edge(tokens[0], by_tag) or (by_tag and tokens[0].pos_ in _NOT_NAME_POS
                                                   and _opens_sentence(tokens[0]))):
        tokens.pop(0)
    while tokens and (_edge(tokens[-1], by_tag) or tokens[-1].text in ("'s", "’s")):
        tokens.pop()
    return tokens


def _role_tokens(tokens: list) -> list:
    """A role without evaluative adjectives before it ("a less enthusiastic manager" is no role),
    and none cut out of a longer phrase ("end of life care leads")."""
    first = tokens[0]
    if first.i >= 2 and first.doc[first.i - 1].lower_ == "of" and first.doc[first.i - 2].pos_ in ("NOUN", "PROPN"):
        return []
    while len(tokens) > 1 and tokens[0].pos_ == "ADJ" and tokens[0].lower_ not in _ROLE_ADJECTIVES:
        tokens = tokens[1:]
    return tokens if len(tokens) > 1 or tokens[0].lower_.startswith("policy") else []


def _last_of_coordinated(tokens: list, known: dict[str, Entity]) -> list:
    """"MCPs and PACS Vanguard" names the PACS vanguard: where the words before an "and" are
    a known name or an acronym on their own, the name is what follows. ("Health and Social
    Care Act" stays whole.)"""
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i].lower_ in ("and", "&"):
            before = "".join(t.text_with_ws for t in tokens[:i]).strip()
            acronym = " " not in before and looks_like_acronym(before)
            if acronym or name_key(before) in known or name_key(singular_name(before)) in known:
                return tokens[i + 1 :]
    return tokens


def _without_title_words(tokens: list, in_references: bool) -> list:
    """A pattern match without what merely precedes the name: a title's "Evaluation of the"
    ("Local Evaluation of Morecambe Bay PACS Vanguard"), a sentence's "Staff of". A common word opening the sentence
    before the head alone ("Sampling strategy"), or a name ending in "of" ("Aim of
    programme", "Senior Manager, CCG"), leaves no name; in a reference list such a title is a document's name."""
    if len(tokens) == 2 and not in_references and _opens_sentence(tokens[0]) and _written_in_lower_case(tokens[0]):
        return tokens[1:]
    if in_references and tokens[0].pos_ == "ADJ" and _written_in_lower_case(tokens[0]):
        return []  # a title's "Complex programme evaluation", "Contentious NHS scheme"
    if _shouted(tokens):
        return []  # a heading in capitals: "NHS ENGLAND SUPPORT TO THE VANGUARDS"
    if len(tokens) > 2 and ((tokens[-2].is_lower and tokens[-2].is_stop) or tokens[-2].is_punct):
        return []  # "Aim of programme": the name ends before the head
    for i, token in enumerate(tokens[1:-2], start=1):
        opener = i == 1 and _opens_sentence(tokens[0])
        if token.lower_ == "of" and (opener or _ACTION_NOUN.search(tokens[i - 1].lower_)):
            rest = tokens[i + 1 :]
            return rest[1:] if rest and rest[0].lower_ == "the" else rest
    return tokens


def _without_function_words(tokens: list) -> list:
    """A pattern match without a preposition, conjunction or determiner opening it, whatever its
    case: a sentence's "Alongside the Regional ..." or a heading's "Towards a ..."."""
    while tokens and tokens[0].pos_ in _FUNCTION_POS:
        tokens = tokens[1:]
    return tokens


def _edge(token, by_tag: bool) -> bool:
    """A stop word, punctuation, or (`by_tag`) a lower-case word of a kind no name is made of."""
    return (token.is_stop or token.is_punct or token.is_space or token.lower_ in _EDGE_WORDS
            or (by_tag and token.pos_ in _NOT_NAME_POS and token.is_lower))


def _opens_sentence(token) -> bool:
    return starts_sentence(doc_text(token.doc), token.idx)


def _lower_case_words(doc: Doc) -> frozenset[str]:
    """Every word the document writes in lower case, collected once."""
    if "lower_words" not in doc.user_data:
        doc.user_data["lower_words"] = frozenset(re.findall(r"\b[a-z][a-z'’-]*\b", doc_text(doc)))
    return doc.user_data["lower_words"]


def _plausible_name(tokens: list) -> bool:
    """A proper name on one line: some capitalised word, letters, few tokens, no figures or addresses."""
    text = "".join(t.text_with_ws for t in tokens).strip()
    if "\n" in text or len(tokens) > _MAX_FOUND_TOKENS or sum(c.isalpha() for c in text) < 2:
        return False
    if any(t.like_url or t.like_email or (t.like_num and not t.is_alpha) for t in tokens):
        return False
    return any(t.text[:1].isupper() for t in tokens if not t.is_stop) or tokens[-1].pos_ == "NOUN"


def _plausible_model_name(tokens: list, label: str) -> bool:
    """What the model reads as a name is kept only if it looks like one: no citation ("Horton et al"),
    no punctuation inside but hyphens and apostrophes, no figures outside a law, and a single word
    only if it is a place the document never writes in lower case (nor its singular), no
    acronym (an undefined, unknown one is initials or a disease: "MT", "COVID") and no
    people's adjective ("English").
    """
    words = {t.lower_ for t in tokens}
    if "et" in words and ("al" in words or "al." in words):
        return False
    if any(t.is_punct and t.text not in _NAME_PUNCTUATION for t in tokens):
        return False
    if any(re.fullmatch(r"[A-Z]\.?", t.text) for t in tokens):
        return False  # an initial: a person ("J. Smith") or a list item ("B. Fragmentation")
    if label != "POLICY" and any(c.isdigit() for t in tokens for c in t.text):
        return False
    surface = "".join(t.text_with_ws for t in tokens).strip()
    if " - " in surface or _shouted(tokens):
        return False  # a table's "Title - Concise", a heading in capitals
    if _opens_sentence(tokens[0]) and all(_written_in_lower_case(t) for t in tokens if not t.is_stop):
        return False  # a heading or table cell of common words: "Complete List of Authors"
    if len(tokens) == 1:
        token = tokens[0]
        common = _written_in_lower_case(token) or singular_word(token.lower_) in _lower_case_words(token.doc)
        place = label == "PLACE" and token.pos_ == "PROPN" and not singular_acronym(token.text).isupper()
        return place and not _opens_sentence(token) and not common and not _DEMONYM.search(token.text)
    return True


def _shouted(tokens: list) -> bool:
    """Words in capitals of which most are stop words or words the document also writes in lower case:
    a heading ("NHS ENGLAND SUPPORT TO THE VANGUARDS"), not a name of acronyms ("NHS CCG")."""
    words = [t for t in tokens if t.is_alpha]
    common = sum(t.is_stop or _written_in_lower_case(t) for t in words)
    return bool(words) and all(t.is_upper for t in words) and 2 * common > len(words)


def _written_in_lower_case(token) -> bool:
    """The document also writes the word in lower case: a common word, not a name ("Stakeholder")."""
    return token.lower_ in _lower_case_words(token.doc)


def _model_name_label(tokens: list, surface: str, label: str) -> str | None:
    """The label of a name of several words the model found, or None where it names nothing here.

    A place and a law keep the model's label. An organisation, product or event must end in a
    head noun that names a kind of body, programme, policy or role ("... Trust", "... Programme",
    "... Pathway"), which gives the label: "Wi-Fi", "Tremayne Building", "National Evaluation"
    and "Complete List of Authors" name none. A name opening with a capitalised gerund
    mid-sentence whose head names no body ("Transforming Rural Care") is an initiative.
    """
    if label == "PLACE":
        return label
    head = _head_label(surface)
    if label == "POLICY":
        return head or label
    words = surface.lower().split()
    if head not in (None, "ORG") or (head == "ORG" and singular_word(words[head_index(words)]) not in _SERVICE_HEADS):
        return head
    first = tokens[0]
    return "PROGRAMME" if _GERUND.search(first.text) and not _opens_sentence(first) else None


def _head_label(name: str) -> str | None:
    """The label the head noun gives, if it gives one (a "... Programme" is a programme)."""
    label = guess_label(name)
    return None if label == "TERM" else label


def _found_name(surface: str, plural: bool, label: str) -> str:
    """One canonical name for a found surface: singular when the last word is a plural noun, case settled."""
    name = collapse_spaces(surface)
    if plural:
        words = name.split(" ")
        if not words[-1].isupper():
            words[-1] = singular_word(words[-1])
        name = " ".join(words)
    return role_case(name) if label == "ROLE" else title_case(name)


class _DocumentAcronyms:
    """What each acronym stands for in one document, and where it was defined.

    An acronym defined twice with different meanings takes the nearest definition
    before the use; a use before any definition takes the first definition.
    """

    def __init__(self, resolved: Iterable[tuple[AcronymDefinition, Entity]]):
        self._entities: dict[str, Entity] = {}
        self._printed: dict[str, list[str]] = {}
        self._places: dict[str, list[tuple[int, str]]] = {}
        self._definitions: list[tuple[AcronymDefinition, str]] = []
        for definition, entity in resolved:
            merged = _merge(self._entities.get(entity.canonical, entity), definition)
            self._entities[entity.canonical] = merged
            self._definitions.append((definition, entity.canonical))
            printed = self._printed.setdefault(entity.canonical, [])
            printed.extend(f for f in (definition.long_form, definition.printed_form, definition.acronym) if f)
            for form in _acronym_forms(definition.acronym):
                self._places.setdefault(form, []).append((definition.char_start, entity.canonical))

    def entities(self) -> list[Entity]:
        """Every entity the document's definitions name, with the names they added."""
        return list(self._entities.values())

    def entity(self, canonical: str) -> Entity | None:
        """This document's version of an entity (with the names it defined), if it defined one."""
        return self._entities.get(canonical)

    def printed(self, canonical: str) -> tuple[str, ...]:
        """The long forms and acronyms this document printed in its definitions of an entity."""
        return tuple(dict.fromkeys(collapse_spaces(f) for f in self._printed.get(canonical, ())))

    def entity_for(self, acronym: str, position: int) -> Entity | None:
        """The entity `acronym` stands for at `position`, or None if the document never defines it."""
        places = self._places.get(acronym)
        if not places:
            return None
        index = max(bisect_right([start for start, _ in places], position) - 1, 0)
        return self._entities[places[index][1]]

    def candidates(self, doc: Doc) -> Iterator[Candidate]:
        """The definitions' long forms, and every token that is an acronym the document defines."""
        for definition, canonical in self._definitions:
            yield Candidate(definition.long_start, definition.long_end, self._entities[canonical], rank=_DEFINED)
        if not self._places:
            return
        matcher = PhraseMatcher(doc.vocab)  # per document: each defines its own acronyms
        matcher.add("ACRONYM", [Doc(doc.vocab, words=[form]) for form in self._places])
        for _, start, end in matcher(doc):
            span = doc[start:end]
            entity = self.entity_for(span.text, span.start_char)
            if entity is not None:
                yield Candidate(span.start_char, span.end_char, entity, rank=_DEFINED)


def _long_form_repeats(text: str, entities: Iterable[Entity]) -> Iterator[Candidate]:
    """Later uses of long forms the gazetteer does not know ("the North East Transformation System")."""
    for entity in entities:
        for match in _names_pattern(entity.names).finditer(text):
            yield Candidate(match.start(), match.end(), entity, rank=_DEFINED)


def load_gazetteer(path: Path) -> tuple[Entity, ...]:
    """Read and check the gazetteer YAML; plurals of countable names are added here."""
    raw = load_rule_file(path, "entities", "gazetteer", GazetteerError)
    entities = tuple(_parse_entry(entry, f"{path}: entry {i + 1}") for i, entry in enumerate(raw["entities"]))
    _check_unique(entities, path)
    return entities


def build_pipeline(entities: Iterable[Entity]) -> Language:
    """The packaged English model with an EntityRuler of `entities` before its NER.

    The NER keeps what the ruler found and only labels the rest. The ruler compares
    gazetteer names by NORM, which here is the lower-cased word except for the gazetteer's
    acronyms, which keep their case: one fast PhraseMatcher then matches "clinical
    commissioning groups", "CLINICAL COMMISSIONING GROUPS" and "CCGs" but never "ccgs" or
    "acc". Names marked case-sensitive are token patterns compared by exact spelling.
    """
    entities = tuple(entities)
    nlp = load_statistical_model()
    nlp.max_length = _MAX_CHARS
    _split_markup(nlp)
    _keep_case_of(nlp, _acronym_words(nlp, entities))
    patterns = [pattern for entity in entities for pattern in _patterns(nlp, entity)]
    if patterns:
        ruler: Any = nlp.add_pipe("entity_ruler", before="ner",
                                  config={"phrase_matcher_attr": "NORM", "validate": False})
        # The ruler compares NORM, which the tokenizer alone sets; left enabled, spaCy would run
        # the tagger and the word-class rules over every name to build the phrase patterns.
        with nlp.select_pipes(disable=nlp.pipe_names):
            ruler.add_patterns(patterns)
    return nlp


def new_entity(definition: AcronymDefinition, head_is_plural: bool = True) -> Entity:
    """An entity for a long form the gazetteer does not know, labelled from its head noun.

    `head_is_plural` is what the tagger says of the head word: "Wales" in "Health and Care
    Research Wales (HCRW)" ends in an s but is no plural.
    """
    long_form = _with_body_head(collapse_spaces(definition.long_form), definition.printed_form)
    canonical = _canonical_name(long_form, definition.singular, definition.is_plural, head_is_plural)
    printed = [collapse_spaces(definition.printed_form)] if definition.printed_form else []
    names = tuple(dict.fromkeys((canonical, long_form, *printed, plural_name(canonical))))
    return Entity(canonical, guess_label(long_form), names, tuple(_acronym_forms(definition.acronym)), source="acronym")


def _with_body_head(long_form: str, printed_form: str | None) -> str:
    """The long form with the word naming the kind of body that the acronym leaves out, when the
    name printed before the bracket ends in one: "West Coast Analytics Support Unit (WCAS)"
    names a unit. Other words left out stay out ("Urgent and Emergency Care Vanguard (UEC)")."""
    printed = collapse_spaces(printed_form or "")
    at = printed.find(long_form)
    rest = printed[at + len(long_form) :].split() if at >= 0 else []
    if len(rest) == 1 and rest[0][:1].isupper() and guess_label(rest[0]) == "ORG":
        return f"{long_form} {rest[0]}"
    return long_form


def _canonical_name(long_form: str, singular: str, plural: bool, head_is_plural: bool) -> str:
    """Singular and capitalised, so one entity gets one name however a document inflects it.

    The head noun is made singular when the acronym is plural ("ACOs") or ends with the
    head's own initial ("multidisciplinary teams (MDT)"); a final letter from inside
    the head ("Centres (CHOCS)") means the acronym spells the plural, which is kept.
    """
    words = long_form.split(" ")
    head = head_index(words)
    spelled_singular = head == len(words) - 1 and singular[-1:].lower() == words[head][:1].lower()
    if plural or (spelled_singular and head_is_plural):
        long_form = singular_name(long_form)
    return title_case(long_form)


def guess_label(long_form: str) -> str:
    """The label the head noun gives; TERM for a defined term that names no body, programme,
    policy or role ("Chronic Obstructive Pulmonary Disease (COPD)")."""
    lowered = collapse_spaces(long_form.lower())
    for phrase, label in _PHRASE_LABELS:
        if phrase in lowered:
            return label
    words = lowered.split(" ")
    head = words[head_index(words)]
    forms = {head, singular_word(head)}  # "Wales" is no plural of "wale"
    return next((label for label, heads in _HEAD_LABELS.items() if forms & heads), "TERM")


def _acronym_forms(acronym: str) -> list[str]:
    """An acronym's singular and plural ("PCN", "PCNs"); one form if it ends in a capital S."""
    singular = singular_acronym(acronym)
    forms = [singular] if singular.endswith("S") else [singular, singular + "s"]
    return list(dict.fromkeys([*forms, acronym]))


def _merge(entity: Entity, definition: AcronymDefinition) -> Entity:
    """`entity` with the long form and acronym forms a definition adds, if they are new."""
    known = {name.lower() for name in entity.names}
    printed = (definition.long_form, definition.printed_form) if definition.printed_form else (definition.long_form,)
    names = (*entity.names, *(collapse_spaces(f) for f in printed if f.lower() not in known))
    acronyms = tuple(dict.fromkeys([*entity.acronyms, *_acronym_forms(definition.acronym)]))
    return replace(entity, names=names, acronyms=acronyms)


def _parse_entry(raw: object, where: str) -> Entity:
    """One gazetteer entry, checked, with plural forms added when it is countable."""
    entry = validated(GazetteerEntry, raw, where, GazetteerError)
    canonical, label = entry.canonical, entry.label
    if label not in LABELS:
        raise GazetteerError(f"{where} ({canonical}): label must be one of {', '.join(LABELS)}, got {label!r}")
    names = [canonical, *(collapse_spaces(v) for v in entry.names)]
    acronyms = [collapse_spaces(v) for v in entry.acronyms]
    if entry.countable:
        names += [plural_name(name) for name in names]
        acronyms += [a + "s" for a in acronyms if not a.endswith(("S", "s"))]
    return Entity(
        canonical=canonical,
        label=label,
        names=tuple(dict.fromkeys(names)),
        acronyms=tuple(dict.fromkeys(acronyms)),
        case_sensitive=entry.case_sensitive,
    )


def _check_unique(entities: tuple[Entity, ...], path: Path) -> None:
    """One canonical name per entity, and no long form claimed by two entities."""
    owners: dict[str, str] = {}
    canonicals: set[str] = set()
    for entity in entities:
        if entity.canonical in canonicals:
            raise GazetteerError(f"{path}: canonical name {entity.canonical!r} is used twice")
        canonicals.add(entity.canonical)
        for name in entity.names:
            owner = owners.setdefault(name_key(name), entity.canonical)
            if owner != entity.canonical:
                raise GazetteerError(f"{path}: name {name!r} belongs to both {owner!r} and {entity.canonical!r}")


def _name_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    """Long forms by normalised key, to join a document's definition to a gazetteer entity."""
    return {name_key(name): entity for entity in entities for name in entity.names}


def _split_markup(nlp: Language) -> None:
    """Teach the tokenizer to split extraction markup and footnote markers off words."""
    tokenizer: Any = nlp.tokenizer  # spaCy's type hints do not know the Tokenizer's attributes
    tokenizer.prefix_search = compile_prefix_regex((*_MARKUP_AFFIXES, *(nlp.Defaults.prefixes or ()))).search
    tokenizer.suffix_search = compile_suffix_regex((*_MARKUP_AFFIXES, *(nlp.Defaults.suffixes or ()))).search


def _acronym_words(nlp: Language, entities: Iterable[Entity]) -> frozenset[str]:
    """Words whose case matters: name words with two capitals ("NHS", "GPs", "PbR"), acronym words."""
    words = set()
    for entity in entities:
        for token in (t for name in entity.names for t in nlp.make_doc(name)):
            if sum(c.isupper() for c in token.text) >= 2:
                words.add(token.text)
        for token in (t for acronym in entity.acronyms for t in nlp.make_doc(acronym)):
            if any(c.isupper() for c in token.text):
                words.add(token.text)
    return frozenset(words)


def _keep_case_of(nlp: Language, words: frozenset[str]) -> None:
    """Make NORM keep the case of `words` and lower-case everything else (as spaCy's NORM does)."""
    vocab: Any = nlp.vocab  # spaCy's type hints do not know lex_attr_getters
    lower_norm = vocab.lex_attr_getters[NORM]

    def norm(word: str) -> str:
        return word if word in words else lower_norm(word)

    vocab.lex_attr_getters[NORM] = norm
    for lexeme in nlp.vocab:  # words the vocabulary already holds got the old norm
        lexeme.norm_ = norm(lexeme.orth_)


def _patterns(nlp: Language, entity: Entity) -> Iterator[dict]:
    """Phrase patterns matched on NORM; token patterns by exact spelling for case-sensitive names."""
    for name in entity.names:
        if entity.case_sensitive:
            pattern: str | list[dict] = [{"ORTH": token.text} for token in nlp.make_doc(name)]
        else:
            pattern = name
        yield {"label": entity.label, "id": entity.canonical, "pattern": pattern}
    for acronym in entity.acronyms:
        yield {"label": entity.label, "id": entity.canonical, "pattern": acronym}


def _names_pattern(names: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({r"\s+".join(map(re.escape, name.split())) for name in names}, key=len, reverse=True)
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])", re.IGNORECASE)


def _best_reading(candidates: Iterable[Candidate]) -> list[Candidate]:
    """One reading of overlapping spans.

    What the document or the gazetteer says comes first, the longest span among those, the
    document's own reading on a tie. A name pattern then takes what is free, or replaces
    known names it wraps whole: the longer name is the more specific thing ("Northumberland
    CCG" around "CCG", "STP leads" around "STP"); where it only crosses a known name ("EHCH
    Framework and the Network Contract" across "Network Contract DES") it is dropped. The
    model fills what is left.
    """
    candidates = list(candidates)
    # Kept spans never overlap, so in order of start they are in order of end too, and the
    # ones a pattern crosses are the last few that start before it ends.
    kept = sorted(_longest_first([c for c in candidates if c.rank < _PATTERN], []), key=lambda c: c.start)
    starts = [k.start for k in kept]
    for pattern in sorted((c for c in candidates if c.rank == _PATTERN), key=lambda c: (c.start - c.end, c.start)):
        stop = first = bisect_left(starts, pattern.end)
        while first > 0 and kept[first - 1].end > pattern.start:
            first -= 1
        if all(k.rank < _PATTERN and pattern.start <= k.start and k.end <= pattern.end for k in kept[first:stop]):
            kept[first:stop] = [pattern]
            starts[first:stop] = [pattern.start]
    kept = _longest_first([c for c in candidates if c.rank == _MODEL], kept)
    return sorted(kept, key=lambda c: c.start)


def _longest_first(candidates: list[Candidate], kept: list[Candidate]) -> list[Candidate]:
    """`kept` with every candidate added, longest first, that overlaps nothing kept."""
    taken = {i for c in kept for i in range(c.start, c.end)}
    kept = list(kept)
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        span = range(candidate.start, candidate.end)
        if not taken.intersection(span):
            taken.update(span)
            kept.append(candidate)
    return kept


def _to_mentions(text: str, candidates: list[Candidate], acronyms: _DocumentAcronyms) -> list[Mention]:
    """Mentions whose aliases are only what the document printed: a surface is added by the store."""
    return [
        Mention(
            canonical=c.entity.canonical,
            label=c.entity.label,
            surface=text[c.start : c.end],
            char_start=c.start,
            char_end=c.end,
            aliases=acronyms.printed(c.entity.canonical),
            source=c.entity.source,
        )
        for c in candidates
    ]
