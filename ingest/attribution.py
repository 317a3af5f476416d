"""Parse a printed attribution into a canonical respondent code, its facets and its kind of source.

Every study writes respondent codes its own way, so the conventions live in a data file
(`respondent_schemes.yaml`): a user adds a study's convention there without touching Python.
A citation ("(NHS England 2015 p4)", "¹⁷(p20)") marks a quotation from a document, which names
no respondent; anything unrecognised is kept verbatim under the scheme `raw`, never dropped.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.config_models import validated
from ingest.errors import ConfigError
from ingest.records import Attribution
from ingest.rule_files import SchemeEntry, load_rule_file
from ingest.text.whitespace import collapse_spaces

SCHEMES_FILE = Path(__file__).with_name("respondent_schemes.yaml")
RAW_SCHEME = "raw"
SOURCE_KINDS = ("interview", "document")

NUMBERED_CITATION_SCHEME = "numbered_citation"
_NUMBERED_CITATION = re.compile(r"\[\d{1,3}(?:[ \t]*[,–-][ \t]*\d{1,3})*\]")
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
# The dash a signature opens with: an em or en dash or a bar, or the two or three hyphens typed for one
# (`-- Carer`, `--- Individual respondent, ID 0412`), which Markdown typesets as a dash.
SIGNATURE_DASH = r"(?:[—–―]|-{2,3}(?!-))"
_LEADING_DASH = re.compile(r"^[\s—–―-]+")
_TRAILING_PUNCTUATION = re.compile(r"[\s.,;:]+$")


class SchemeFileError(ConfigError):
    """A respondent scheme file that cannot be used: unreadable YAML, a bad pattern or template."""


@dataclass(frozen=True)
class Scheme:
    """One attribution convention: a pattern, the canonical code it yields and the facets it keeps."""

    name: str
    kind: str
    pattern: re.Pattern[str]
    whole_match: bool
    canonical: str | None
    facet_types: dict[str, str]
    field_types: dict[str, str]
    constants: dict[str, object]
    study: bool = False

    def match(self, text: str) -> re.Match[str] | None:
        """Match the whole attribution, or search inside it for citation schemes."""
        return self.pattern.fullmatch(text) if self.whole_match else self.pattern.search(text)


@dataclass(frozen=True)
class SchemeSet:
    """The conventions of a corpus, tried in order; the first that matches wins."""

    schemes: tuple[Scheme, ...]

    def generic(self) -> SchemeSet:
        """Only the conventions not written for one study: generic codes, roles and citations."""
        return SchemeSet(tuple(scheme for scheme in self.schemes if not scheme.study))


_CONVERTERS: dict[str, Callable[[str], object]] = {
    "int": int,
    "str": collapse_spaces,
    "title": lambda value: value.strip().title(),
    "initial": lambda value: value.strip()[:1].upper(),
    "int_or_str": lambda value: int(value) if value.isdigit() else value.strip(),
}


def load_schemes(path: Path | None = None) -> SchemeSet:
    """Read a scheme file (default: the packaged one); the result is cached per path."""
    return _load_schemes_cached(Path(path or SCHEMES_FILE).resolve())


@lru_cache(maxsize=8)
def _load_schemes_cached(path: Path) -> SchemeSet:
    data = load_rule_file(path, "schemes", "respondent schemes", SchemeFileError)
    return SchemeSet(tuple(_scheme_from_entry(entry, path, i) for i, entry in enumerate(data["schemes"])))


def _scheme_from_entry(raw: object, path: Path, index: int) -> Scheme:
    """Validate one scheme entry so that a mistake in the file shows at load time, not mid-ingest."""
    named = isinstance(raw, dict) and raw.get("name")
    entry = validated(SchemeEntry, raw, f"{path}: scheme {raw['name'] if named else index + 1}",  # type: ignore[index]
                      SchemeFileError)
    name = entry.name
    if entry.kind not in SOURCE_KINDS:
        raise SchemeFileError(f"{path}: scheme {name} has kind {entry.kind!r}; use one of {SOURCE_KINDS}")
    try:
        pattern = re.compile(entry.pattern, re.IGNORECASE if entry.ignore_case else 0)
    except re.error as error:
        raise SchemeFileError(f"{path}: scheme {name} has an invalid pattern: {error}") from error
    for types in (entry.facets, entry.fields):
        unknown = {value for value in types.values() if value not in _CONVERTERS}
        if unknown:
            raise SchemeFileError(f"{path}: scheme {name} uses unknown types {sorted(unknown)}")
    _check_template(entry.canonical, pattern, name, path)
    return Scheme(
        name=name,
        kind=entry.kind,
        pattern=pattern,
        whole_match=entry.match != "search",
        canonical=entry.canonical or None,
        facet_types=dict(entry.facets),
        field_types=dict(entry.fields),
        constants=dict(entry.constants),
        study=entry.study,
    )


def _check_template(template: object, pattern: re.Pattern[str], name: str, path: Path) -> None:
    if not template:
        return
    fields = {field for _, field, _, _ in string.Formatter().parse(str(template)) if field}
    missing = fields - set(pattern.groupindex)
    if missing:
        raise SchemeFileError(f"{path}: scheme {name} template names groups {sorted(missing)} not in its pattern")


def strip_attribution(raw: str) -> str:
    """The attribution without enclosing brackets, a leading dash or trailing punctuation.

    A bracket that lost its partner in print (`Focus Group 2, adult public)`) is dropped too.
    """
    text = collapse_spaces(raw)
    while True:
        stripped = _TRAILING_PUNCTUATION.sub("", _LEADING_DASH.sub("", text))
        if len(stripped) >= 2 and _BRACKETS.get(stripped[0]) == stripped[-1] and _balanced(stripped[1:-1]):
            stripped = stripped[1:-1].strip()
        elif stripped[-1:] in ")]}" and _balanced(stripped[:-1]):
            stripped = stripped[:-1].strip()
        elif stripped[:1] in "([{" and _balanced(stripped[1:]):
            stripped = stripped[1:].strip()
        if stripped == text:
            return text
        text = stripped


def _balanced(text: str) -> bool:
    """Whether brackets inside balance, so "(a) and (b)" is not mistaken for one bracketed label."""
    depth = 0
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def parse_attribution(raw: str, schemes: SchemeSet) -> Attribution:
    """Read a printed attribution with the first scheme that recognises it; never raises on text.

    Numbers in square brackets (`[5]`, `[6, 7]`, `[9–11]`) are a numbered citation whatever the
    schemes say: they point into a reference list, never at a respondent. The schemes cannot tell
    them from a bare number in round brackets, since they read the label without its brackets."""
    if _NUMBERED_CITATION.fullmatch(collapse_spaces(raw).strip().rstrip(".,;")):
        return Attribution(raw=raw, code=None, scheme=NUMBERED_CITATION_SCHEME, source_kind="document", facets={})
    label = strip_attribution(raw)
    for scheme in schemes.schemes:
        match = scheme.match(label)
        if match is None:
            continue
        attribution = _attribution_from_match(raw, scheme, match)
        if attribution is not None:
            return attribution
    return Attribution(raw=raw, code=label or None, scheme=RAW_SCHEME, source_kind="other", facets={})


def _attribution_from_match(raw: str, scheme: Scheme, match: re.Match[str]) -> Attribution | None:
    """Build the attribution, or None when a template field the match left empty is needed."""
    groups = {key: value for key, value in match.groupdict().items() if value is not None}
    values = {
        key: _CONVERTERS[scheme.facet_types.get(key) or scheme.field_types.get(key) or "str"](value)
        for key, value in groups.items()
    }
    code = None
    if scheme.canonical:
        try:
            code = scheme.canonical.format(**values)
        except (KeyError, ValueError, IndexError):
            return None
    facets: dict[str, object] = {key: values[key] for key in scheme.facet_types if key in values}
    facets.update(scheme.constants)
    return Attribution(raw=raw, code=code, scheme=scheme.name, source_kind=scheme.kind, facets=facets)


def is_recognised(attribution: Attribution) -> bool:
    """Whether a scheme (not the raw fallback) read this attribution."""
    return attribution.scheme not in (None, RAW_SCHEME)
