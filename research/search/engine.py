"""Finding, scoring and marking matches with SQLite FTS5 or PostgreSQL text search."""

import json
import math
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection as default_connection

from .query import MARK_CLOSE, MARK_OPEN, ParsedQuery, fts5_expression, mark_snippet, tsquery_sql
from .sources import PG_CONFIG, SOURCES, Source

SHORT_TEXT = 240  # characters of a text shown whole in a snippet


class Hit(NamedTuple):
    id: int
    score: float
    values: tuple = ()


def weights_table(weights: dict[int, int]) -> tuple[str, list]:
    """A derived table `(id, weight)` of thousands of rows, passed as one bound parameter."""
    payload = json.dumps({str(int(k)): int(v) for k, v in weights.items()})
    if default_connection.vendor == "postgresql":
        sql = "SELECT key::bigint AS id, value::int AS weight FROM jsonb_each_text(%s::jsonb)"
    else:
        sql = "SELECT CAST(key AS INTEGER) AS id, value AS weight FROM json_each(%s)"
    return sql, [payload]


@dataclass(frozen=True)
class Where:
    """A condition on a column of the source table: equal to a value, or in a subquery/list."""

    column: str
    value: object
    negate: bool = False

    def sql(self) -> tuple[str, list]:
        op = "NOT IN" if self.negate else "IN"
        if hasattr(self.value, "query"):
            # Without ordering: a model's default ordering would sort the whole subquery.
            sub_sql, sub_params = self.value.order_by().query.sql_with_params()
            return f"t.{self.column} {op} ({sub_sql})", list(sub_params)
        if isinstance(self.value, list | tuple | set):
            values = list(self.value) or [None]
            return f"t.{self.column} {op} ({', '.join(['%s'] * len(values))})", values
        return f"t.{self.column} {'<>' if self.negate else '='} %s", [self.value]


def candidates(
    *,
    kind: str,
    query: ParsedQuery,
    team_id: int,
    where: list[Where] = (),
    columns: tuple[str, ...] = (),
    limit: int,
    connection=None,
) -> list[Hit]:
    """Up to `limit` matching rows of one source, newest first, each with a relevance score.

    `where` narrows the rows (filters, current transcript versions) as plain column conditions
    or small subqueries, so the engine still walks its match list first; `columns` are extra
    columns of the source row returned in `Hit.values` (for filter counts without a second
    query).
    """
    connection = connection or default_connection
    if query.is_empty:
        return []
    source = SOURCES[kind]
    conditions, params = "", []
    for condition in where:
        sql, condition_params = condition.sql()
        conditions += f" AND {sql}"
        params += condition_params
    if source.searchable:  # last: the filters above are cheaper and usually more selective
        conditions += f" AND {source.searchable}"
    extra = "".join(f", t.{c}" for c in columns)
    if connection.vendor == "postgresql":
        tsquery, ts_params = tsquery_sql(query)
        weights = _pg_weights(source)
        outer_extra = "".join(f", c.{c}" for c in columns)
        # Rank in the outer query, so ts_rank runs on at most `limit` rows.
        # Newest first: walking the primary key backwards pays for every non-matching row,
        # the GIN index for every matching one; PostgreSQL's cost model often picks the
        # walk for words it should not, so rare queries get `t.id + 0`, which only GIN serves.
        # A filter makes the walk longer (it skips the rows the filter drops), so the
        # walk needs a commoner query to pay off.
        common = _pg_is_common(connection, source, query, _narrowing(where))
        order = "t.id" if common else "t.id + 0"
        sql = (
            f"SELECT c.id, ts_rank('{weights}', c.search_vector, c.q){outer_extra} FROM "
            f"(SELECT t.id, t.search_vector, q.q{extra} FROM {source.table} t, "
            f"(SELECT {tsquery} AS q) q "
            f"WHERE t.search_vector @@ q.q AND t.team_id = %s{conditions} "
            f"ORDER BY {order} DESC LIMIT %s) c"
        )
        all_params = [*ts_params, team_id, *params, limit]
    else:
        fts = source.index_table
        weights = ", ".join(str(w) for w in source.weights)
        sql = (
            f"SELECT t.id, -bm25({fts}, {weights}){extra} FROM {fts} "
            f"JOIN {source.table} t ON t.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND t.team_id = %s{conditions} "
            f"ORDER BY {fts}.rowid DESC LIMIT %s"
        )
        all_params = [fts5_expression(query), team_id, *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, all_params)
        return [Hit(row[0], float(row[1] or 0.0), tuple(row[2:])) for row in cursor.fetchall()]


COMMON_SHARE = 0.005  # rows matching above this share: walk newest first
_STATS_SECONDS = 600
_pg_stats: dict[str, tuple[float, dict[str, float]]] = {}
_pg_lexemes: dict[tuple[str, ...], list[list[str]]] = {}  # query terms -> their lexemes


def _pg_lexeme_shares(cursor, table: str) -> dict[str, float]:
    """Share of rows holding each common lexeme, from ANALYZE's statistics (cached)."""
    cached = _pg_stats.get(table)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    cursor.execute(
        "SELECT most_common_elems::text::text[], most_common_elem_freqs FROM pg_stats "
        "WHERE tablename = %s AND attname = 'search_vector'",
        [table],
    )
    row = cursor.fetchone()
    shares = dict(zip(row[0], row[1], strict=False)) if row and row[0] else {}
    _pg_stats[table] = (time.monotonic() + _STATS_SECONDS, shares)
    return shares


def _narrowing(where) -> float:
    """A guess at the share of rows the conditions keep: a subquery or list (project, tags,
    dates, people) about a twentieth, a plain value (speaker) about half."""
    share = 1.0
    for condition in where:
        value = condition.value
        narrow = hasattr(value, "query") or isinstance(value, list | tuple | set)
        share *= 0.5 if condition.negate else 0.05 if narrow else 0.5
    return max(share, 0.01)


def _pg_is_common(connection, source: Source, query: ParsedQuery, narrowing=1.0) -> bool:
    """Whether walking the rows newest first beats collecting every match from GIN.

    The walk reads about limit / (share * narrowing) rows, GIN about share rows: the walk
    wins when share exceeds COMMON_SHARE / sqrt(narrowing) (COMMON_SHARE without filters).
    """
    terms = query.terms
    with connection.cursor() as cursor:
        shares = _pg_lexeme_shares(cursor, source.table)
        if not shares:
            return False
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
    return estimate > COMMON_SHARE / math.sqrt(narrowing)


def snippets(*, kind: str, query: ParsedQuery, ids: list[int], connection=None) -> dict:
    """Marked, escaped snippets of the first indexed column for these ids of one source."""
    connection = connection or default_connection
    if not ids or query.is_empty:
        return {}
    source = SOURCES[kind]
    raw = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tsquery, ts_params = tsquery_sql(query)
            text = " || ' — ' || ".join(f"coalesce(t.{c}, '')" for c in source.columns[:2])
            marks = f"StartSel={MARK_OPEN}, StopSel={MARK_CLOSE}"
            # Short texts whole (fragments would trim words and drop tag-like text); long
            # ones as the best fragments.
            short = f"{marks}, HighlightAll=true"
            long = f"{marks}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=' … '"
            cursor.execute(
                f"SELECT t.id, ts_headline('{PG_CONFIG}', x.text, {tsquery}, "
                "CASE WHEN length(x.text) <= %s THEN %s ELSE %s END) "
                f"FROM {source.table} t, LATERAL (SELECT {text} AS text) x "
                "WHERE t.id = ANY(%s)",
                [*ts_params, SHORT_TEXT, short, long, list(ids)],
            )
            raw = dict(cursor.fetchall())
        else:
            fts = source.index_table
            # One rowid seek per id (a rowid IN list would walk every match), in one statement.
            one = (
                f"SELECT rowid, snippet({fts}, -1, char(2), char(3), ' … ', 24) FROM {fts} "
                f"WHERE {fts} MATCH %s AND rowid = %s"
            )
            expression = fts5_expression(query)
            cursor.execute(
                " UNION ALL ".join([one] * len(ids)),
                [value for pk in ids for value in (expression, pk)],
            )
            raw = dict(cursor.fetchall())
    return {pk: mark_snippet(text) for pk, text in raw.items()}


def _pg_weights(source: Source) -> str:
    """ts_rank's {D, C, B, A} weights from the source's column weights (A = first column)."""
    by_label = dict(zip("ABC", source.weights, strict=False))
    top = max(source.weights)
    return "{" + ", ".join(f"{by_label.get(x, 0.1) / top:.2f}" for x in "DCBA") + "}"
