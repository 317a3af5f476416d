"""Which quotations a query may return: by document, study, kind of source, respondent, respondent
facets (`site=3`) and entity mentioned. Applied before ranking, so `k` never pulls in others.

Every value the user gives is a bound SQL parameter; a facet name is only put into SQL after it
is found among the respondents table's own columns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import duckdb

from ingest.errors import RequestError
from queries.search import known_values

# Respondent columns that identify rows rather than describe the respondent.
NOT_FACETS = frozenset({"respondent_id", "n_quotes"})
SOURCE_KINDS = ("interview", "document", "other")


class FilterError(RequestError):
    """A filter the store cannot apply: unknown facet, malformed `key=value`, empty value."""


@dataclass(frozen=True)
class QuoteFilter:
    """Conditions on quotations; values within one field are alternatives, fields all apply."""

    docs: tuple[str, ...] = ()
    studies: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    respondents: tuple[str, ...] = ()
    facets: tuple[tuple[str, str], ...] = ()
    entities: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.docs or self.studies or self.kinds or self.respondents or self.facets or self.entities)


def parse_where(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """`site=3`, `care_model=EHCH` -> (name, value) pairs; names are checked later against the store."""
    pairs = []
    for item in items:
        name, sep, value = item.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise FilterError(f"a respondent facet is written name=value, e.g. site=3; got {item!r}")
        pairs.append((name, value))
    return tuple(pairs)


def facet_names(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """The respondent columns a --where may name: whatever the respondents table describes."""
    columns = [row[0] for row in con.execute("DESCRIBE respondents").fetchall()]
    return tuple(c for c in columns if c not in NOT_FACETS)


def resolve_filter(con: duckdb.DuckDBPyConnection, where: QuoteFilter) -> QuoteFilter:
    """The filter with every value found in the store and spelt as stored; an unknown value raises
    `known_values.UnknownValue` naming the closest known ones."""
    allowed = facet_names(con) if where.facets else ()
    for name, _ in where.facets:
        if name not in allowed:
            raise FilterError(f"unknown facet {name!r}; respondent facets are: {', '.join(allowed)}")

    def each(values: tuple[str, ...], match: Callable[[duckdb.DuckDBPyConnection, str], str]) -> tuple[str, ...]:
        return tuple(match(con, _text(v)) for v in values)

    return replace(
        where,
        docs=each(where.docs, known_values.match_document),
        studies=each(where.studies, known_values.match_study),
        kinds=tuple(known_values.match_name("kind of source", _text(v), SOURCE_KINDS) for v in where.kinds),
        respondents=each(where.respondents, known_values.match_respondent),
        entities=each(where.entities, known_values.match_entity),
        facets=tuple((name, known_values.match_facet_value(con, name, _text(value)))
                     for name, value in where.facets),
    )


def matching_quote_ids(con: duckdb.DuckDBPyConnection, where: QuoteFilter) -> list[int]:
    """Ids of the quotations that pass every condition (each value checked against the store first)."""
    sql, params = matching_quote_sql(con, where)
    return [row[0] for row in con.execute(sql, params).fetchall()]


def matching_quote_sql(con: duckdb.DuckDBPyConnection, where: QuoteFilter) -> tuple[str, list[object]]:
    """A SELECT of the ids matching_quote_ids returns, with its parameters: a listing that shows a
    page of them uses it as a subquery, so the ids of a large store never travel through Python."""
    where = resolve_filter(con, where)
    clauses: list[str] = []
    params: list[object] = []

    def any_of(expression: str, values: tuple[str, ...]) -> None:
        if values:
            clauses.append("(" + " OR ".join(f"lower({expression}) = lower(?)" for _ in values) + ")")
            params.extend(_text(v) for v in values)

    any_of("q.doc_id", where.docs)
    any_of("d.study", where.studies)
    any_of("q.source_kind", where.kinds)
    any_of("q.respondent_code", where.respondents)
    by_name: dict[str, list[str]] = {}
    for name, value in where.facets:
        by_name.setdefault(name, []).append(value)
    for name, values in by_name.items():
        any_of(f'CAST(r."{name}" AS VARCHAR)', tuple(values))
    for entity in where.entities:
        clauses.append(
            "q.quote_id IN (SELECT m.quote_id FROM mentions m JOIN entities e USING (entity_id) "
            "WHERE m.quote_id IS NOT NULL AND (lower(e.canonical) = lower(?) "
            "OR EXISTS (SELECT 1 FROM unnest(e.aliases) AS alias(name) WHERE lower(alias.name) = lower(?))))"
        )
        params.extend([_text(entity), _text(entity)])
    sql = "SELECT q.quote_id FROM quotes q"
    if where.studies:
        sql += " JOIN documents d USING (doc_id)"
    if by_name:
        sql += " LEFT JOIN respondents r USING (respondent_id)"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params


def _text(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise FilterError("a filter value is empty")
    if "\x00" in value:
        raise FilterError("a filter value holds a NUL character")
    return value.strip()
