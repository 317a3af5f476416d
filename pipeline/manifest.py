"""Read and validate the corpus manifest: which documents, where, and what they are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

from ingest.config_models import validated
from ingest.errors import ConfigError

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".text", ".docx", ".html", ".htm", ".xhtml")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# A manifest is a hand-written list (10,000 entries fit in this); the YAML reader takes about
# a second per megabyte, so a bigger file is refused before it is read.
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
# Characters a metadata value may hold (a note is a paragraph, not a document).
MAX_VALUE_CHARS = 10_000
MAX_AUTHORS = 500
# Characters the whole manifest may expand to through aliases, beyond its own length: merge keys
# (`<<: *defaults`) repeat a few lines per entry, an alias bomb repeats them billions of times.
ALIAS_EXPANSION_ALLOWANCE = 1_000_000
# Publication years a document can have; the store holds a 32-bit year.
YEAR_RANGE = (1000, 2999)


class ManifestError(ConfigError):
    """A manifest that cannot be used; the message names the entry and the problem."""


@dataclass(frozen=True)
class DocumentEntry:
    """One document of the corpus, with its metadata."""

    doc_id: str
    path: Path
    title: str
    study: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    kind: str | None = None
    licence: str | None = None
    doi: str | None = None
    note: str | None = None
    password: str | None = field(default=None, repr=False)
    problem: str | None = None
    # Speaker labels of the interviewer in a transcript, where their wording does not say so.
    interviewers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Manifest:
    """The validated corpus: its root folder and its documents in order."""

    path: Path
    root: Path
    documents: tuple[DocumentEntry, ...]


class ManifestFile(BaseModel):
    """The manifest's top level: where the documents are, the documents, and values every entry shares."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    root: str | int | float = "."
    documents: list[Any] = Field(min_length=1)
    defaults: dict[str, Any] | None = None


def _required(value: object, info: ValidationInfo) -> object:
    if value in (None, ""):
        raise ValueError(f"missing required key '{info.field_name}'")
    return value


def _document_id(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("id must be text; put it in quotes so it is kept as written")
    if not _ID.fullmatch(value):
        raise ValueError("id must be letters, digits, '.', '_' or '-'")
    return value


Required = Annotated[Any, AfterValidator(_required)]


class ManifestEntry(BaseModel):
    """One document entry: the keys it may have and the three it must have. Values are checked by
    `_entry`, since a value the store cannot hold fails that document alone, not the manifest."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Annotated[Required, AfterValidator(_document_id)]
    path: Required
    title: Required
    study: Any = None
    authors: Any = None
    year: Any = None
    kind: Any = None
    licence: Any = None
    license: Any = None
    doi: Any = None
    note: Any = None
    password: Any = None
    url: Any = None
    language: Any = None
    interviewers: Any = None


def load_manifest(path: Path) -> Manifest:
    """Parse and validate a manifest file; every problem raises ManifestError with one clear line.

    A problem with one document's file (missing, outside the root, of an unsupported type)
    does not stop the others: it is kept on the entry as `problem`, and that document fails alone.
    """
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a mapping with 'root' and 'documents'")
    top = validated(ManifestFile, data, str(path), ManifestError, noun="top-level key")
    root = (path.parent / str(top.root)).resolve()
    entries, defaults = top.documents, top.defaults or {}
    documents = [
        _entry(path, root, i, {**defaults, **e} if isinstance(e, dict) else e) for i, e in enumerate(entries)
    ]
    _check_unique(path, documents)
    return Manifest(path=path.resolve(), root=root, documents=tuple(documents))


def _read_yaml(path: Path) -> object:
    size = path.stat().st_size
    if size > MAX_MANIFEST_BYTES:
        raise ManifestError(f"{path}: {size} bytes is larger than a manifest can be ({MAX_MANIFEST_BYTES} bytes)")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text") from None
    try:
        return yaml.load(text, Loader=_bounded_loader(ALIAS_EXPANSION_ALLOWANCE + len(text)))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ManifestError(f"{path}: not valid YAML{where}: {getattr(error, 'problem', error)}") from None


def _bounded_loader(max_chars: int) -> type[yaml.SafeLoader]:
    """A safe loader that measures what the document expands to before building any of it.

    Aliases share one node, so the size is counted once per node (memoised) and a bomb of
    nested aliases is refused in microseconds instead of being expanded into gigabytes.
    """

    class BoundedLoader(yaml.SafeLoader):
        def construct_document(self, node: yaml.Node) -> object:
            size = _expanded_size(node, {}, set())
            if size > max_chars:
                raise ManifestError(
                    f"aliases expand the manifest to {size:,} characters, past the limit of {max_chars:,}; refused"
                )
            return super().construct_document(node)

    return BoundedLoader


def _expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int]) -> int:
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in open_nodes:
        raise ManifestError("an alias refers to the node that contains it; refused")
    open_nodes.add(key)
    if isinstance(node, yaml.ScalarNode):
        size = len(node.value) + 1
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, sizes, open_nodes) for child in node.value)
    else:
        size = 1 + sum(
            _expanded_size(k, sizes, open_nodes) + _expanded_size(v, sizes, open_nodes) for k, v in node.value
        )
    open_nodes.discard(key)
    sizes[key] = size
    return size


def _entry(manifest: Path, root: Path, index: int, raw: object) -> DocumentEntry:
    label = f"{manifest.name}: document #{index + 1}"
    if not isinstance(raw, dict):
        raise ManifestError(f"{label}: expected a mapping of keys")
    if "id" in raw:
        label = f"{manifest.name}: document {raw['id']!r}"
    validated(ManifestEntry, raw, label, ManifestError, noun="key")
    doc_id = raw["id"]
    for key, value in raw.items():
        _check_size(label, key, value)
    source = (root / str(raw["path"])).resolve()
    year, year_problem = _year(label, raw.get("year"))
    values: dict[str, Any] = {key: _optional(raw.get(key)) for key in ("kind", "doi", "note", "password")}
    values["licence"] = _optional(raw.get("licence", raw.get("license")))
    values["title"], values["study"] = str(raw["title"]), str(raw.get("study") or doc_id)
    authors = _authors(label, raw.get("authors"))
    unstorable = year_problem or _text_problem(values, authors)
    if unstorable:
        values = {key: _storable(value) for key, value in values.items()}
        authors = tuple(_storable(a) or "" for a in authors)
        year = None
    return DocumentEntry(
        doc_id=doc_id,
        path=source,
        authors=authors,
        year=year,
        **values,
        problem=unstorable or file_problem(root, str(raw["path"]), source),
        interviewers=_labels(label, raw.get("interviewers")),
    )


def _check_size(label: str, key: str, value: object) -> None:
    """Refuse at once a value no document needs: a metadata field is a line or a paragraph."""
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > MAX_AUTHORS:
        raise ManifestError(f"{label}: {key} holds {len(value)} items, more than the limit of {MAX_AUTHORS}")
    for item in values:
        if isinstance(item, (list, dict)):
            raise ManifestError(f"{label}: {key} must be a plain value, not a {type(item).__name__}")
        if isinstance(item, str) and len(item) > MAX_VALUE_CHARS:
            raise ManifestError(
                f"{label}: {key} holds {len(item):,} characters, more than the limit of {MAX_VALUE_CHARS:,}"
            )


def _text_problem(values: dict[str, str | None], authors: tuple[str, ...]) -> str | None:
    """Why a text value cannot be stored (a lone surrogate), naming the field; None when all can."""
    for key, value in [*values.items(), *(("authors", a) for a in authors)]:
        if value is None:
            continue
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            return f"{key} holds a lone surrogate (\\u{ord(value[error.start]):04x}) that is not valid Unicode text"
    return None


def _storable(value: str | None) -> str | None:
    """The value with what the store refuses replaced, so a failed document can still be listed."""
    if value is None:
        return None
    return value.encode("utf-8", "replace").decode("utf-8")


def file_problem(root: Path, relative: str, source: Path) -> str | None:
    """Why a document's file cannot be read, or None when it can be."""
    if not source.is_relative_to(root):
        return f"path {relative!r} lies outside the manifest root {root}; refused"
    if source.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {source.suffix!r} (use PDF, Word .docx, HTML, .txt or .md)"
    if source.is_dir():
        return f"{source} is a folder, not a document file"
    if source.exists() and not source.is_file():
        return f"{source} is not a regular file (a pipe, socket or device); refused"
    if not source.is_file():
        return f"file not found: {source}"
    return None


def _authors(label: str, value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(a) for a in value)
    raise ManifestError(f"{label}: authors must be a list of names")


def _labels(label: str, value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return tuple(str(v) for v in value)
    raise ManifestError(f"{label}: interviewers must be a list of speaker labels")


def _year(label: str, value: object) -> tuple[int | None, str | None]:
    """The year, or a problem that fails this document alone when it is a number no document has."""
    if value in (None, ""):
        return None, None
    try:
        year = int(str(value))
    except ValueError:
        raise ManifestError(f"{label}: year must be a number, not {value!r}") from None
    low, high = YEAR_RANGE
    if not low <= year <= high:
        return None, f"year {year} is outside {low}-{high}"
    return year, None


def _optional(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _check_unique(manifest: Path, documents: list[DocumentEntry]) -> None:
    """Ids are unique regardless of case: filters match them case-insensitively."""
    seen: dict[str, str] = {}
    for entry in documents:
        other = seen.get(entry.doc_id.casefold())
        if other == entry.doc_id:
            raise ManifestError(f"{manifest.name}: document {entry.doc_id!r}: duplicate id")
        if other is not None:
            raise ManifestError(f"{manifest.name}: document {entry.doc_id!r}: differs from {other!r} only in case")
        seen[entry.doc_id.casefold()] = entry.doc_id
