"""Policy entities in a document: organisations, programmes, care models, policies and roles.

Two sources are joined per document. A spaCy EntityRuler built from the gazetteer
(`gazetteer.yaml`) knows the field's vocabulary; the acronym definitions the document
makes itself ("Primary Care Networks (PCNs)", see `acronyms.py`) add what the gazetteer
lacks and decide what an acronym means in this document. Nothing needs a downloaded
spaCy model: the pipeline is `spacy.blank("en")` plus the ruler.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import spacy
import yaml
from spacy.attrs import NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import compile_prefix_regex, compile_suffix_regex

from ingest.acronyms import SMALL_WORDS, AcronymDefinition, find_acronym_definitions, singular_acronym
from ingest.records import Mention

LABELS = ("ORG", "PROGRAMME", "CARE_MODEL", "POLICY", "ROLE")
DEFAULT_GAZETTEER = Path(__file__).with_name("gazetteer.yaml")
DEFAULT_BATCH_SIZE = 8
# spaCy refuses texts over 1M characters to protect the parser's memory; this pipeline
# has no parser (tokenizer and matcher are linear), so long reports are safe.
_MAX_CHARS = 50_000_000
# Extraction markup and footnote markers glued to words ("*Long-Term Plan*²⁰",
# "<i>Care Quality Commission</i>", "Plan^{17(p24)}") would hide a name from the ruler.
_MARKUP_AFFIXES = (r"\*+", r"_+", r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻⁺]+", r"\^\{[^}\s]*\}", r"</?[A-Za-z]+>")
_PREPOSITIONS = frozenset({"of", "with", "for", "in", "on"})
_ENTRY_KEYS = frozenset({"canonical", "label", "names", "acronyms", "countable", "case_sensitive"})
# The head noun of a long form the gazetteer does not know decides its label;
# anything else is an organisation.
_HEAD_LABELS = {
    "ROLE": {
        "manager", "lead", "officer", "director", "nurse", "practitioner", "pharmacist", "worker",
        "coordinator", "co-ordinator", "commissioner", "clinician", "doctor", "consultant",
        "therapist", "assistant", "champion", "navigator", "matron", "paramedic",
    },
    "POLICY": {
        "plan", "view", "framework", "contract", "strategy", "act", "policy", "specification",
        "guidance", "standard", "review", "tariff", "agreement", "target", "paper", "bill",
    },
    "PROGRAMME": {"programme", "program", "project", "initiative", "pilot", "scheme", "fund", "campaign"},
    "CARE_MODEL": {"model"},
}  # fmt: skip
_PHRASE_LABELS = (("enhanced service", "POLICY"), ("model of care", "CARE_MODEL"))


class GazetteerError(ValueError):
    """The gazetteer file cannot be read, is not YAML, or holds a malformed entry."""


@dataclass(frozen=True)
class Entity:
    """One canonical entity with every surface name it is known by.

    `names` are long forms (matched case-insensitively unless `case_sensitive`),
    `acronyms` are matched exactly as written.
    """

    canonical: str
    label: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...] = ()
    case_sensitive: bool = False

    @property
    def aliases(self) -> tuple[str, ...]:
        """All surface names, long forms first: what the store keeps as the entity's aliases."""
        return self.names + self.acronyms


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    entity: Entity
    rank: int  # 0 for what the document itself defines, 1 for the gazetteer: wins ties


class EntityExtractor:
    """Finds policy entities in normalised document texts; build once, use for many documents."""

    def __init__(self, gazetteer_path: Path | None = None):
        """Load the gazetteer and build the spaCy pipeline, once, since both are costly."""
        self._entities = {e.canonical: e for e in load_gazetteer(gazetteer_path or DEFAULT_GAZETTEER)}
        self._by_key = _name_index(self._entities.values())
        self._nlp = build_pipeline(self._entities.values())

    @property
    def entities(self) -> tuple[Entity, ...]:
        """The gazetteer's entities, for a store that wants to register them up front."""
        return tuple(self._entities.values())

    def extract(self, text: str) -> list[Mention]:
        """The entity mentions of one document's text, in reading order."""
        return next(self.extract_many([text]))

    def extract_many(self, texts: Iterable[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Iterator[list[Mention]]:
        """Mentions for each text in turn; texts go through spaCy in batches for speed."""
        for doc in self._nlp.pipe(texts, batch_size=batch_size):
            yield self._mentions(doc)

    def _mentions(self, doc: Doc) -> list[Mention]:
        """Join the ruler's matches with the document's own acronym definitions."""
        acronyms = _DocumentAcronyms(self._resolve(d) for d in find_acronym_definitions(doc.text))
        new = [e for e in acronyms.entities() if e.canonical not in self._entities]
        candidates = [
            *self._ruler_candidates(doc, acronyms),
            *acronyms.candidates(doc),
            *_long_form_repeats(doc.text, new),
        ]
        return _to_mentions(doc.text, _longest_first(candidates))

    def _resolve(self, definition: AcronymDefinition) -> tuple[AcronymDefinition, Entity]:
        """The entity a definition names: a gazetteer entity if the long form is known, else a new one."""
        known = self._by_key.get(_key(definition.long_form)) or self._by_key.get(
            _key(singular_name(definition.long_form))
        )
        return definition, known or new_entity(definition)

    def _ruler_candidates(self, doc: Doc, acronyms: _DocumentAcronyms) -> Iterator[_Candidate]:
        """Gazetteer matches, carrying any names this document added to the entity.

        Where the document defines an acronym itself, its own candidate for the same
        span outranks this one, so "STP" means what this document says it means.
        """
        for span in doc.ents:
            entity = acronyms.entity(span.ent_id_) or self._entities[span.ent_id_]
            yield _Candidate(span.start_char, span.end_char, entity, rank=1)


class _DocumentAcronyms:
    """What each acronym stands for in one document, and where it was defined.

    An acronym defined twice with different meanings takes the nearest definition
    before the use; a use before any definition takes the first definition.
    """

    def __init__(self, resolved: Iterable[tuple[AcronymDefinition, Entity]]):
        self._entities: dict[str, Entity] = {}
        self._places: dict[str, list[tuple[int, str]]] = {}
        self._definitions: list[tuple[AcronymDefinition, str]] = []
        for definition, entity in resolved:
            merged = _merge(self._entities.get(entity.canonical, entity), definition)
            self._entities[entity.canonical] = merged
            self._definitions.append((definition, entity.canonical))
            for form in _acronym_forms(definition.acronym):
                self._places.setdefault(form, []).append((definition.char_start, entity.canonical))

    def entities(self) -> list[Entity]:
        """Every entity the document's definitions name, with the names they added."""
        return list(self._entities.values())

    def entity(self, canonical: str) -> Entity | None:
        """This document's version of an entity (with the names it defined), if it defined one."""
        return self._entities.get(canonical)

    def entity_for(self, acronym: str, position: int) -> Entity | None:
        """The entity `acronym` stands for at `position`, or None if the document never defines it."""
        places = self._places.get(acronym)
        if not places:
            return None
        index = max(bisect_right([start for start, _ in places], position) - 1, 0)
        return self._entities[places[index][1]]

    def candidates(self, doc: Doc) -> Iterator[_Candidate]:
        """The definitions' long forms, and every token that is an acronym the document defines."""
        for definition, canonical in self._definitions:
            yield _Candidate(definition.long_start, definition.long_end, self._entities[canonical], rank=0)
        if not self._places:
            return
        matcher = PhraseMatcher(doc.vocab)  # per document: each defines its own acronyms
        matcher.add("ACRONYM", [Doc(doc.vocab, words=[form]) for form in self._places])
        for _, start, end in matcher(doc):
            span = doc[start:end]
            entity = self.entity_for(span.text, span.start_char)
            if entity is not None:
                yield _Candidate(span.start_char, span.end_char, entity, rank=0)


def _long_form_repeats(text: str, entities: Iterable[Entity]) -> Iterator[_Candidate]:
    """Later uses of long forms the gazetteer does not know ("the North East Transformation System")."""
    for entity in entities:
        for match in _names_pattern(entity.names).finditer(text):
            yield _Candidate(match.start(), match.end(), entity, rank=0)


def load_gazetteer(path: Path) -> tuple[Entity, ...]:
    """Read and check the gazetteer YAML; plurals of countable names are added here."""
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise GazetteerError(f"cannot read gazetteer {path}: {error}") from error
    except yaml.YAMLError as error:
        raise GazetteerError(f"gazetteer {path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict) or not isinstance(raw.get("entities"), list):
        raise GazetteerError(f"gazetteer {path} must be a mapping with an 'entities' list")
    entities = tuple(_parse_entry(entry, f"{path}: entry {i + 1}") for i, entry in enumerate(raw["entities"]))
    _check_unique(entities, path)
    return entities


def build_pipeline(entities: Iterable[Entity]) -> Language:
    """A blank English pipeline whose only component is an EntityRuler of `entities`.

    The ruler compares tokens by NORM, which here is the lower-cased word except for the
    gazetteer's acronyms, which keep their case: one fast PhraseMatcher then matches
    "clinical commissioning groups", "CLINICAL COMMISSIONING GROUPS" and "CCGs" but never
    "ccgs" or "acc". Names marked case-sensitive are the few token patterns compared by
    exact spelling.
    """
    entities = tuple(entities)
    nlp = spacy.blank("en")
    nlp.max_length = _MAX_CHARS
    _split_markup(nlp)
    _keep_case_of(nlp, _acronym_words(nlp, entities))
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM", "validate": False})
    ruler.add_patterns([pattern for entity in entities for pattern in _patterns(nlp, entity)])
    return nlp


def new_entity(definition: AcronymDefinition) -> Entity:
    """An entity for a long form the gazetteer does not know, labelled from its head noun."""
    long_form = " ".join(definition.long_form.split())
    canonical = _canonical_name(long_form, definition.singular, definition.is_plural)
    names = tuple(dict.fromkeys((canonical, long_form, plural_name(canonical))))
    return Entity(canonical, guess_label(long_form), names, tuple(_acronym_forms(definition.acronym)))


def _canonical_name(long_form: str, singular: str, plural: bool) -> str:
    """Singular and capitalised, so one entity gets one name however a document inflects it.

    The head noun is made singular when the acronym is plural ("ACOs") or ends with the
    head's own initial ("multidisciplinary teams (MDT)"); a final letter from inside
    the head ("Centres (CHOCS)") means the acronym spells the plural, which is kept.
    """
    words = long_form.split(" ")
    head = _head_index(words)
    if plural or (head == len(words) - 1 and singular[-1:].lower() == words[head][:1].lower()):
        long_form = singular_name(long_form)
    return _title(long_form)


def guess_label(long_form: str) -> str:
    """ROLE, POLICY, PROGRAMME or CARE_MODEL when the head noun says so; ORG otherwise."""
    lowered = " ".join(long_form.lower().split())
    for phrase, label in _PHRASE_LABELS:
        if phrase in lowered:
            return label
    words = lowered.split(" ")
    head = singular_name(words[_head_index(words)])
    return next((label for label, heads in _HEAD_LABELS.items() if head in heads), "ORG")


def plural_name(name: str) -> str:
    """English plural of a name's head noun ("care home" -> "care homes", "director of X" -> "directors of X")."""
    words = name.split(" ")
    head = _head_index(words)
    words[head] = _plural_word(words[head])
    return " ".join(words)


def singular_name(name: str) -> str:
    """English singular of a name's head noun ("Primary Care Networks" -> "Primary Care Network")."""
    words = name.split(" ")
    head = _head_index(words)
    words[head] = _singular_word(words[head])
    return " ".join(words)


def _head_index(words: list[str]) -> int:
    """The head noun: the word before the first preposition ("director of ..."), else the last word."""
    for i, word in enumerate(words[1:], start=1):
        if word.lower() in _PREPOSITIONS:
            return i - 1
    return len(words) - 1


def _plural_word(word: str) -> str:
    if re.search(r"[^aeiou]y$", word, re.IGNORECASE):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word, re.IGNORECASE):
        return word + "es"
    return word + "s"


def _singular_word(word: str) -> str:
    if re.search(r"[^aeiou]ies$", word, re.IGNORECASE):
        return word[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", word, re.IGNORECASE):
        return word[:-2]
    if re.search(r"[^s]s$", word, re.IGNORECASE) and len(word) > 3:
        return word[:-1]
    return word


def _title(name: str) -> str:
    """Capitalise every word but small ones, so one entity gets one canonical name across documents."""
    words = name.split(" ")
    return " ".join(
        w if (i and w.lower() in SMALL_WORDS) or not w[:1].isalpha() else w[0].upper() + w[1:]
        for i, w in enumerate(words)
    )


def _acronym_forms(acronym: str) -> list[str]:
    """An acronym's singular and plural ("PCN", "PCNs"); one form if it ends in a capital S."""
    singular = singular_acronym(acronym)
    forms = [singular] if singular.endswith("S") else [singular, singular + "s"]
    return list(dict.fromkeys([*forms, acronym]))


def _merge(entity: Entity, definition: AcronymDefinition) -> Entity:
    """`entity` with the long form and acronym forms a definition adds, if they are new."""
    known = {name.lower() for name in entity.names}
    names = entity.names if definition.long_form.lower() in known else (*entity.names, definition.long_form)
    acronyms = tuple(dict.fromkeys([*entity.acronyms, *_acronym_forms(definition.acronym)]))
    return replace(entity, names=names, acronyms=acronyms)


def _parse_entry(raw: object, where: str) -> Entity:
    """One gazetteer entry, checked, with plural forms added when it is countable."""
    if not isinstance(raw, dict):
        raise GazetteerError(f"{where}: must be a mapping, got {type(raw).__name__}")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise GazetteerError(f"{where}: unknown keys {sorted(unknown)}")
    canonical, label = raw.get("canonical"), raw.get("label")
    if not isinstance(canonical, str) or not canonical.strip():
        raise GazetteerError(f"{where}: 'canonical' must be a non-empty string")
    if label not in LABELS:
        raise GazetteerError(f"{where} ({canonical}): label must be one of {', '.join(LABELS)}, got {label!r}")
    names = [canonical, *_strings(raw, "names", where)]
    acronyms = _strings(raw, "acronyms", where)
    countable = _flag(raw, "countable", where)
    if countable:
        names += [plural_name(name) for name in names]
        acronyms += [a + "s" for a in acronyms if not a.endswith(("S", "s"))]
    return Entity(
        canonical=canonical,
        label=label,
        names=tuple(dict.fromkeys(names)),
        acronyms=tuple(dict.fromkeys(acronyms)),
        case_sensitive=_flag(raw, "case_sensitive", where),
    )


def _strings(raw: dict, key: str, where: str) -> list[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise GazetteerError(f"{where}: '{key}' must be a list of non-empty strings")
    return [" ".join(v.split()) for v in value]


def _flag(raw: dict, key: str, where: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise GazetteerError(f"{where}: '{key}' must be true or false")
    return value


def _check_unique(entities: tuple[Entity, ...], path: Path) -> None:
    """One canonical name per entity, and no long form claimed by two entities."""
    owners: dict[str, str] = {}
    canonicals: set[str] = set()
    for entity in entities:
        if entity.canonical in canonicals:
            raise GazetteerError(f"{path}: canonical name {entity.canonical!r} is used twice")
        canonicals.add(entity.canonical)
        for name in entity.names:
            owner = owners.setdefault(_key(name), entity.canonical)
            if owner != entity.canonical:
                raise GazetteerError(f"{path}: name {name!r} belongs to both {owner!r} and {entity.canonical!r}")


def _name_index(entities: Iterable[Entity]) -> dict[str, Entity]:
    """Long forms by normalised key, to join a document's definition to a gazetteer entity."""
    return {_key(name): entity for entity in entities for name in entity.names}


def _key(name: str) -> str:
    """Case, hyphens, markup and '&' do not distinguish names: "Long-Term Plan" == "long term plan"."""
    return " ".join(re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ")))


def _split_markup(nlp: Language) -> None:
    """Teach the tokenizer to split extraction markup and footnote markers off words."""
    tokenizer = nlp.tokenizer
    tokenizer.prefix_search = compile_prefix_regex((*_MARKUP_AFFIXES, *nlp.Defaults.prefixes)).search
    tokenizer.suffix_search = compile_suffix_regex((*_MARKUP_AFFIXES, *nlp.Defaults.suffixes)).search


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
    lower_norm = nlp.vocab.lex_attr_getters[NORM]

    def norm(word: str) -> str:
        return word if word in words else lower_norm(word)

    nlp.vocab.lex_attr_getters[NORM] = norm
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


def _longest_first(candidates: Iterable[_Candidate]) -> list[_Candidate]:
    """Keep the longest of overlapping spans (the document's own reading on a tie), each span once."""
    taken: set[int] = set()
    kept = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start)):
        span = range(candidate.start, candidate.end)
        if not taken.intersection(span):
            taken.update(span)
            kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)


def _to_mentions(text: str, candidates: list[_Candidate]) -> list[Mention]:
    return [
        Mention(
            canonical=c.entity.canonical,
            label=c.entity.label,
            surface=text[c.start : c.end],
            char_start=c.start,
            char_end=c.end,
            aliases=c.entity.aliases,
        )
        for c in candidates
    ]
