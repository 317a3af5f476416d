"""Every value a reviewer filters by is checked against what the store holds, so a typo is an error
that names the closest known values instead of an empty answer.

Values are matched forgivingly before they are refused: a respondent code in any printed spelling
("P3 S3R01", "p3s3r01" for "P3S3R01"), a document by any unique prefix of its id or title, names
without regard to case. What is matched is returned in the store's own spelling.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import duckdb

from ingest.errors import RequestError

SUGGESTIONS = 3
# Known values listed in full when a value matches nothing and nothing is close.
LISTED = 12
# A known value is suggested when at most this share of its letters and digits differ from the value's,
# or when it has the value's shape (letters and digits in the same places, as codes of one scheme do).
NEAR_SHARE = 0.5


class UnknownValue(RequestError):
    """A filter value the store does not hold, or a prefix that fits several documents."""


def spelling_key(value: str) -> str:
    """What is left of a code once case, spaces and punctuation are gone: "P3 S3-R01" -> "p3s3r01"."""
    return re.sub(r"[\W_]+", "", value.casefold())


def closest(value: str, known: Iterable[str], n: int = SUGGESTIONS) -> list[str]:
    """The known values nearest in spelling to `value`: those at the least edit distance over letters
    and digits, among those near enough, of the same shape ("P9S9R99" finds "P3S3R09"), or starting
    the same way."""
    key = spelling_key(value)
    scored: dict[str, tuple[float, str]] = {}
    for item in known:
        other = spelling_key(item)
        share = edit_distance(key, other) / (max(len(key), len(other)) or 1)
        if share <= NEAR_SHARE or _same_code_shape(key, other) or (len(key) >= 3 and other.startswith(key)):
            scored.setdefault(other, (share, item))
    best = min((share for share, _ in scored.values()), default=None)
    return [item for share, item in sorted(scored.values())[:n] if share == best]


def _same_code_shape(key: str, other: str) -> bool:
    """Both are codes (they hold digits) with letters and digits in the same places."""
    def shape(text: str) -> str:
        return re.sub(r"\d", "9", re.sub(r"[^\W\d_]", "a", text))

    return any(c.isdigit() for c in key) and shape(key) == shape(other)


def unknown(what: str, value: str, known: Sequence[str], listing: str | None = None) -> UnknownValue:
    """The error for a value that matched nothing: the closest known values, or where to find them."""
    near = closest(value, known)
    if near:
        hint = f"did you mean {' or '.join(near)}?"
    elif not known:
        hint = f"the store holds no {what} at all"
    elif len(known) <= LISTED:
        hint = f"known: {', '.join(known)}"
    else:
        hint = f"{len(known)} known" + (f"; `evidence {listing}` lists them" if listing else "")
    return UnknownValue(f"no {what} {value!r} in the store; {hint}")


def match_name(what: str, value: str, known: Sequence[str], listing: str | None = None) -> str:
    """The known value equal to `value` regardless of case, else the one of the same spelling key."""
    folded = [k for k in known if k.casefold() == value.casefold()]
    if folded:
        return folded[0]
    key = spelling_key(value)
    keyed = sorted({k for k in known if key and spelling_key(k) == key})
    if len(keyed) == 1:
        return keyed[0]
    if len(keyed) > 1:
        raise UnknownValue(f"{what} {value!r} could be {', '.join(keyed)}; give one exactly")
    raise unknown(what, value, known, listing)


def match_document(con: duckdb.DuckDBPyConnection, value: str) -> str:
    """A document id from its id, any unique prefix of its id, or any unique prefix of its title."""
    docs = con.execute("SELECT doc_id, coalesce(title, '') FROM documents ORDER BY doc_id").fetchall()
    folded = value.casefold()
    for key in (lambda d, t: d.casefold() == folded, lambda d, t: d.casefold().startswith(folded),
                lambda d, t: t.casefold().startswith(folded)):
        found = [d for d, t in docs if key(d, t)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise UnknownValue(f"document {value!r} could be {', '.join(found)}; give more of the id or title")
    near = closest(value, [d for d, _ in docs] + [t for _, t in docs if t])
    titled = {t: d for d, t in docs}
    hint = (f"did you mean {' or '.join(titled.get(n, n) for n in dict.fromkeys(near))}?" if near else
            "known: " + "; ".join(f"{d} ({shorten(t, 40)})" if t else d for d, t in docs[:LISTED]))
    raise UnknownValue(f"no document {value!r} in the store; {hint}")


def short_document_ids(con: duckdb.DuckDBPyConnection, least: int = 3) -> dict[str, str]:
    """Each document id cut to its shortest unique prefix (at least `least` characters), which
    `--doc` accepts back: "000_b33752787a24be7e" -> "000"."""
    ids = [row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()]
    short = {}
    for doc_id in ids:
        n = min(least, len(doc_id))
        while n < len(doc_id) and sum(other.startswith(doc_id[:n]) for other in ids) > 1:
            n += 1
        short[doc_id] = doc_id[:n]
    return short


def shorten(text: str, width: int) -> str:
    """Text cut at a word boundary to at most `width` characters, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" :,.;-")
    return cut + "…"


def distinct(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> list[str]:
    """The distinct non-null values of a one-column query, as text, sorted."""
    return sorted({str(row[0]) for row in con.execute(sql, list(params)).fetchall() if row[0] is not None})


def match_study(con: duckdb.DuckDBPyConnection, value: str) -> str:
    return match_name("study", value, distinct(con, "SELECT study FROM documents"))


def match_respondent(con: duckdb.DuckDBPyConnection, value: str) -> str:
    return match_name("respondent", value, distinct(con, "SELECT respondent_code FROM quotes"), "respondents")


def match_entity(con: duckdb.DuckDBPyConnection, value: str) -> str:
    """The entity's name as stored (canonical or alias); filtering then accepts either."""
    names = distinct(con, "SELECT canonical FROM entities UNION SELECT unnest(aliases) FROM entities")
    return match_name("entity", value, names, "entities")


def match_label(con: duckdb.DuckDBPyConnection, value: str) -> str:
    return match_name("entity label", value, distinct(con, "SELECT label FROM entities"))


def match_facet_value(con: duckdb.DuckDBPyConnection, facet: str, value: str) -> str:
    """A respondent facet value as stored; `facet` must already be a known respondents column."""
    known = distinct(con, f'SELECT CAST("{facet}" AS VARCHAR) FROM respondents')
    if value.casefold() in ("yes", "no") and set(known) <= {"true", "false"}:
        value = "true" if value.casefold() == "yes" else "false"
    return match_name(f"{facet} value", value, known)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions turning a into b.

    Computed a column of the distance table at a time, the column held as bits of two integers
    (Myers' bit-vector method, in Hyyrö's form for whole strings): a warm free-text query compares
    itself with every theme name, and cell-by-cell Python cost most of its time.
    """
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    where: dict[str, int] = {}
    for i, char in enumerate(b):
        where[char] = where.get(char, 0) | (1 << i)
    full, last = (1 << len(b)) - 1, 1 << (len(b) - 1)
    plus, minus, distance = full, 0, len(b)  # vertical +1 and -1 steps of the current column
    for char in a:
        equal = where.get(char, 0)
        vertical = equal | minus
        horizontal = (((equal & plus) + plus) ^ plus) | equal
        plus_h = minus | (~(horizontal | plus) & full)
        minus_h = plus & horizontal
        if plus_h & last:
            distance += 1
        elif minus_h & last:
            distance -= 1
        plus_h = ((plus_h << 1) | 1) & full
        minus_h = (minus_h << 1) & full
        plus = minus_h | (~(vertical | plus_h) & full)
        minus = plus_h & vertical
    return distance


def within_typo(value: str, name: str) -> bool:
    """Whether `value` is `name` with a slip of the keyboard: one edit per eight characters, at most three."""
    allowed = min(3, max(1, len(name) // 8))
    value, name = value.casefold(), name.casefold()
    if abs(len(value) - len(name)) > allowed:  # each edit changes the length by one at most
        return False
    return edit_distance(value, name) <= allowed
