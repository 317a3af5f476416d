"""Text cells made safe to open in a spreadsheet: the OWASP rule against CSV (formula) injection.

Spreadsheet programs run a cell that begins with `=`, `+`, `-` or `@` as a formula (and some
also after a leading tab or carriage return), so a quotation such as `=HYPERLINK(...)` could run
on the reviewer's machine. Every CSV this tool writes prefixes such a text cell with a single
quote, which spreadsheets show as plain text. Numbers are written as they are.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value: Any) -> Any:
    """The value, with a single quote in front when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
