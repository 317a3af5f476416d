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
- a codebook is a parent `Code` (not codable, with a colour) holding one `Code` per theme, each
  with its own colour;
- the reviewers are `User`s of their own: the codings they made, the quotations they added and
  their memos carry their user and the time of the decision; a memo is a `Note` referred to by
  its quotation (`PlainTextSelection`), document (`TextSource`) or, as its description, respondent;
- a document's study, year and kind are source variables (`doc_study` ...), apart from the case
  variables, and its name is safe as a file name;
- with `case_codes`, each respondent is also a codable `Code` whose GUID is its case's, coded on
  its quotations: the NVivo convention QualCoder reads case links from.

GUIDs are uuid5 over a fixed namespace and our deterministic ids, elements come in a fixed order,
and every timestamp comes from the data, so exporting one store twice gives identical bytes.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import duckdb

from index.durable import replacing
from index.themes.ranking import DEFAULT_METHOD, METHODS
from ingest.errors import OutputError
from queries.exports.qdpx_reviews import CASE_CODE_COLOUR, CODEBOOK_COLOUR, ReviewLayer, code_colour, safe_title
from queries.exports.tables import COLUMN_DESCRIPTIONS
from queries.search.theme_matrix import DEFAULT_THRESHOLDS

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
# Document variables, kept apart from the case variables so tools do not mix them up.
SOURCE_PREFIX = "doc_"
SOURCE_VARIABLES = (("doc_study", "Text"), ("doc_year", "Integer"), ("doc_kind", "Text"))
VALUE_ELEMENTS = {"Text": "TextValue", "Integer": "IntegerValue", "Boolean": "BooleanValue"}
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class QdpxError(OutputError):
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
               threshold: float | None = None, case_codes: bool = False) -> QdpxSummary:
    """Write the project to out_path (replaced whole, index/durable.py); return what it holds."""
    if method not in METHODS:
        raise QdpxError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    out_path = Path(out_path)
    if out_path.is_dir():
        raise QdpxError(f"{out_path} is a folder; give a file name such as evidence.qdpx")
    threshold = DEFAULT_THRESHOLDS[method] if threshold is None else threshold
    project = _Project(con, method, threshold, case_codes)
    xml = project.xml()
    stamp = project.timestamp or EPOCH
    out_path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(out_path) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "project.qde", xml, stamp)
        for name, text in sorted(project.texts.items()):
            _add(archive, f"sources/{name}", text.encode("utf-8"), stamp)
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

    def __init__(self, con: duckdb.DuckDBPyConnection, method: str, threshold: float, case_codes: bool) -> None:
        self.con = con
        self.case_codes = case_codes
        self.review = ReviewLayer.read(con)
        self.method = method
        self.threshold = threshold
        self.texts: dict[str, str] = {}
        self.selections = self.cases = self.codes = self.codings = 0
        row = con.execute("SELECT max(last_good_at) FROM documents WHERE status <> 'failed'").fetchone()
        self.timestamp: datetime | None = row[0] if row else None
        self.user = guid("user", PROJECT_NAME)

    def xml(self) -> bytes:
        ET.register_namespace("", NAMESPACE)
        root = _element("Project", name=PROJECT_NAME, origin=PROJECT_NAME, creatingUserGUID=self.user,
                        creationDateTime=_datetime(self.timestamp))
        users = _sub(root, "Users")
        _sub(users, "User", guid=self.user, name=PROJECT_NAME)
        for reviewer in self.review.reviewers:
            _sub(users, "User", guid=_reviewer_guid(reviewer), name=reviewer)
        respondents = self._respondents()
        theme_guids = self._codebook(root, respondents)
        variables = self._variables(root)
        quotes = self._quotes()
        self._cases(root, variables, quotes, respondents)
        self._sources(root, variables, quotes, theme_guids)
        self._notes(root)
        _sub(root, "Description").text = _clean(
            f"Exported from the evidence base: quotations coded with themes whose {self.method} score is at "
            f"least {self.threshold:g}."
        )
        ET.indent(root)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"

    def _codebook(self, root: ET.Element, respondents: list[tuple]) -> dict[int, str]:
        themes = self.con.execute(
            "SELECT codebook, theme_id, name, description, source FROM themes ORDER BY codebook, ordinal, theme_id"
        ).fetchall()
        if not themes and not (self.case_codes and respondents):
            return {}
        codes = _sub(_sub(root, "CodeBook"), "Codes")
        parents: dict[str, ET.Element] = {}
        found: dict[int, str] = {}
        for codebook, theme_id, name, description, source in themes:
            if codebook not in parents:
                parents[codebook] = parent = _sub(codes, "Code", guid=guid("codebook", codebook),
                                                  name=codebook, isCodable="false", color=CODEBOOK_COLOUR)
                if source:
                    _sub(parent, "Description").text = _clean(source)
                self.codes += 1
            found[theme_id] = guid("theme", theme_id)
            code = _sub(parents[codebook], "Code", guid=found[theme_id], name=name, isCodable="true",
                        color=code_colour(len(parents[codebook].findall(f"{{{NAMESPACE}}}Code"))))
            if description:
                _sub(code, "Description").text = _clean(description)
            self.codes += 1
        if self.case_codes and respondents:
            parent = _sub(codes, "Code", guid=guid("codebook", "respondents"), name="Respondents",
                          isCodable="false", color=CODEBOOK_COLOUR)
            for respondent_id, name, *_ in respondents:
                _sub(parent, "Code", guid=guid("respondent", respondent_id), name=name, isCodable="true",
                     color=CASE_CODE_COLOUR)
            self.codes += 1 + len(respondents)
        return found

    def _variables(self, root: ET.Element) -> dict[str, tuple[str, str]]:
        """Declare each case facet and each source variable once; return name -> (GUID, type)."""
        declared = {}
        variables = _sub(root, "Variables")
        for column, kind in (*CASE_VARIABLES, *SOURCE_VARIABLES):
            declared[column] = (guid("variable", column), kind)
            variable = _sub(variables, "Variable", guid=declared[column][0], name=column, typeOfVariable=kind)
            described = COLUMN_DESCRIPTIONS.get(column.removeprefix(SOURCE_PREFIX))
            if described:
                _sub(variable, "Description").text = described
        return declared

    def _quotes(self) -> list[tuple]:
        return self.con.execute(
            "SELECT q.quote_id, q.doc_id, q.respondent_id, q.respondent_code, q.char_start, q.char_end, q.page, "
            "s.path, q.attribution FROM quotes q JOIN documents d USING (doc_id) "
            "LEFT JOIN sections s USING (section_id) WHERE d.status <> 'failed' AND d.text IS NOT NULL "
            "ORDER BY q.doc_id, q.char_start, q.quote_id"
        ).fetchall()

    def _respondents(self) -> list[tuple]:
        """(respondent_id, case name, code, facets...) in study and code order; a code used in several
        studies is named with its study."""
        respondents = self.con.execute(
            f"SELECT respondent_id, code, {', '.join(c for c, _ in CASE_VARIABLES)} FROM respondents "
            "ORDER BY study, code, respondent_id"
        ).fetchall()
        studies_per_code: dict[str, int] = defaultdict(int)
        for row in respondents:
            studies_per_code[row[1]] += 1
        return [(rid, code if studies_per_code[code] == 1 else f"{code} ({facets[0]})", code, *facets)
                for rid, code, *facets in respondents]

    def _cases(self, root: ET.Element, variables: dict[str, tuple[str, str]], quotes: list[tuple],
               respondents: list[tuple]) -> None:
        if not respondents:
            return
        spoken: dict[int, list[tuple]] = defaultdict(list)
        for quote in quotes:
            if quote[2] is not None:
                spoken[quote[2]].append(quote)
        cases = _sub(root, "Cases")
        for respondent_id, name, code, *facets in respondents:
            values = dict(zip((c for c, _ in CASE_VARIABLES), facets))
            case = _sub(cases, "Case", guid=guid("respondent", respondent_id), name=name)
            memo = self.review.memo_on("respondent", (values["study"], code))
            if memo is not None:
                _sub(case, "Description").text = _clean(memo.text)
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
            "SELECT doc_id, study, title, year, kind, ingested_at, text FROM documents "
            "WHERE status <> 'failed' AND text IS NOT NULL ORDER BY doc_id"
        ).fetchall()
        if not documents:
            return
        by_doc: dict[str, list[tuple]] = defaultdict(list)
        for quote in quotes:
            by_doc[quote[1]].append(quote)
        codings = self._codings(theme_guids)
        sources = _sub(root, "Sources")
        taken: set[str] = set()
        for doc_id, study, title, year, kind, ingested_at, text in documents:
            source_guid = guid("document", doc_id)
            file_name = f"{source_guid}.txt"
            self.texts[file_name] = text
            source = _sub(sources, "TextSource", guid=source_guid, name=safe_title(title or doc_id, taken),
                          plainTextPath=f"internal://{file_name}", creatingUser=self.user,
                          creationDateTime=_datetime(ingested_at))
            _sub(source, "Description").text = _clean(
                f"{doc_id}: {title or 'untitled'}" + (f" ({year})" if year else "") + f"; study {study}"
            )
            for quote_id, _, respondent_id, code, start, end, page, path, attribution in by_doc[doc_id]:
                added = self.review.added.get(quote_id)
                selection = _sub(source, "PlainTextSelection", guid=guid("quote", quote_id),
                                 name=code or "(no respondent)", startPosition=str(start), endPosition=str(end),
                                 creatingUser=_reviewer_guid(added.reviewer) if added else self.user,
                                 creationDateTime=_datetime(added.at if added else ingested_at))
                where = "; ".join(p for p in (path, f"page {page}" if page else None, attribution) if p)
                if where:
                    _sub(selection, "Description").text = _clean(where)
                for theme_id in codings.get(quote_id, ()):
                    by = self.review.codings.get((quote_id, theme_id))
                    coding = _sub(selection, "Coding", guid=guid("coding", f"{quote_id}:{theme_id}"),
                                  creatingUser=_reviewer_guid(by.reviewer) if by else self.user,
                                  creationDateTime=_datetime(by.at) if by else None)
                    _sub(coding, "CodeRef", targetGUID=theme_guids[theme_id])
                    self.codings += 1
                if self.case_codes and respondent_id is not None:
                    coding = _sub(selection, "Coding", guid=guid("case-coding", quote_id), creatingUser=self.user)
                    _sub(coding, "CodeRef", targetGUID=guid("respondent", respondent_id))
                    self.codings += 1
                self._note_ref(selection, "quote", quote_id)
                self.selections += 1
            self._note_ref(source, "document", doc_id)
            for column, value in (("doc_study", study), ("doc_year", year), ("doc_kind", kind)):
                _variable_value(source, variables[column], value)

    def _note_ref(self, parent: ET.Element, target: str, key: object) -> None:
        if self.review.memo_on(target, key) is not None:
            _sub(parent, "NoteRef", targetGUID=guid("note", f"{target}:{key}"))

    def _notes(self, root: ET.Element) -> None:
        """Every memo on a quotation or document as a Note (respondent memos are case descriptions)."""
        memos = [m for m in self.review.memos if m.target in ("quote", "document")]
        if not memos:
            return
        notes = _sub(root, "Notes")
        for memo in memos:
            note = _sub(notes, "Note", guid=guid("note", f"{memo.target}:{memo.key}"),
                        name=f"Memo on {memo.target} {memo.key}", creatingUser=_reviewer_guid(memo.by.reviewer),
                        creationDateTime=_datetime(memo.by.at))
            _sub(note, "PlainTextContent").text = _clean(memo.text)

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


def _reviewer_guid(reviewer: str) -> str:
    return guid("user", f"reviewer:{reviewer}")


def _variable_value(parent: ET.Element, variable: tuple[str, str], value: Any) -> None:
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
