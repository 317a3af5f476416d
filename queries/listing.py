"""Plain listings of stored rows: respondents, and the documents with their status."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from index.published import open_published

RESPONDENT_COLUMNS = (
    "study", "code", "scheme", "phase", "site", "national", "number", "care_model", "role", "org", "n_quotes",
)


def list_respondents(data_dir: Path, study: str | None = None) -> list[dict[str, Any]]:
    """Respondents ordered by study and code, with their facets and how often they are quoted."""
    con, _ = open_published(data_dir)
    try:
        cursor = con.execute(
            f"SELECT {', '.join(RESPONDENT_COLUMNS)} FROM respondents "
            "WHERE ? IS NULL OR study = ? ORDER BY study, code",
            [study, study],
        )
        return [dict(zip(RESPONDENT_COLUMNS, row)) for row in cursor.fetchall()]
    finally:
        con.close()
