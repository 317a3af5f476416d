"""One way to print rows for every query command: a readable table, JSON or CSV."""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, is_dataclass
from functools import wraps
from typing import Any

import click

from queries.exports.csv_cells import neutralise_formula

# The column given the spare width (the quotation) gets at least this share of a narrow terminal.
WIDE_SHARE = 0.6
# No column is squeezed narrower than this many characters (or than it needs), nor than its heading.
NARROW_MIN = 10
# Shorter table headings for the long field names; JSON and CSV keep the field names.
HEADINGS = {"respondent_code": "respondent", "section_path": "section", "lead_in_role": "role",
            "doc_title": "title"}
FORMATS = ("table", "json", "csv")
_WIDE_KEY = "evidence.wide_table"


def output_options(command: Callable | None = None, *, format_option: bool = True) -> Callable:
    """Give a command --json and --csv (and --format, --wide), the same way for every query command.

    `--format` and `--wide` never reach the command: --format sets --json or --csv, and --wide is
    read by `emit` from the click context. A command with a --format of its own passes
    `format_option=False`.
    """
    if command is None:
        return lambda c: output_options(c, format_option=format_option)

    @wraps(command)
    def wrapper(*args, output_format: str | None = None, wide_table: bool = False, **kwargs):
        if output_format is not None:
            kwargs["as_json"] = kwargs.get("as_json") or output_format == "json"
            kwargs["as_csv"] = kwargs.get("as_csv") or output_format == "csv"
        click.get_current_context().meta[_WIDE_KEY] = wide_table
        return command(*args, **kwargs)

    decorated: Callable = wrapper
    if format_option:
        decorated = click.option("--format", "output_format", type=click.Choice(FORMATS), default=None,
                                 help="table (the default), json or csv.")(decorated)
    decorated = click.option("--wide", "wide_table", is_flag=True,
                             help="Table rows on one line each, however wide, for a wide screen or a pager.")(decorated)
    decorated = click.option("--csv", "as_csv", is_flag=True, help="Print CSV with a header row.")(decorated)
    return click.option("--json", "as_json", is_flag=True, help="Print a JSON array of objects.")(decorated)


def as_dicts(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [asdict(r) if is_dataclass(r) and not isinstance(r, type) else dict(r) for r in rows]


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


def render_table(records: list[dict[str, Any]], columns: list[str], wide: str | None,
                 width: int | None = None) -> str:
    """A plain-text table that fits the terminal: the `wide` column (the quotation) gets the room,
    at least half of a narrow terminal, and the other columns wrap into what is left. With --wide,
    one line per row, nothing wrapped."""
    context = click.get_current_context(silent=True)
    one_line = bool(context and context.meta.get(_WIDE_KEY))
    headings = [HEADINGS.get(c, c) for c in columns]
    cells = [[_cell(r.get(c)) for c in columns] for r in records]
    natural = [max(len(h), *(len(row[i]) for row in cells)) for i, h in enumerate(headings)]
    if one_line:
        widths = natural
    else:
        width = width or shutil.get_terminal_size((100, 20)).columns
        floors = [min(n, max(NARROW_MIN, len(h))) for n, h in zip(natural, headings)]
        widths = fit_widths(natural, floors, width - 2 * (len(columns) - 1),
                            columns.index(wide) if wide in columns else None)
    lines = _wrap_row(headings, widths, one_line)
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.extend(_wrap_row(row, widths, one_line))
    return "\n".join(lines)


def fit_widths(natural: list[int], floors: list[int], room: int, wide: int | None) -> list[int]:
    """Column widths adding up to at most `room` where the floors allow: the wide column first (at
    least WIDE_SHARE of the room, or all it needs), then the others share the rest, narrowest needs
    met first; no column below its floor."""
    if sum(natural) <= room:
        return list(natural)
    others = [i for i in range(len(natural)) if i != wide]
    widths = list(natural)
    if wide is not None:
        wanted = max(int(room * WIDE_SHARE), room - sum(natural[i] for i in others))
        widths[wide] = max(floors[wide], min(natural[wide], wanted, room - sum(floors[i] for i in others)))
    left = room - (widths[wide] if wide is not None else 0)
    cap = 0
    while cap < max((natural[i] for i in others), default=0) and \
            sum(max(floors[i], min(natural[i], cap + 1)) for i in others) <= left:
        cap += 1
    for i in others:
        widths[i] = max(floors[i], min(natural[i], cap))
    if wide is not None:
        widths[wide] = min(natural[wide], max(widths[wide], room - sum(widths[i] for i in others)))
    return widths


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _wrap_row(row: Sequence[str], widths: list[int], one_line: bool = False) -> list[str]:
    import textwrap

    if one_line:
        return ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()]
    wrapped = [textwrap.wrap(cell, w, break_on_hyphens=False) or [""] for cell, w in zip(row, widths)]
    height = max(len(w) for w in wrapped)
    return [
        "  ".join((w[i] if i < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)).rstrip()
        for i in range(height)
    ]
