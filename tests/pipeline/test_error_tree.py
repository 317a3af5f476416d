"""One error tree: every error a user can act on derives from EvidenceError, and the CLI and the web
server report only that tree as the user's problem; anything else reads as a bug."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

import queries.store
from ingest.errors import EvidenceError, RequestError
from pipeline import server
from pipeline.cli import main

PACKAGES = ("ingest", "index", "queries", "pipeline")


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for package in PACKAGES:
        for module in pkgutil.walk_packages(importlib.import_module(package).__path__, prefix=f"{package}."):
            loaded = importlib.import_module(module.name)
            found.extend(cls for _, cls in inspect.getmembers(loaded, inspect.isclass)
                         if issubclass(cls, BaseException) and cls.__module__ == loaded.__name__)
    return found


def test_every_exception_class_of_the_library_derives_from_evidence_error():
    classes = _exception_classes()
    assert classes, "no exception class found"
    outside = [f"{cls.__module__}.{cls.__name__}" for cls in classes if not issubclass(cls, EvidenceError)]
    assert outside == []


def test_the_cli_reports_an_evidence_error_as_the_users_problem(monkeypatch, tmp_path: Path):
    def refuse(*_args, **_kwargs):
        raise RequestError("no study called nowhere")

    monkeypatch.setattr(queries.store.EvidenceStore, "respondents", refuse)
    result = CliRunner().invoke(main, ["respondents", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert "error: no study called nowhere" in result.output
    assert "bug" not in result.output


def test_the_cli_reports_a_programming_error_as_a_bug_not_as_a_user_error(monkeypatch, tmp_path: Path):
    def broken(*_args, **_kwargs):
        raise ValueError("invalid literal for int()")

    monkeypatch.delenv("EVIDENCE_DEBUG", raising=False)
    monkeypatch.setattr(queries.store.EvidenceStore, "respondents", broken)
    result = CliRunner().invoke(main, ["respondents", "--data", str(tmp_path)])
    assert result.exit_code not in (0, 2)
    assert "bug" in result.output and "report" in result.output
    assert "EVIDENCE_DEBUG" in result.output


def test_the_cli_shows_the_traceback_of_a_bug_when_asked(monkeypatch, tmp_path: Path):
    def broken(*_args, **_kwargs):
        raise ValueError("invalid literal for int()")

    monkeypatch.setenv("EVIDENCE_DEBUG", "1")
    monkeypatch.setattr(queries.store.EvidenceStore, "respondents", broken)
    result = CliRunner().invoke(main, ["respondents", "--data", str(tmp_path)])
    assert isinstance(result.exception, ValueError)


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = server.create_app(tmp_path, embedder_factory=lambda: None)
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


@pytest.mark.parametrize(("error", "status", "is_bug"), [
    (RequestError("no study called nowhere"), 400, False),
    (ValueError("invalid literal for int()"), 500, True),
])
def test_the_server_answers_only_an_evidence_error_as_a_bad_request(monkeypatch, client: TestClient, error, status,
                                                                    is_bug):
    def fail(*_args, **_kwargs):
        raise error

    monkeypatch.setattr(queries.store.EvidenceStore, "quotes", fail)
    response = client.get("/api/quotes")
    assert response.status_code == status
    assert ("bug" in response.json()["detail"]) == is_bug


def test_a_data_folder_that_cannot_be_made_is_the_users_problem(write_corpus, tmp_path: Path):
    manifest = write_corpus({"a.txt": "Some words about care homes."})
    a_file = tmp_path / "not-a-folder"
    a_file.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["ingest", "--manifest", str(manifest), "--data", str(a_file / "data"),
                                       "--quiet"])
    assert result.exit_code == 2
    assert "data folder" in result.output and "bug" not in result.output
