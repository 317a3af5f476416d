"""Export the evidence base as a REFI-QDA project (`.qdpx`), the exchange format NVivo, ATLAS.ti,
MAXQDA and QualCoder import.

The archive holds `project.qde` (QDA-XML 1.0, namespace `urn:QDA-XML:project:1.0`) and one UTF-8
text file per document in `sources/`:

- a document is a `TextSource` whose plain text is `documents.text`, the text every stored offset
  points into, so a quotation's `char_start`/`char_end` are its selection's code point positions
  (0-based, end exclusive, as Python slices them);
- a quotation is a `PlainTextSelection`, coded (`Coding`) with every theme whose score for the
  chosen method reaches the threshold (the defaults of `evidence matrix`);
- a respondent is a `Case` carrying its facets as typed `VariableValue`s and referring to the
  documents (`SourceRef`) and quotations (`SelectionRef`) it speaks in;
- a codebook is a parent `Code` (not codable) holding one `Code` per theme.

GUIDs are uuid5 over a fixed namespace and our deterministic ids, elements come in a fixed order,
and every timestamp comes from the data, so exporting one store twice gives identical bytes.
"""

from __future__ import annotations

import os
import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import duckdb

from queries.export import COLUMN_DESCRIPTIONS
from queries.theme_matrix import DEFAULT_THRESHOLDS
from queries.theme_ranking import DEFAULT_METHOD, METHODS

NAMESPACE = "urn:QDA-XML:project:1.0"
# Fixed forever: changing it changes every GUID and breaks re-imports into existing projects.
GUID_NAMESPACE = uuid.UUID("6f1b2c1e-5a7d-5b8e-9c3a-2f4e8d1a7b90")
PROJECT_NAME = "evidence-pipeline"
# Zip entries need a date; without one in the data, the earliest a zip can hold.
EPOCH = datetime(1980, 1, 1)

# Respondent facets exported as case variables: (column, QDA-XML variable type).
CASE_VARIABLES = (
    ("study", "Text"),
    ("phase", "Integer"),
    ("site", "Text"),
    ("national", "Boolean"),
    ("number", "Integer"),
    ("care_model", "Text"),
    ("role", "Text"),
    ("org", "Text"),
)
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Boolean": "BooleanValue"}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class QdpxError(ValueError):
    """An export that cannot be written: unknown method, or an output path that is a folder."""


@dataclass(frozen=True)
class QdpxSummary:
    """What one export wrote."""

    path: str
    sources: int
    selections: int
    cases: int
    codes: int
    codings: int


def guid(kind: str, key: object) -> str:
    """A stable GUID for one of our objects: the same id always gives the same GUID."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def write_qdpx(con: duckdb.DuckDBPyConnection, out_path: Path, *, method: str = DEFAULT_METHOD,
               threshold: float | None = None) -> QdpxSummary:
    """Write the project to out_path (via a temporary file and `os.replace`); return what it holds."""
    if method not in METHODS:
        raise QdpxError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    out_path = Path(out_path)
    if out_path.is_dir():
        raise QdpxError(f"{out_path} is a folder; give a file name such as evidence.qdpx")
    threshold = DEFAULT_THRESHOLDS[method] if threshold is None else threshold
    project = _Project(con, method, threshold)
    xml = project.xml()
    stamp = project.timestamp or EPOCH
    out_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = out_path.with_name(f".{out_path.name}.tmp")
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "project.qde", xml, stamp)
        for name, text in sorted(project.texts.items()):
            _add(archive, f"sources/{name}", text.encode("utf-8"), stamp)
    os.replace(temporary, out_path)
    return QdpxSummary(str(out_path), len(project.texts), project.selections, project.cases, project.codes,
                       project.codings)


def _add(archive: zipfile.ZipFile, name: str, data: bytes, stamp: datetime) -> None:
    """One entry with a fixed date and mode, so the archive's bytes depend on the data alone."""
    info = zipfile.ZipInfo(name, date_time=stamp.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


class _Project:
    """Reads the tables once and builds the project element by element."""

    def __init__(self, con: duckdb.DuckDBPyConnection, method: str, threshold: float) -> None:
        self.con = con
        self.method = method
        self.threshold = threshold
        self.texts: dict[str, str] = {}
        self.selections = self.cases = self.codes = self.codings = 0
        row = con.execute("SELECT max(ingested_at) FROM documents WHERE status = 'ok'").fetchone()
        self.timestamp: datetime | None = row[0] if row else None
        self.user = guid("user", PROJECT_NAME)

    def xml(self) -> bytes:
        ET.register_namespace("", NAMESPACE)
        root = _element("Project", name=PROJECT_NAME, origin=PROJECT_NAME, creatingUserGUID=self.user,
                        creationDateTime=_datetime(self.timestamp))
        users = _sub(root, "Users")
        _sub(users, "User", guid=self.user, name=PROJECT_NAME)
        theme_guids = self._codebook(root)
        variables = self._variables(root)
        quotes = self._quotes()
        self._cases(root, variables, quotes)
        self._sources(root, variables, quotes, theme_guids)
        _sub(root, "Description").text = _clean(
            f"Exported from the evidence base: quotations coded with themes whose {self.method} score is at "
            f"least {self.threshold:g}."
        )
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    def _codebook(self, root: ET.Element) -> dict[int, str]:
        themes = self.con.execute(
            "SELECT codebook, theme_id, name, description, source FROM themes ORDER BY codebook, ordinal, theme_id"
        ).fetchall()
        if not themes:
            return {}
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        parents: dict[str, ET.Element] = {}
        found: dict[int, str] = {}
        for codebook, theme_id, name, description, source in themes:
            if codebook not in parents:
                parents[codebook] = parent = _sub(codes, "Code", guid=guid("codebook", codebook),
                                                  name=codebook, isCodable="false")
                if source:
                    _sub(parent, "Description").text = _clean(source)
                self.codes += 1
            found[theme_id] = guid("theme", theme_id)
            code = _sub(parents[codebook], "Code", guid=found[theme_id], name=name, isCodable="true")
            if description:
                _sub(code, "Description").text = _clean(description)
            self.codes += 1
        return found

    def _variables(self, root: ET.Element) -> dict[str, tuple[str, str]]:
        """Declare each facet once; return column -> (GUID, type)."""
        declared = {}
        variables = _sub(root, "Variables")
        for column, kind in CASE_VARIABLES:
            declared[column] = (guid("variable", column), kind)
            variable = _sub(variables, "Variable", guid=declared[column][0], name=column, typeOfVariable=kind)
            if COLUMN_DESCRIPTIONS.get(column):
                _sub(variable, "Description").text = COLUMN_DESCRIPTIONS[column]
        return declared

    def _quotes(self) -> list[tuple]:
        return self.con.execute(
            "SELECT q.quote_id, q.doc_id, q.respondent_id, q.respondent_code, q.char_start, q.char_end, q.page, "
            "s.path, q.attribution FROM quotes q JOIN documents d USING (doc_id) "
            "LEFT JOIN sections s USING (section_id) WHERE d.status = 'ok' AND d.text IS NOT NULL "
            "ORDER BY q.doc_id, q.char_start, q.quote_id"
        ).fetchall()

    def _cases(self, root: ET.Element, variables: dict[str, tuple[str, str]], quotes: list[tuple]) -> None:
        respondents = self.con.execute(
            f"SELECT respondent_id, code, {', '.join(c for c, _ in CASE_VARIABLES)} FROM respondents "
            "ORDER BY study, code, respondent_id"
        ).fetchall()
        if not respondents:
            return
        studies_per_code: dict[str, int] = defaultdict(int)
        for row in respondents:
            studies_per_code[row[1]] += 1
        spoken: dict[int, list[tuple]] = defaultdict(list)
        for quote in quotes:
            if quote[2] is not None:
                spoken[quote[2]].append(quote)
        cases = _sub(root, "Cases")
        for respondent_id, code, *facets in respondents:
            values = dict(zip((c for c, _ in CASE_VARIABLES), facets))
            name = code if studies_per_code[code] == 1 else f"{code} ({values['study']})"
            case = _sub(cases, "Case", guid=guid("respondent", respondent_id), name=name)
            for column, value in values.items():
                _variable_value(case, variables[column], value)
            for doc_id in sorted({q[1] for q in spoken[respondent_id]}):
                _sub(case, "SourceRef", targetGUID=guid("document", doc_id))
            for quote in spoken[respondent_id]:
                _sub(case, "SelectionRef", targetGUID=guid("quote", quote[0]))
            self.cases += 1

    def _sources(self, root: ET.Element, variables: dict[str, tuple[str, str]], quotes: list[tuple],
                 theme_guids: dict[int, str]) -> None:
        documents = self.con.execute(
            "SELECT doc_id, study, title, year, ingested_at, text FROM documents "
            "WHERE status = 'ok' AND text IS NOT NULL ORDER BY doc_id"
        ).fetchall()
        if not documents:
            return
        by_doc: dict[str, list[tuple]] = defaultdict(list)
        for quote in quotes:
            by_doc[quote[1]].append(quote)
        codings = self._codings(theme_guids)
        sources = _sub(root, "Sources")
        for doc_id, study, title, year, ingested_at, text in documents:
            source_guid = guid("document", doc_id)
            file_name = f"{source_guid}.txt"
            self.texts[file_name] = text
            source = _sub(sources, "TextSource", guid=source_guid, name=title or doc_id,
                          plainTextPath=f"internal://{file_name}", creatingUser=self.user,
                          creationDateTime=_datetime(ingested_at))
            _sub(source, "Description").text = _clean(
                f"{doc_id}: {title or 'untitled'}" + (f" ({year})" if year else "") + f"; study {study}"
            )
            for quote_id, _, _, code, start, end, page, path, attribution in by_doc[doc_id]:
                selection = _sub(source, "PlainTextSelection", guid=guid("quote", quote_id),
                                 name=code or "(no respondent)", startPosition=str(start), endPosition=str(end),
                                 creatingUser=self.user, creationDateTime=_datetime(ingested_at))
                where = "; ".join(p for p in (path, f"page {page}" if page else None, attribution) if p)
                if where:
                    _sub(selection, "Description").text = _clean(where)
                for theme_id in codings.get(quote_id, ()):
                    coding = _sub(selection, "Coding", guid=guid("coding", f"{quote_id}:{theme_id}"),
                                  creatingUser=self.user)
                    _sub(coding, "CodeRef", targetGUID=theme_guids[theme_id])
                    self.codings += 1
                self.selections += 1
            _variable_value(source, variables["study"], study)

    def _codings(self, theme_guids: dict[int, str]) -> dict[int, list[int]]:
        """Quote id -> themes assigned to it above the threshold, in codebook order."""
        if not theme_guids:
            return {}
        rows = self.con.execute(
            "SELECT qt.quote_id, qt.theme_id FROM quote_themes qt JOIN themes t USING (theme_id) "
            "WHERE qt.method = ? AND qt.score >= ? ORDER BY qt.quote_id, t.codebook, t.ordinal, t.theme_id",
            [self.method, self.threshold],
        ).fetchall()
        found: dict[int, list[int]] = defaultdict(list)
        for quote_id, theme_id in rows:
            found[quote_id].append(theme_id)
        return found


def _variable_value(parent: ET.Element, variable: tuple[str, str], value: object) -> None:
    if value is None or value == "":
        return
    variable_guid, kind = variable
    holder = _sub(parent, "VariableValue")
    _sub(holder, "VariableRef", targetGUID=variable_guid)
    if kind == "Boolean":
        text = "true" if value else "false"
    elif kind == "Integer":
        text = str(int(value))
    else:
        text = _clean(str(value))
    _sub(holder, VALUE_ELEMENTS[kind]).text = text


def _element(tag: str, **attributes: str | None) -> ET.Element:
    return ET.Element(f"{{{NAMESPACE}}}{tag}", {k: _clean(v) for k, v in attributes.items() if v is not None})


def _sub(parent: ET.Element, tag: str, **attributes: str | None) -> ET.Element:
    element = _element(tag, **attributes)
    parent.append(element)
    return element


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (PDF extraction leaves the odd control character)."""
    return _NOT_XML.sub("", text)


def _datetime(value: datetime | None) -> str | None:
    """xsd:dateTime in UTC without fractions; ingest times are stored as naive UTC."""
    return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None
