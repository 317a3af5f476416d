"""Codebooks: named sets of themes (name, description, example phrases) read from a YAML file.

A user adds a codebook by editing the file, never the code, so every mistake in it must come
back as one clear sentence naming the codebook, the theme and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from index.ids import stable_id
from ingest.errors import ConfigError

THEME_FIELDS = frozenset({"name", "description", "examples", "headings"})
CODEBOOK_FIELDS = frozenset({"source", "themes"})


class CodebookError(ConfigError):
    """The codebook file is missing, is not YAML, or does not have the documented shape."""


@dataclass(frozen=True)
class Theme:
    """One theme of a codebook, with the phrases that name it in a document's headings."""

    codebook: str
    name: str
    description: str
    examples: tuple[str, ...]
    headings: tuple[str, ...]

    @property
    def theme_id(self) -> int:
        return stable_id("theme", self.codebook, self.name.casefold())

    @property
    def query_text(self) -> str:
        """What is embedded and matched for the theme: name, description and examples in one text."""
        parts = [f"{self.name}.", self.description, *self.examples]
        return " ".join(p.strip() for p in parts if p.strip())

    @property
    def heading_phrases(self) -> tuple[str, ...]:
        """The theme name first, then the extra heading phrases."""
        return (self.name, *self.headings)


@dataclass(frozen=True)
class Codebook:
    """A named set of themes."""

    name: str
    source: str | None
    themes: tuple[Theme, ...]


def load_codebooks(path: Path) -> tuple[Codebook, ...]:
    """Every codebook in the file, validated; raises CodebookError saying what is wrong and where."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"codebook file not found: {path}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise CodebookError(f"{path}: not valid YAML ({_yaml_problem(error)})") from error
    except UnicodeDecodeError as error:
        raise CodebookError(f"{path}: not UTF-8 text") from error
    if not isinstance(data, dict) or not isinstance(data.get("codebooks"), dict) or not data["codebooks"]:
        raise CodebookError(f"{path}: expected a top-level 'codebooks:' mapping of codebook names to codebooks")
    return tuple(_codebook(path, str(name), body) for name, body in data["codebooks"].items())


def _codebook(path: Path, name: str, body: object) -> Codebook:
    where = f"{path}: codebook {name!r}"
    if not name.strip():
        raise CodebookError(f"{path}: a codebook name is empty")
    if not isinstance(body, dict):
        raise CodebookError(f"{where}: expected a mapping with 'themes:'")
    unknown = set(body) - CODEBOOK_FIELDS
    if unknown:
        raise CodebookError(f"{where}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    themes = body.get("themes")
    if not isinstance(themes, list) or not themes:
        raise CodebookError(f"{where}: 'themes' must be a non-empty list")
    source = body.get("source")
    if source is not None and not isinstance(source, str):
        raise CodebookError(f"{where}: 'source' must be text")
    parsed = tuple(_theme(where, name, number, item) for number, item in enumerate(themes, start=1))
    seen: set[str] = set()
    for theme in parsed:
        key = theme.name.casefold()
        if key in seen:
            raise CodebookError(f"{where}: theme {theme.name!r} appears twice")
        seen.add(key)
    return Codebook(name=name, source=source, themes=parsed)


def _theme(where: str, codebook: str, number: int, item: object) -> Theme:
    if not isinstance(item, dict):
        raise CodebookError(f"{where}, theme {number}: expected a mapping with name, description, examples")
    label = f"{where}, theme {number}" + (f" ({item['name']!r})" if isinstance(item.get("name"), str) else "")
    unknown = set(item) - THEME_FIELDS
    if unknown:
        raise CodebookError(f"{label}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise CodebookError(f"{label}: 'name' must be non-empty text")
    description = item.get("description")
    if not isinstance(description, str) or not description.strip():
        raise CodebookError(f"{label}: 'description' must be non-empty text")
    return Theme(
        codebook=codebook,
        name=" ".join(name.split()),
        description=" ".join(description.split()),
        examples=_phrases(label, "examples", item.get("examples"), required=False),
        headings=_phrases(label, "headings", item.get("headings"), required=False),
    )


def _phrases(label: str, field: str, value: object, required: bool) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value):
        raise CodebookError(f"{label}: '{field}' must be a {'non-empty ' if required else ''}list of phrases")
    if not all(isinstance(v, str) and v.strip() for v in value):
        raise CodebookError(f"{label}: every item of '{field}' must be non-empty text")
    return tuple(" ".join(v.split()) for v in value)


def _yaml_problem(error: yaml.YAMLError) -> str:
    """The parser's problem and line, e.g. "mapping values are not allowed here, line 3"."""
    problem = getattr(error, "problem", None) or type(error).__name__
    mark = getattr(error, "problem_mark", None)
    return f"{problem}, line {mark.line + 1}" if mark is not None else str(problem)
