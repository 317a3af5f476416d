"""Configuration files as pydantic models: one way to read a YAML file a user edits and to check it.

The manifest, the codebooks, the gazetteer, the name patterns and the respondent schemes each
describe their entries as a `ConfigModel`. A mistake comes back as one line naming the file, the
entry and the field, as the project's `ConfigError` subclass of that file, never as pydantic's
multi-line report.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from ingest.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)


class ConfigModel(BaseModel):
    """An entry of a configuration file: no unknown field, no silent conversion of a value's type."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must be non-empty text")
    return value


NonEmptyText = Annotated[str, AfterValidator(_not_blank)]


def read_yaml(path: Path, kind: str, error: type[ConfigError],
              load: Callable[[str], object] = yaml.safe_load) -> object:
    """The file's YAML content; a missing, unreadable or malformed file raises `error` naming `kind` and `path`."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise error(f"{path}: {kind} is not UTF-8 text") from None
    except OSError as cause:
        raise error(f"cannot read {kind} {path}: {cause.strerror or cause}") from None
    try:
        return load(text)
    except yaml.YAMLError as cause:
        raise error(f"{path}: {kind} is not valid YAML ({yaml_problem(cause)})") from None


def yaml_problem(error: yaml.YAMLError) -> str:
    """The parser's problem and line, e.g. "mapping values are not allowed here, line 3"."""
    problem = getattr(error, "problem", None) or type(error).__name__
    mark = getattr(error, "problem_mark", None)
    return f"{problem}, line {mark.line + 1}" if mark is not None else str(problem)


def validated(model: type[Model], data: object, where: str, error: type[ConfigError], noun: str = "field") -> Model:
    """`data` as `model`, or `error` with one line: `where` (file and entry), then the first problem.

    `noun` is what the file's documentation calls a field ("key" in the manifest). An unknown
    field is reported before a missing one, since a misspelt field is usually both.
    """
    try:
        return model.model_validate(data)
    except ValidationError as invalid:
        problems = sorted(invalid.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise error(f"{where}: {describe(problems[0], noun)}") from None


def describe(problem: ErrorDetails, noun: str = "field") -> str:
    """One pydantic error as a sentence a user who never saw the code can act on."""
    # An entry is validated on its own, so the first name is its field; a union adds its member's type after it.
    names = [part for part in problem["loc"] if isinstance(part, str)]
    items = [part + 1 for part in problem["loc"] if isinstance(part, int)]
    field = names[0] if names else ""
    item = f"item {items[0]} of " if items else ""
    subject = f"{item}'{field}'" if field else "the entry"
    kind = problem["type"]
    if kind == "extra_forbidden":
        return f"unknown {noun} '{field}'"
    if kind == "missing":
        return f"missing required {noun} '{field}'"
    if kind == "too_short":
        return f"{subject} must be a non-empty list"
    if kind == "string_type":
        return f"{subject} must be text"
    if kind in ("list_type", "tuple_type"):
        return f"{subject} must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{subject} must be a mapping" if field else "must be a mapping of fields"
    if kind == "bool_type":
        return f"{subject} must be true or false"
    if kind == "literal_error":
        expected = problem.get("ctx", {}).get("expected", "")
        return f"{subject} must be one of {expected}, got {problem['input']!r}"
    message = problem["msg"].removeprefix("Value error, ")
    return f"{subject} {message}" if field and message.startswith("must") else message


def parse_list(values: list[Any], model: type[Model], where: Callable[[int, object], str],
               error: type[ConfigError], noun: str = "field") -> list[Model]:
    """Every entry of a list validated as `model`; `where(i, raw)` names entry i for the message."""
    return [validated(model, raw, where(i, raw), error, noun) for i, raw in enumerate(values)]
