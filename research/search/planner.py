"""PostgreSQL: which way to find a source's newest matches, from ANALYZE's statistics.

Newest first, four ways, chosen from ANALYZE's statistics of how many rows match:
- "walk": the primary key backwards, checking each row; pays for every non-matching row,
  so it suits common words (PostgreSQL's own cost model often walks for words it should not,
  so the other plans order by `t.id + 0`, which the primary key cannot serve);
- "gin": every match from the GIN index, then the newest; pays for every matching row;
- "slices": with a filter on a long list of conversations (newest first), every match
  within a slice of that list, slices growing until `limit` rows are found; pays for the
  matches of the slices read, not for those of every matching conversation;
- "ranges": the same over ranges of the newest ids, for words between rare and common.
Each matching row read costs a heap page (about 10 us when it is not in shared buffers).
"""

import math
import time

from .query import ParsedQuery
from .sources import PG_CONFIG, Source

COMMON_SHARE = 0.005  # rows matching above this share: walk newest first
WALK_FILTERED_SHARE = 0.02  # with a conversation filter: matches kept by it, to walk
SLICED_TABLE_ROWS = 200_000  # smaller tables are read in one go
SLICE_GROWTH = 4
RANGE_MATCHES = 4  # expected matches, in multiples of `limit`, to search id ranges
GIN_MATCHES = 1500  # expected matches few enough to read them all
_STATS_SECONDS = 600
_pg_stats: dict[str, tuple[float, dict[str, float], float, float]] = {}
_pg_lexemes: dict[tuple[str, ...], list[list[str]]] = {}  # query terms -> their lexemes


def plan(connection, source: Source, query, where, sliced, limit) -> tuple[str, int, list]:
    """("walk" | "gin" | "slices" | "ranges", size of the first slice or range, sliced ids)."""
    share, rows, rows_per_conversation = _pg_share(connection, source, query)
    if share is None:  # no statistics yet (a new or tiny table): GIN finds the few rows
        return "gin", 0, []
    big = rows >= SLICED_TABLE_ROWS
    if sliced is not None and big:
        ids = _newest_first(connection, sliced.value)
        kept = len(ids) / max(1.0, rows / max(rows_per_conversation, 1e-9))
        if share * kept > WALK_FILTERED_SHARE:
            return "walk", 0, []
        if share * rows <= GIN_MATCHES:
            return "gin", 0, []
        # Enough conversations for about twice `limit` expected matches per slice.
        first = math.ceil(2 * limit / max(share * rows_per_conversation, 1e-9))
        return "slices", max(first, 16), ids
    narrowing = _narrowing(where)
    if share > COMMON_SHARE / math.sqrt(narrowing):
        return "walk", 0, []
    if big and share * narrowing * rows > RANGE_MATCHES * limit:
        # The newest ids first, in ranges expected to hold about twice `limit` matches.
        return "ranges", math.ceil(2 * limit / (share * narrowing)), []
    return "gin", 0, []


def _newest_first(connection, value) -> list[int]:
    """The ids of a subquery (or list), highest first, without duplicates."""
    if not hasattr(value, "query"):
        return sorted(set(value), reverse=True)
    sql, params = value.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT x.c FROM ({sql}) x(c) ORDER BY x.c DESC", params)
        return [row[0] for row in cursor.fetchall()]


def _pg_table_stats(cursor, table: str) -> tuple[dict[str, float], float, float]:
    """(share of rows holding each common lexeme, rows, rows per conversation); cached.

    From ANALYZE's statistics: `most_common_elems` of the search vector and `reltuples`.
    """
    cached = _pg_stats.get(table)
    if cached and cached[0] > time.monotonic():
        return cached[1], cached[2], cached[3]
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = %s AND attname = 'search_vector'",
        [table],
    )
    row = cursor.fetchone()
    shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    cursor.execute(
        "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, 'research_conversation')",
        [table],
    )
    tuples = {name: max(0.0, float(n)) for name, n in cursor.fetchall()}
    rows = tuples.get(table, 0.0)
    per_conversation = rows / max(1.0, tuples.get("research_conversation", 1.0))
    _pg_stats[table] = (time.monotonic() + _STATS_SECONDS, shares, rows, per_conversation)
    return shares, rows, per_conversation


def _narrowing(where) -> float:
    """A guess at the share of rows the conditions keep: a subquery or list (project, tags,
    dates, people) about a twentieth, a plain value (speaker) about half."""
    share = 1.0
    for condition in where:
        value = condition.value
        narrow = hasattr(value, "query") or isinstance(value, list | tuple | set)
        share *= 0.5 if condition.negate else 0.05 if narrow else 0.5
    return max(share, 0.01)


def _pg_share(connection, source: Source, query: ParsedQuery) -> tuple[float | None, float, float]:
    """(estimated share of rows matching the query or None, rows, rows per conversation)."""
    terms = query.terms
    with connection.cursor() as cursor:
        shares, rows, per_conversation = _pg_table_stats(cursor, source.table)
        if not shares:
            return None, rows, per_conversation
        texts = tuple(t.text for t in terms)
        lexemes = _pg_lexemes.get(texts)
        if lexemes is None:  # asked once per search, not once per source
            cursor.execute(
                f"SELECT tsvector_to_array(to_tsvector('{PG_CONFIG}', x)) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS u(x, n) ORDER BY n",
                [list(texts)],
            )
            lexemes = [row[0] for row in cursor.fetchall()]
            if len(_pg_lexemes) >= 256:
                _pg_lexemes.clear()
            _pg_lexemes[texts] = lexemes
    rare = min(shares.values()) / 2  # below ANALYZE's radar
    by_term = {}
    for term, found in zip(terms, lexemes, strict=True):
        share = 1.0
        for lexeme in found:
            share *= shares.get(lexeme, rare)
        by_term[term] = share * (0.1 if len(found) > 1 else 1.0)  # a phrase: adjacent only
    estimate = 1.0
    for group in query.groups:
        estimate *= min(1.0, sum(by_term[t] for t in group))
    return estimate, rows, per_conversation
