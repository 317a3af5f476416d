"""Options and error handling shared by every `evidence` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ingest.errors import EvidenceError

if TYPE_CHECKING:
    from queries.store import EvidenceStore

DEFAULT_DATA = Path("data")


BUG_REPORT = ("this is a bug in evidence-pipeline, not a problem with your input; please report it with the "
              "command you ran and the traceback (set EVIDENCE_DEBUG=1 to see it)")


def friendly(command: Callable) -> Callable:
    """Turn the library's errors (the `EvidenceError` tree) into one line on stderr and exit code 2.

    Anything else is a bug: one line that says so and how to report it, exit code 1, and the
    traceback itself with EVIDENCE_DEBUG=1, so a programming error never reads like a typo.
    """

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            sys.exit(0)
        except EvidenceError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:
            if os.environ.get("EVIDENCE_DEBUG"):
                raise
            click.echo(f"error: {type(error).__name__}: {error}", err=True)
            click.echo(f"error: {BUG_REPORT}", err=True)
            sys.exit(1)

    return wrapper


def some(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def data_option(command: Callable) -> Callable:
    return click.option(
        "--data", "data_dir", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True,
        help="Folder holding the published DuckDB file and FAISS index.",
    )(command)


def readable_rows(rows: Sequence[Any], store: EvidenceStore) -> list[dict[str, Any]]:
    """Rows as a table shows them: `source` is the document, by the short id `--doc` accepts back,
    with its page and any other printing of the same words; a document quotation's citation
    stands where a respondent's code would be."""
    from pipeline.output import as_dicts

    short = store.short_document_ids()
    records = as_dicts(rows)
    for record in records:
        doc_id = str(record.get("doc_id"))
        page = record.get("page")
        source = f"{short.get(doc_id, doc_id)} p. {page}" if page else short.get(doc_id, doc_id)
        others = [_shortened(place, short) for place in record.get("other_printings") or ()]
        record["source"] = source + (f"; also {', '.join(others)}" if others else "")
        citation = " ".join((record.get("attribution") or "").split())
        if not record.get("respondent_code") and citation:
            record["respondent_code"] = f"cited {citation}"
    return records


def _shortened(place: str, short: dict[str, str]) -> str:
    doc_id, _, rest = place.partition(" ")
    return f"{short.get(doc_id, doc_id)} {rest}".strip()
