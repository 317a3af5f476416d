"""Codebooks: named sets of themes (name, description, example phrases) read from a YAML file.

A user adds a codebook by editing the file, never the code, so every mistake in it must come
back as one clear sentence naming the codebook, the theme and the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from index.ids import stable_id
from ingest.config_models import ConfigModel, NonEmptyText, read_yaml, validated
from ingest.errors import ConfigError


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


class ThemeEntry(ConfigModel):
    """A theme as the file writes it."""

    # Missing and blank read the same to a user: both are "must be non-empty text".
    name: NonEmptyText = Field(default="", validate_default=True)
    description: NonEmptyText = Field(default="", validate_default=True)
    examples: list[NonEmptyText] = Field(default_factory=list)
    headings: list[NonEmptyText] = Field(default_factory=list)


class CodebookEntry(ConfigModel):
    """A codebook as the file writes it; its themes are checked one by one, so a message names the theme."""

    source: str | None = None
    themes: list[Any] = Field(min_length=1)


class CodebookFile(ConfigModel):
    codebooks: dict[str, Any] = Field(min_length=1)


def load_codebooks(path: Path) -> tuple[Codebook, ...]:
    """Every codebook in the file, validated; raises CodebookError saying what is wrong and where."""
    path = Path(path)
    if not path.is_file():
        raise CodebookError(f"codebook file not found: {path}")
    data = read_yaml(path, "codebook file", CodebookError)
    if not isinstance(data, dict) or not isinstance(data.get("codebooks"), dict) or not data["codebooks"]:
        raise CodebookError(f"{path}: expected a top-level 'codebooks:' mapping of codebook names to codebooks")
    top = validated(CodebookFile, data, str(path), CodebookError)
    return tuple(_codebook(path, str(name), body) for name, body in top.codebooks.items())


def _codebook(path: Path, name: str, body: object) -> Codebook:
    where = f"{path}: codebook {name!r}"
    if not name.strip():
        raise CodebookError(f"{path}: a codebook name is empty")
    entry = validated(CodebookEntry, body, where, CodebookError)
    parsed = tuple(_theme(where, name, number, item) for number, item in enumerate(entry.themes, start=1))
    seen: set[str] = set()
    for theme in parsed:
        key = theme.name.casefold()
        if key in seen:
            raise CodebookError(f"{where}: theme {theme.name!r} appears twice")
        seen.add(key)
    return Codebook(name=name, source=entry.source, themes=parsed)


def _theme(where: str, codebook: str, number: int, item: object) -> Theme:
    named = isinstance(item, dict) and isinstance(item.get("name"), str)
    label = f"{where}, theme {number}" + (f" ({item['name']!r})" if named else "")  # type: ignore[index]
    entry = validated(ThemeEntry, item, label, CodebookError)
    return Theme(
        codebook=codebook,
        name=_one_line(entry.name),
        description=_one_line(entry.description),
        examples=tuple(_one_line(v) for v in entry.examples),
        headings=tuple(_one_line(v) for v in entry.headings),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
