"""All-or-nothing writes, and bulk inserts through Arrow, shared by every writer of the store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pyarrow as pa


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Commit when the block finishes, roll back when anything (even an interrupt) escapes it."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def insert_arrow(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table | dict[str, list]) -> None:
    """Insert columns in one statement: far faster than row-by-row inserts. Column names must match."""
    arrow = rows if isinstance(rows, pa.Table) else pa.table(rows)
    if arrow.num_rows == 0:
        return
    columns = ", ".join(arrow.column_names)
    con.register("_incoming", arrow)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _incoming")
    finally:
        con.unregister("_incoming")
