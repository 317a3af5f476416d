"""Safety of the browser's review actions: POST only, same origin, a token beyond loopback, and
every reviewer's text escaped on the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embedder import HashingEmbedder
from index.review_journal import read_reviews
from pipeline.server import create_app
from tests.conftest import published_rows
from tests.theme_store import build_theme_store


@pytest.fixture
def store(tmp_path) -> Path:
    return build_theme_store(tmp_path)


def first_quote(store: Path) -> int:
    return published_rows(store, "SELECT quote_id FROM quotes ORDER BY quote_id LIMIT 1")[0][0]


def test_with_a_token_a_write_without_it_is_refused_and_with_it_is_kept(store):
    client = TestClient(create_app(store, HashingEmbedder, token="s3cret"), base_url="http://127.0.0.1:8000")
    quote = first_quote(store)
    assert client.post(f"/review/quote/{quote}/reject", data={"back": "/"}).status_code == 403
    assert client.get("/login?token=wrong").status_code == 403
    assert read_reviews(store) == []
    assert client.get("/login?token=s3cret", follow_redirects=False).status_code == 303
    answer = client.post(f"/review/quote/{quote}/reject", data={"back": "/"}, follow_redirects=False)
    assert answer.status_code == 303
    assert [r.action for r in read_reviews(store)] == ["reject"]


def test_a_write_from_another_origin_or_by_get_changes_nothing(store):
    client = TestClient(create_app(store, HashingEmbedder), base_url="http://127.0.0.1:8000")
    quote = first_quote(store)
    assert client.post(f"/review/quote/{quote}/reject", data={}, headers={"Origin": "http://evil.example"}
                       ).status_code == 403
    assert client.post(f"/review/quote/{quote}/reject", data={}, headers={"Referer": "http://evil.example/x"}
                       ).status_code == 403
    assert client.get(f"/review/quote/{quote}/reject").status_code == 405
    assert read_reviews(store) == []


def test_a_redirect_never_leaves_the_server(store):
    client = TestClient(create_app(store, HashingEmbedder), base_url="http://127.0.0.1:8000")
    quote = first_quote(store)
    answer = client.post(f"/review/quote/{quote}/accept", data={"back": "//evil.example/"}, follow_redirects=False)
    assert answer.headers["location"] == f"/#card-{quote}"


def test_reviewer_text_is_escaped_on_the_document_page(store):
    client = TestClient(create_app(store, HashingEmbedder), base_url="http://127.0.0.1:8000")
    quote = first_quote(store)
    doc = published_rows(store, "SELECT doc_id FROM quotes WHERE quote_id = ?", [quote])[0][0]
    client.post(f"/review/quote/{quote}/memo", data={"memo": "<script>alert(1)</script>"})
    client.post(f"/review/quote/{quote}/respondent", data={"code": '"><img src=x>'})
    page = client.get(f"/doc/{doc}")
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<img src=x>" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_an_unknown_document_is_a_404_and_a_bad_span_a_400(store):
    client = TestClient(create_app(store, HashingEmbedder), base_url="http://127.0.0.1:8000")
    assert client.get("/doc/nope").status_code == 404
    answer = client.post(f"/review/quote/{first_quote(store)}/span", data={"start": "5", "end": "2"})
    assert answer.status_code == 400 and "not inside the document" in answer.json()["detail"]
