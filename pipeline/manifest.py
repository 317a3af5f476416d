"""Read and validate the corpus manifest: which documents, where, and what they are."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SUPPORTED_SUFFIXES = (".pdf", ".txt", ".md", ".markdown", ".text", ".docx", ".html", ".htm", ".xhtml")
TOP_LEVEL_KEYS = {"root", "documents", "defaults"}
REQUIRED_KEYS = {"id", "path", "title"}
OPTIONAL_KEYS = {
    "study", "authors", "year", "kind", "licence", "license", "doi", "note", "password", "url", "language",
    "interviewers",
}
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


class ManifestError(Exception):
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


def load_manifest(path: Path) -> Manifest:
    """Parse and validate a manifest file; every problem raises ManifestError with one clear line.

    A problem with one document's file (missing, outside the root, of an unsupported type)
    does not stop the others: it is kept on the entry as `problem`, and that document fails alone.
    """
    if not path.is_file():
        raise ManifestError(f"{path}: manifest not found")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ManifestError(f"{path}: not valid YAML{where}: {getattr(error, 'problem', error)}") from None
    if not isinstance(data, dict):
        raise ManifestError(f"{path}: expected a mapping with 'root' and 'documents'")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ManifestError(f"{path}: unknown top-level key {sorted(unknown)[0]!r}")
    root = (path.parent / str(data.get("root", "."))).resolve()
    entries = data.get("documents")
    if not isinstance(entries, list) or not entries:
        raise ManifestError(f"{path}: 'documents' must be a non-empty list")
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise ManifestError(f"{path}: 'defaults' must be a mapping of keys")
    documents = [
        _entry(path, root, i, {**defaults, **e} if isinstance(e, dict) else e) for i, e in enumerate(entries)
    ]
    _check_unique(path, documents)
    return Manifest(path=path.resolve(), root=root, documents=tuple(documents))


def _entry(manifest: Path, root: Path, index: int, raw: object) -> DocumentEntry:
    label = f"{manifest.name}: document #{index + 1}"
    if not isinstance(raw, dict):
        raise ManifestError(f"{label}: expected a mapping of keys")
    if "id" in raw:
        label = f"{manifest.name}: document {raw['id']!r}"
    unknown = set(raw) - REQUIRED_KEYS - OPTIONAL_KEYS
    if unknown:
        raise ManifestError(f"{label}: unknown key {sorted(unknown)[0]!r}")
    missing = {key for key in REQUIRED_KEYS if raw.get(key) in (None, "")}
    if missing:
        raise ManifestError(f"{label}: missing required key {sorted(missing)[0]!r}")
    doc_id = str(raw["id"])
    if not _ID.match(doc_id):
        raise ManifestError(f"{label}: id must be letters, digits, '.', '_' or '-'")
    source = (root / str(raw["path"])).resolve()
    return DocumentEntry(
        doc_id=doc_id,
        path=source,
        title=str(raw["title"]),
        study=str(raw.get("study") or doc_id),
        authors=_authors(label, raw.get("authors")),
        year=_year(label, raw.get("year")),
        kind=_optional(raw.get("kind")),
        licence=_optional(raw.get("licence", raw.get("license"))),
        doi=_optional(raw.get("doi")),
        note=_optional(raw.get("note")),
        password=_optional(raw.get("password")),
        problem=file_problem(root, str(raw["path"]), source),
        interviewers=_labels(label, raw.get("interviewers")),
    )


def file_problem(root: Path, relative: str, source: Path) -> str | None:
    """Why a document's file cannot be read, or None when it can be."""
    if not source.is_relative_to(root):
        return f"path {relative!r} lies outside the manifest root {root}; refused"
    if source.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {source.suffix!r} (use PDF, Word .docx, HTML, .txt or .md)"
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


def _year(label: str, value: object) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        raise ManifestError(f"{label}: year must be a number, not {value!r}") from None


def _optional(value: object) -> str | None:
    return None if value in (None, "") else str(value)


def _check_unique(manifest: Path, documents: list[DocumentEntry]) -> None:
    seen: set[str] = set()
    for entry in documents:
        if entry.doc_id in seen:
            raise ManifestError(f"{manifest.name}: document {entry.doc_id!r}: duplicate id")
        seen.add(entry.doc_id)
