"""The evidence browser: each JSON endpoint returns what its CLI twin prints with --json on the same
store, the page shows ranked quotations with context, the encoder loads once, and the server
refuses a non-loopback address that did not come from the command line."""

from __future__ import annotations

import json
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from pipeline.cli import main
from pipeline.ingest_run import IngestOptions, run_ingest
from pipeline.server import UnsafeBind, check_bind_address, create_app, is_loopback
from tests.theme_store import CODEBOOK

REPORT = """Findings

Dedicated and ongoing resources

Most sites said the money was the problem. As this commissioner said:

"When the funding ended the service stopped, and we lost the nurses we had trained." (P3S1R03)

Another manager agreed that the budget was never secure:

"We never knew if the money for the nurses would be there next year, so nobody stayed." (P3S2R04)

Communication

Sharing information was hard, as one manager explained:

"We could not email the care homes, they had no secure accounts, so we phoned." (P3S2R01)
"""

OTHER = """Results

Workforce

The staff in the homes changed often. One nurse put it like this:

"Every month there were new faces, and the training we did was lost when they left." (P3S3R02)
"""


class CountingFactory:
    """An embedder factory that counts how often the server asks for a new encoder."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> HashingEmbedder:
        self.calls += 1
        return HashingEmbedder()


LOCAL = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """Two small text reports ingested with the hashing embedder: passages, FAISS index, coded themes."""
    root = tmp_path_factory.mktemp("serve")
    (root / "corpus").mkdir()
    (root / "corpus" / "a.txt").write_text(REPORT, encoding="utf-8")
    (root / "corpus" / "b.txt").write_text(OTHER, encoding="utf-8")
    (root / "manifest.yaml").write_text(
        "root: corpus\ndocuments:\n  - {id: a, path: a.txt, title: 'Report a', study: s1}\n"
        "  - {id: b, path: b.txt, title: 'Report b', study: s2}\n", encoding="utf-8")
    (root / "themes.yaml").write_text(CODEBOOK, encoding="utf-8")
    options = IngestOptions(workers=1, show_progress=False, codebook_path=root / "themes.yaml")
    summary = run_ingest(root / "manifest.yaml", root / "data", HashingEmbedder, options)
    assert not summary.failures and summary.quotes == 4
    return root / "data"


@pytest.fixture(scope="module")
def factory() -> CountingFactory:
    return CountingFactory()


@pytest.fixture(scope="module")
def client(store, factory) -> TestClient:
    return TestClient(create_app(store, factory), base_url=LOCAL)


@pytest.fixture
def cli(store, monkeypatch):
    """Run `evidence ... --json` on the store, with the hashing embedder standing in for the model."""
    monkeypatch.setattr("index.embedder.SentenceTransformerEmbedder", HashingEmbedder)

    def run(*args: str) -> list[dict]:
        result = CliRunner().invoke(main, [*args, "--data", str(store), "--json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    return run


@pytest.mark.parametrize(("params", "args"), [
    ({"theme": "communication"}, ["theme", "communication"]),
    ({"theme": "dedicated and ongoing resources", "codebook": "test", "k": 2, "method": "dense"},
     ["theme", "dedicated and ongoing resources", "--codebook", "test", "--k", "2", "--method", "dense"]),
    ({"theme": "nurses leaving", "where": "site=2", "min_score": 0},
     ["theme", "nurses leaving", "--where", "site=2", "--min-score", "0"]),
    ({"theme": "money", "doc": ["a", "b"], "kind": "interview", "per_respondent": 1, "min_score": 0},
     ["theme", "money", "--doc", "a", "--doc", "b", "--kind", "interview", "--per-respondent", "1",
      "--min-score", "0"]),
])
def test_theme_endpoint_equals_evidence_theme_json(client, cli, params, args):
    response = client.get("/api/theme", params=params)
    assert response.status_code == 200, response.text
    assert response.json() == cli(*args)
    assert response.json()


@pytest.mark.parametrize(("params", "args"), [
    ({"text": "funding for nurses", "k": 3}, ["search", "funding for nurses", "--k", "3"]),
    ({"text": "email the care homes"}, ["search", "email the care homes"]),
])
def test_search_endpoint_equals_evidence_search_json(client, cli, params, args):
    response = client.get("/api/search", params=params)
    assert response.status_code == 200, response.text
    assert response.json() == cli(*args) and response.json()


@pytest.mark.parametrize(("params", "args"), [
    ({}, ["quotes"]),
    ({"doc": "a", "limit": 2}, ["quotes", "--doc", "a", "--limit", "2"]),
    ({"study": "s2"}, ["quotes", "--study", "s2"]),
    ({"where": "site=2", "kind": "interview"}, ["quotes", "--where", "site=2", "--kind", "interview"]),
])
def test_quotes_endpoint_equals_evidence_quotes_json(client, cli, params, args):
    response = client.get("/api/quotes", params=params)
    assert response.status_code == 200, response.text
    assert response.json() == cli(*args)


def test_bad_filters_are_400_with_the_library_message(client):
    response = client.get("/api/quotes", params={"where": "shoe_size=9"})
    assert response.status_code == 400 and "unknown facet 'shoe_size'" in response.json()["detail"]
    assert client.get("/api/theme", params={"theme": "x", "codebook": "nope"}).status_code == 400
    assert client.get("/api/theme", params={"theme": "x", "k": 0}).status_code == 400


def test_hostile_input_is_a_bound_parameter_and_escaped(client):
    hostile = "a' OR 1=1 --<script>"
    refused = client.get("/api/quotes", params={"doc": hostile})
    assert refused.status_code == 400 and "no document" in refused.json()["detail"]
    page = client.get("/", params={"q": "communication", "doc": hostile, "respondent": "<script>x</script>"})
    assert page.status_code == 400 and "<script>" not in page.text
    assert "no document" in page.text


def test_the_page_shows_ranked_quotations_with_respondents_and_context(client):
    page = client.get("/", params={"q": "dedicated and ongoing resources", "codebook": "test"})
    assert page.status_code == 200
    assert "theme 'dedicated and ongoing resources'" in unescape(page.text)
    assert '<span class="respondent">P3S1R03</span>' in page.text and "#1 " in page.text
    assert "Surrounding paragraphs" in page.text and "As this commissioner said:" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    passages = client.get("/", params={"q": "nurses", "mode": "passages"})
    assert passages.status_code == 200 and "passages</p>" in passages.text
    assert client.get("/", params={"q": "x", "where": "nonsense"}).status_code == 400


def test_openapi_documents_the_endpoints_and_their_fields(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/theme", "/api/search", "/api/quotes"} <= set(spec["paths"])
    schemas = spec["components"]["schemas"]
    assert {"respondent_code", "section_path", "page", "score"} <= set(schemas["ThemeHit"]["properties"])
    assert client.get("/docs").status_code == 200


def test_the_encoder_loads_once_per_server_process(store):
    factory = CountingFactory()
    client = TestClient(create_app(store, factory), base_url=LOCAL)
    assert client.get("/api/theme", params={"theme": "communication"}).status_code == 200
    assert factory.calls == 0
    for text in ("money ran out", "phoned the homes", "new faces"):
        assert client.get("/api/search", params={"text": text}).status_code == 200
        assert client.get("/api/theme", params={"theme": text + " again"}).status_code == 200
    assert factory.calls == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_need_no_flag(host):
    assert is_loopback(host)
    check_bind_address(host, explicit=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.10", "example.org"])
def test_a_non_loopback_address_is_refused_unless_typed_on_the_command_line(host):
    with pytest.raises(UnsafeBind, match="not a loopback address"):
        check_bind_address(host, explicit=False)
    check_bind_address(host, explicit=True)


def test_serve_refuses_a_host_widened_by_configuration(store, monkeypatch):
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server must not start"))
    result = CliRunner().invoke(main, ["serve", "--data", str(store)], default_map={"serve": {"host": "0.0.0.0"}})
    assert result.exit_code == 2 and "refusing to listen on 0.0.0.0" in result.output
    result = CliRunner().invoke(main, ["serve", "--data", str(store)], auto_envvar_prefix="EVIDENCE",
                                env={"EVIDENCE_SERVE_HOST": "0.0.0.0"})
    assert result.exit_code == 2 and "refusing" in result.output


def test_serve_starts_uvicorn_on_loopback_by_default(store, monkeypatch):
    started = {}
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: started.update(kwargs))
    result = CliRunner().invoke(main, ["serve", "--data", str(store), "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert started == {"host": "127.0.0.1", "port": 8765, "log_level": "warning"}


@pytest.mark.parametrize("host", ["attacker.example", "attacker.example:8000", "127.0.0.1.attacker.example", ""])
def test_a_request_naming_another_host_is_refused(client, host):
    response = client.get("/api/quotes", headers={"host": host})
    assert response.status_code == 421
    assert "Host header not allowed" in response.text


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000", "LOCALHOST."])
def test_a_request_naming_a_loopback_host_is_answered(client, host):
    assert client.get("/api/quotes", headers={"host": host}).status_code == 200


def test_a_host_allowed_on_the_command_line_is_answered(store, factory):
    client = TestClient(create_app(store, factory, allowed_hosts=["evidence.lan"]), base_url="http://evidence.lan")
    assert client.get("/api/quotes").status_code == 200


def test_the_api_docs_page_needs_nothing_from_another_site(client):
    page = client.get("/docs")
    assert page.status_code == 200 and "/api/quotes" in page.text and "per_respondent" in page.text
    assert "://" not in page.text and "<script" not in page.text


@pytest.mark.parametrize(("path", "params"), [
    ("/api/quotes", {"limit": 10**30}),
    ("/api/quotes", {"limit": 0}),
    ("/api/theme", [("theme", "money"), *[("entity", f"e{i}") for i in range(1000)]]),
    ("/api/theme", {"theme": "money", "k": "many"}),
])
def test_bad_parameters_are_400_with_one_line(client, path, params):
    response = client.get(path, params=params)
    assert response.status_code == 400
    assert "\n" not in response.json()["detail"]


def test_the_most_filter_values_allowed_are_checked_one_by_one(client):
    params = [("theme", "money"), *[("respondent", "P3S1R03")] * 99, ("respondent", "P9S9R99")]
    response = client.get("/api/theme", params=params)
    assert response.status_code == 400
    assert "P9S9R99" in response.json()["detail"]


def test_the_page_speaks_the_reviewers_language(client):
    page = client.get("/").text
    for jargon in (">Find ", ">Kind ", ">Facet ", "--where", "FACET=VALUE"):
        assert jargon not in page, jargon
    for label in ("Show", "Who is speaking", "Respondent group", "How many"):
        assert f"<label>{label} " in page, label
    assert '<option value="site=2">site: 2</option>' in page


@pytest.mark.parametrize("params", [
    {"q": "communication", "mode": ""},
    {"q": "communication", "k": "0"},
    {"q": "communication", "k": "many"},
    {"q": "communication", "kind": "interviews"},
    {"q": "communication", "where": "nonsense"},
    {"q": "communication", "respondent": "P9S9R99"},
])
def test_a_choice_the_page_cannot_use_is_a_message_in_the_page(client, params):
    response = client.get("/", params=params)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    message = response.text.split('id="error-message" role="alert">', 1)[1].split("</p>", 1)[0]
    assert message and "--" not in message and "detail" not in message


def test_an_unknown_respondent_on_the_page_names_the_closest(client):
    response = client.get("/", params={"q": "communication", "respondent": "P3S1R3"})
    assert response.status_code == 400 and "did you mean P3S1R03?" in response.text


def test_the_page_says_nothing_above_the_floor_until_the_floor_is_lowered(client):
    asked = {"q": "volcanic ash over the harbour lighthouse"}
    strict = client.get("/", params=asked)
    assert strict.status_code == 200 and "nothing above the floor (0.5)" in strict.text
    assert 'id="field-min_score"' in strict.text
    lowered = client.get("/", params={**asked, "min_score": 0})
    assert lowered.status_code == 200 and "nothing above the floor" not in lowered.text
    assert '<article class="quote"' in lowered.text
