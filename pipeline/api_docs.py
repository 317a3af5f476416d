"""The API documentation as one self-contained HTML page, built from the app's OpenAPI schema.

FastAPI's own /docs page loads its script and styles from a CDN: blank offline, and a third
party learns who browses the evidence. This page needs nothing beyond the server itself; it is
`templates/api_docs.html.j2`, rendered with autoescape.
"""

from __future__ import annotations

from typing import Any

from queries.html_templates import html_environment


def render_api_docs(spec: dict[str, Any]) -> str:
    """Every endpoint with its summary and its query parameters (name, type, default, meaning)."""
    info = spec.get("info", {})
    operations = [
        {"method": method.upper(), "path": path,
         "description": operation.get("description") or operation.get("summary", ""),
         "parameters": [_parameter(p) for p in operation.get("parameters", [])]}
        for path, methods in spec.get("paths", {}).items()
        for method, operation in methods.items()
    ]
    return html_environment("pipeline").get_template("api_docs.html.j2").render(
        title=info.get("title", "API"), summary=info.get("summary", ""), operations=operations)


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = parameter.get("schema", {})
    default = schema.get("default")
    return {"name": parameter["name"], "required": bool(parameter.get("required")), "type": _type_name(schema),
            "default": "" if default is None else str(default), "description": parameter.get("description", "")}


def _type_name(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " | ".join(_type_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type_name(schema.get('items', {}))}"
    return str(schema.get("type", "any"))
