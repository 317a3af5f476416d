"""REFI-QDA round trip of the reviewers' work: their codings under their own user with dates, memos
as notes, code colours, document variables apart from case variables, source names safe as file
names, and case codes that link respondents to their quotations the way QualCoder reads them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from queries.exports.qdpx import NAMESPACE, guid
from tests.conftest import published_rows
from tests.queries.test_qdpx import SCHEMA
from tests.theme_store import build_theme_store

NS = {"q": NAMESPACE}


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory) -> tuple[Path, int]:
    """The theme store with a title that is no file name, one quotation coded and memoed by a reviewer."""
    data = build_theme_store(tmp_path_factory.mktemp("qdpx-reviews"))
    con = duckdb.connect(str(data / "current" / "evidence.duckdb"))
    con.execute("UPDATE documents SET title = 'Care homes: 2019/20 review?' WHERE doc_id = 'a'")
    con.close()
    quote = published_rows(data, "SELECT quote_id FROM quotes WHERE text LIKE 'We shared%'")[0][0]
    run("review", "theme", str(quote), "dedicated and ongoing resources", "--reviewer", "ana", "--data", str(data))
    run("review", "memo", "Typical of site 2.", "--quote", str(quote), "--reviewer", "ana", "--data", str(data))
    run("review", "memo", "The pilot report.", "--doc", "a", "--reviewer", "bob", "--data", str(data))
    run("review", "memo", "A manager.", "--respondent", "P1S2R02", "--study", "s1", "--reviewer", "bob",
        "--data", str(data))
    return data, quote


def export(data: Path, out: Path, *extra: str) -> ET.Element:
    run("export", "--format", "qdpx", "--out", str(out), "--data", str(data), *extra)
    return ET.fromstring(zipfile.ZipFile(out).read("project.qde"))


def test_reviewer_codings_carry_their_own_user_and_date(reviewed, tmp_path):
    data, quote = reviewed
    root = export(data, tmp_path / "p.qdpx")
    users = {u.get("name"): u.get("guid") for u in root.iterfind("q:Users/q:User", NS)}
    assert {"ana", "bob"} <= set(users)
    selection = root.find(f".//q:PlainTextSelection[@guid='{guid('quote', quote)}']", NS)
    theirs = [c for c in selection.iterfind("q:Coding", NS) if c.get("creatingUser") == users["ana"]]
    assert len(theirs) == 1 and theirs[0].get("creationDateTime").endswith("Z")
    others = [c for c in root.iterfind(".//q:Coding", NS) if c.get("creatingUser") != users["ana"]]
    assert all(c.get("creatingUser") == users["evidence-pipeline"] for c in others)


def test_memos_are_notes_and_a_respondent_memo_describes_its_case(reviewed, tmp_path):
    data, quote = reviewed
    root = export(data, tmp_path / "p.qdpx")
    notes = {n.get("guid"): n.find("q:PlainTextContent", NS).text for n in root.iterfind("q:Notes/q:Note", NS)}
    selection = root.find(f".//q:PlainTextSelection[@guid='{guid('quote', quote)}']", NS)
    assert notes[selection.find("q:NoteRef", NS).get("targetGUID")] == "Typical of site 2."
    source = root.find(f".//q:TextSource[@guid='{guid('document', 'a')}']", NS)
    assert notes[source.find("q:NoteRef", NS).get("targetGUID")] == "The pilot report."
    case = next(c for c in root.iterfind("q:Cases/q:Case", NS) if c.get("name") == "P1S2R02")
    assert case.find("q:Description", NS).text == "A manager."


def test_codes_have_distinct_colours_and_sources_their_own_variables(reviewed, tmp_path):
    data, _ = reviewed
    root = export(data, tmp_path / "p.qdpx")
    themes = root.findall("q:CodeBook/q:Codes/q:Code/q:Code", NS)
    colours = [c.get("color") for c in themes]
    assert all(colours) and len(set(colours)) == len(colours)
    names = {v.get("guid"): v.get("name") for v in root.iterfind("q:Variables/q:Variable", NS)}
    source_variables = {names[v.find("q:VariableRef", NS).get("targetGUID")]
                        for v in root.iterfind(".//q:TextSource/q:VariableValue", NS)}
    case_variables = {names[v.find("q:VariableRef", NS).get("targetGUID")]
                      for v in root.iterfind(".//q:Case/q:VariableValue", NS)}
    assert "doc_study" in source_variables and "study" in case_variables
    assert not source_variables & case_variables


def test_source_names_are_safe_as_file_names(reviewed, tmp_path):
    data, _ = reviewed
    root = export(data, tmp_path / "p.qdpx")
    names = [s.get("name") for s in root.iterfind("q:Sources/q:TextSource", NS)]
    assert "Care homes- 2019-20 review" in names
    assert not any(ch in name for name in names for ch in '/\\:*?"<>|')


def test_case_codes_link_each_respondent_to_its_quotations(reviewed, tmp_path):
    data, _ = reviewed
    root = export(data, tmp_path / "p.qdpx", "--case-codes")
    cases = {c.get("guid"): c for c in root.iterfind("q:Cases/q:Case", NS)}
    codes = {c.get("guid"): c for c in root.iterfind(".//q:Code", NS) if c.get("guid") in cases}
    assert set(codes) == set(cases)
    assert all(c.get("isCodable") == "true" and c.get("name") == cases[g].get("name") for g, c in codes.items())
    for case_guid, case in cases.items():
        linked = {s.get("targetGUID") for s in case.iterfind("q:SelectionRef", NS)}
        coded = {s.get("guid") for s in root.iterfind(".//q:PlainTextSelection", NS)
                 if any(c.find("q:CodeRef", NS).get("targetGUID") == case_guid for c in s.iterfind("q:Coding", NS))}
        assert coded == linked and linked


def test_the_reviewed_project_with_case_codes_validates_against_the_schema(reviewed, tmp_path):
    xmlschema = pytest.importorskip("xmlschema")
    if not SCHEMA.is_file():
        pytest.skip(f"the REFI-QDA schema is not at {SCHEMA}")
    data, _ = reviewed
    out = tmp_path / "p.qdpx"
    export(data, out, "--case-codes")
    xmlschema.XMLSchema(str(SCHEMA)).validate(zipfile.ZipFile(out).read("project.qde").decode("utf-8"))
