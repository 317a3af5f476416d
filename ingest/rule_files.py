"""Recognition-rule files (YAML) a user edits: the gazetteer, the name patterns and the respondent
schemes. Each is a mapping holding one list of entries; each entry is a model here, so a mistake
comes back as one line naming the file, the entry and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from ingest.config_models import ConfigModel, NonEmptyText, read_yaml
from ingest.errors import ConfigError


class GazetteerEntry(ConfigModel):
    """One entity of the gazetteer; its label is checked against the extractor's labels."""

    canonical: NonEmptyText = Field(default="", validate_default=True)
    label: str | None = None
    names: list[NonEmptyText] = Field(default_factory=list)
    acronyms: list[NonEmptyText] = Field(default_factory=list)
    countable: bool = False
    case_sensitive: bool = False


class NamePatternEntry(ConfigModel):
    """One name pattern: <Slot>s and literal words, and the label of what it names."""

    pattern: NonEmptyText
    label: str | None = None


class SchemeEntry(ConfigModel):
    """One respondent scheme (ingest/respondent_schemes.yaml documents every field)."""

    name: NonEmptyText
    pattern: NonEmptyText
    kind: str = "interview"
    ignore_case: bool = True
    match: Literal["whole", "search"] = "whole"
    canonical: str | None = None
    facets: dict[str, str] = Field(default_factory=dict)
    fields: dict[str, str] = Field(default_factory=dict)
    constants: dict[str, Any] = Field(default_factory=dict)
    study: bool = False


def load_rule_file(path: Path, key: str, kind: str, error: type[ConfigError]) -> dict:
    """The file's mapping, checked to hold a list under `key`; `error` names `kind` on any failure."""
    raw = read_yaml(Path(path), kind, error)
    if not isinstance(raw, dict) or not isinstance(raw.get(key), list):
        raise error(f"{kind} {path} must be a mapping with a '{key}' list")
    return raw
