"""SQL over the published store for a reviewer who knows SQL, without installing the duckdb program.

The database is opened read-only and with external access switched off, so a statement can neither
change the evidence nor read or write other files (no COPY TO, ATTACH, read_csv) nor reach a network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb

from index.published import published
from ingest.errors import RequestError

MAX_ROWS = 100_000


class SqlError(RequestError):
    """A statement DuckDB refused: a syntax error, an unknown table, or an attempt to write."""


def run_sql(data_dir: Path, statement: str, max_rows: int = MAX_ROWS) -> list[dict[str, Any]]:
    """The rows of one statement on the published database, as column -> value dicts."""
    if not statement.strip():
        raise SqlError("the SQL statement is empty")
    generation = published(data_dir)
    con = duckdb.connect(":memory:")
    try:
        # A database of its own, so the settings bind no other connection of this process.
        con.execute("ATTACH ? AS evidence (READ_ONLY)", [str(generation.db_path)])
        con.execute("USE evidence")
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        try:
            cursor = con.execute(statement)
        except duckdb.Error as error:
            raise SqlError(" ".join(str(error).split())) from None
        if cursor.description is None:
            return []
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchmany(max_rows)]
    finally:
        con.close()
