"""REFI-QDA export: the project validates against the QDA-XML schema, every selection reproduces its
quotation, respondents are cases with their facets, and a second export is byte-identical."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from index.published import open_published
from pipeline.cli import main
from queries.exports.qdpx import NAMESPACE, QdpxError, guid, write_qdpx
from queries.search.theme_matrix import DEFAULT_THRESHOLDS
from tests.conftest import SHARED, published_rows
from tests.theme_store import build_theme_store

SCHEMA = SHARED / "refi-qda" / "Project-mrt2019.xsd"
NS = {"q": NAMESPACE}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return build_theme_store(tmp_path_factory.mktemp("qdpx"))


@pytest.fixture(scope="module")
def exported(store, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "evidence.qdpx"
    result = CliRunner().invoke(main, ["export", "--format", "qdpx", "--out", str(out), "--data", str(store), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["selections"] == 8
    return out


def _project(path: Path) -> tuple[ET.Element, zipfile.ZipFile]:
    archive = zipfile.ZipFile(path)
    return ET.fromstring(archive.read("project.qde")), archive


def test_the_project_validates_against_the_qda_xml_schema(exported):
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the REFI-QDA schema is not at {SCHEMA}")
    archive = zipfile.ZipFile(exported)
    xmlschema.XMLSchema(str(SCHEMA)).validate(archive.read("project.qde").decode("utf-8"))


def test_every_selection_slices_the_stored_quote_span_out_of_the_source_text(store, exported):
    root, archive = _project(exported)
    assert sorted(archive.namelist())[0] == "project.qde"
    spans = published_rows(
        store, "SELECT q.quote_id, d.text, q.char_start, q.char_end FROM quotes q JOIN documents d USING (doc_id)"
    )
    quotes = {guid("quote", q): text[start:end] for q, text, start, end in spans}
    seen = 0
    for source in root.iterfind("q:Sources/q:TextSource", NS):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        text = archive.read(f"sources/{path.removeprefix('internal://')}").decode("utf-8")
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert text[start:end] == quotes[selection.get("guid")]
            seen += 1
    assert seen == len(quotes) == 8


def test_respondents_are_cases_with_facets_and_their_selections(store, exported):
    root, _ = _project(exported)
    variables = {
        v.get("guid"): (v.get("name"), v.get("typeOfVariable")) for v in root.iterfind("q:Variables/q:Variable", NS)
    }
    assert len(variables) == len({name for name, _ in variables.values()})
    cases = {c.get("name"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    assert set(cases) == {code for (code,) in published_rows(store, "SELECT code FROM respondents")}
    case = cases["P1S1R01"]
    facets = {
        variables[v.find("q:VariableRef", NS).get("targetGUID")][0]: v[1].text
        for v in case.iterfind("q:VariableValue", NS)
    }
    assert facets == {"study": "s1", "phase": "1", "site": "1", "number": "1"}
    assert case.find("q:VariableValue[q:IntegerValue]", NS) is not None
    selections = {s.get("targetGUID") for s in case.iterfind("q:SelectionRef", NS)}
    own = published_rows(store, "SELECT quote_id FROM quotes WHERE respondent_code = 'P1S1R01'")
    assert selections == {guid("quote", q) for (q,) in own} and len(selections) == 3
    assert [s.get("targetGUID") for s in case.iterfind("q:SourceRef", NS)] == [guid("document", "a")]


def test_themes_are_codes_under_their_codebook_and_codings_follow_the_threshold(store, exported):
    root, _ = _project(exported)
    parents = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [(p.get("name"), p.get("isCodable")) for p in parents] == [("test", "false")]
    children = {c.get("guid"): c.get("name") for c in parents[0].iterfind("q:Code", NS)}
    assert sorted(children.values()) == ["communication", "dedicated and ongoing resources"]
    codings = sorted(
        (s.get("guid"), c.find("q:CodeRef", NS).get("targetGUID"))
        for s in root.iterfind(".//q:PlainTextSelection", NS)
        for c in s.iterfind("q:Coding", NS)
    )
    expected = sorted(
        (guid("quote", q), guid("theme", t))
        for q, t in published_rows(
            store,
            f"SELECT quote_id, theme_id FROM quote_themes WHERE method = 'coded' "
            f"AND score >= {DEFAULT_THRESHOLDS['coded']}",
        )
    )
    assert codings == expected and codings
    assert all(target in children for _, target in codings)


def test_two_exports_of_one_store_are_byte_identical_with_stable_guids(store, exported, tmp_path):
    again = tmp_path / "again.qdpx"
    con, _ = open_published(store)
    try:
        write_qdpx(con, again)
    finally:
        con.close()
    assert again.read_bytes() == exported.read_bytes()
    assert guid("quote", 42) == guid("quote", 42) != guid("quote", 43)


def test_a_folder_or_an_unknown_method_is_refused(store, tmp_path):
    con, _ = open_published(store)
    try:
        with pytest.raises(QdpxError, match="is a folder"):
            write_qdpx(con, tmp_path)
        with pytest.raises(QdpxError, match="unknown method"):
            write_qdpx(con, tmp_path / "x.qdpx", method="vibes")
    finally:
        con.close()
    assert not list(tmp_path.glob("*.tmp"))
