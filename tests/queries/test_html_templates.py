"""HTML pages come from templates shipped with the package, and whatever a template prints is escaped."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

import pytest

from pipeline.api_docs import render_api_docs
from queries.html_templates import html_environment, paragraphs
from tests.conftest import REPO

HOSTILE = '<script>alert("x")</script>'


@pytest.mark.parametrize("package", ["queries", "pipeline"])
def test_every_template_is_installed_as_package_data(package):
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"][package]
    shipped = sorted((REPO / package / "templates").iterdir())
    assert shipped
    assert [f.name for f in shipped if not any(fnmatch(f"templates/{f.name}", p) for p in patterns)] == []


def test_a_template_escapes_what_it_prints_unless_told_it_is_markup():
    environment = html_environment("pipeline", "queries")
    assert environment.from_string("<p>{{ text }}</p>").render(text=HOSTILE) == (
        "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>")
    assert paragraphs(f"{HOSTILE}\n\nnext\nline") == (
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br><br>next line")


def test_the_api_docs_escape_the_schema_they_describe():
    spec = {"info": {"title": HOSTILE, "summary": HOSTILE},
            "paths": {"/api/<x>": {"get": {"summary": HOSTILE, "parameters": [
                {"name": HOSTILE, "required": True, "description": HOSTILE,
                 "schema": {"type": "string", "default": HOSTILE}}]}}}}
    page = render_api_docs(spec)
    assert "<script>" not in page and "/api/&lt;x&gt;" in page
    assert page.count("&lt;script&gt;") == 7 and "(required)" in page
