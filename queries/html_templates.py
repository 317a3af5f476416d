"""The Jinja2 environment every HTML page is rendered through.

Templates ship as package data (`<package>/templates/`); autoescape is on for every template, so
any stored or typed text a template prints is escaped unless the code hands it over as `Markup`
(a JSON block, an inline script whose hash the page's CSP names). Scripts and stylesheets are
plain files beside the templates, read as they are.
"""

from __future__ import annotations

from functools import cache

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape


@cache
def html_environment(*packages: str) -> Environment:
    """An environment loading the templates of these packages, first match wins."""
    environment = Environment(
        loader=ChoiceLoader([PackageLoader(package, "templates") for package in packages]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["paragraphs"] = paragraphs
    return environment


def static_text(package: str, name: str) -> str:
    """A script or stylesheet shipped beside the templates, exactly as written."""
    environment = html_environment(package)
    assert environment.loader is not None
    source, _, _ = environment.loader.get_source(environment, name)
    return source


def paragraphs(text: str) -> Markup:
    """Stored text with its paragraph breaks kept as line breaks and its line ends as spaces."""
    return Markup(str(escape(text)).replace("\n\n", "<br><br>").replace("\n", " "))
