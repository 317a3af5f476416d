"""Options and error handling shared by every `evidence` command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path

import click

DEFAULT_DATA = Path("data")


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the user has something to fix: print the message, no traceback."""
    from index.published import IngestRunning, NoPublishedState
    from index.vector_index import IndexMismatch
    from pipeline.ingest_run import StrictFailure
    from pipeline.manifest import ManifestError

    return (ManifestError, NoPublishedState, IngestRunning, StrictFailure, IndexMismatch, ValueError, OSError)


def friendly(command: Callable) -> Callable:
    """Turn library errors into one line on stderr and a non-zero exit code."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except BrokenPipeError:
            sys.exit(0)
        except _user_errors() as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(2)
        except (KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:
            if os.environ.get("EVIDENCE_DEBUG"):
                raise
            click.echo(f"error: {type(error).__name__}: {error} (set EVIDENCE_DEBUG=1 for the traceback)", err=True)
            sys.exit(1)

    return wrapper


def some(value: str | None) -> tuple[str, ...]:
    return (value,) if value else ()


def data_option(command: Callable) -> Callable:
    return click.option(
        "--data", "data_dir", type=click.Path(path_type=Path), default=DEFAULT_DATA, show_default=True,
        help="Folder holding the published DuckDB file and FAISS index.",
    )(command)
