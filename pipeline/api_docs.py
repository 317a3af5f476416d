"""The API documentation as one self-contained HTML page, built from the app's OpenAPI schema.

FastAPI's own /docs page loads its script and styles from a CDN: blank offline, and a third
party learns who browses the evidence. This page needs nothing beyond the server itself.
"""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.4}"
    "code{background:#f3f3f3;padding:0 .2em}table{border-collapse:collapse;margin:.5rem 0 1.5rem}"
    "td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}"
)


def render_api_docs(spec: dict[str, Any]) -> str:
    """Every endpoint with its summary and its query parameters (name, type, default, meaning)."""
    info = spec.get("info", {})
    parts = [
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(info.get('title', 'API'))}"
        f"</title><style>{STYLE}</style></head><body><h1>{escape(info.get('title', 'API'))}</h1>",
        f"<p>{escape(info.get('summary', ''))} The machine-readable schema is at "
        "<a href='/openapi.json'><code>/openapi.json</code></a>.</p>",
    ]
    for path, methods in spec.get("paths", {}).items():
        for method, operation in methods.items():
            parts.append(f"<h2><code>{escape(method.upper())} {escape(path)}</code></h2>")
            parts.append(f"<p>{escape(operation.get('description') or operation.get('summary', ''))}</p>")
            parameters = operation.get("parameters", [])
            if parameters:
                parts.append("<table><tr><th>parameter</th><th>type</th><th>default</th><th>meaning</th></tr>")
                parts.extend(_parameter_row(p) for p in parameters)
                parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def _parameter_row(parameter: dict[str, Any]) -> str:
    schema = parameter.get("schema", {})
    default = schema.get("default")
    return (
        f"<tr><td><code>{escape(parameter['name'])}</code>{'' if not parameter.get('required') else ' (required)'}"
        f"</td><td>{escape(_type_name(schema))}</td><td>{escape('' if default is None else str(default))}</td>"
        f"<td>{escape(parameter.get('description', ''))}</td></tr>"
    )


def _type_name(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_name(schema.get('items', {}))}"
    return str(schema.get("type", "any"))
