"""One way to print rows for every query command: a readable table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

import click

from queries.csv_cells import neutralise_formula

# Columns other than the wide one wrap at this many characters.
NARROW_MAX = 36


def output_options(command: Callable) -> Callable:
    """Give a command --json and --csv, the same way for every query command."""
    command = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(command)
    return click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")(command)


def as_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [asdict(r) if is_dataclass(r) else dict(r) for r in rows]


def emit(rows: Sequence[Any], as_json: bool, as_csv: bool, columns: Sequence[str] | None = None,
         wide: str | None = None) -> None:
    """Print rows in the format the user chose; `wide` names the column that gets the spare width."""
    records = as_dicts(rows)
    if as_json:
        click.echo(json.dumps(records, indent=2, ensure_ascii=False, default=str))
        return
    columns = list(columns or (records[0].keys() if records else []))
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: _csv_value(r.get(c)) for c in columns} for r in records)
        return
    if not records:
        click.echo("No results.")
        return
    click.echo(render_table(records, columns, wide))


def _csv_value(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return neutralise_formula(value)


def render_table(records: list[dict[str, Any]], columns: list[str], wide: str | None) -> str:
    """A plain-text table sized to the terminal; the wide column wraps onto following lines."""
    width = shutil.get_terminal_size((120, 20)).columns
    cells = [[_cell(r.get(c)) for c in columns] for r in records]
    widths = [min(max(len(c), *(len(row[i]) for row in cells)), NARROW_MAX) for i, c in enumerate(columns)]
    if wide in columns:
        i = columns.index(wide)
        others = sum(w + 2 for j, w in enumerate(widths) if j != i)
        longest = max(len(wide), *(len(row[i]) for row in cells))
        widths[i] = max(min(longest, width - others), 30)
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.extend(_wrap_row(row, widths))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _wrap_row(row: list[str], widths: list[int]) -> list[str]:
    import textwrap

    wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in zip(row, widths)]
    height = max(len(w) for w in wrapped)
    return [
        "  ".join((w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)).rstrip()
        for i in range(height)
    ]
