"""Finding, scoring and marking matches with SQLite FTS5 or PostgreSQL text search."""

import json
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection as default_connection

from . import planner
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
    """A condition on a column of the source table: equal to a value, or in a subquery/list.

    A subquery of conversation ids may be `sliced`: on PostgreSQL a large table is then
    searched for a slice of those ids at a time, newest first, until enough rows are found.
    """

    column: str
    value: object
    negate: bool = False
    sliced: bool = False

    def sql(self, vendor: str, value=None) -> tuple[str, list]:
        value = self.value if value is None else value
        op = "NOT IN" if self.negate else "IN"
        if hasattr(value, "query"):
            # Without ordering: a model's default ordering would sort the whole subquery.
            sub_sql, sub_params = value.order_by().query.sql_with_params()
            return f"t.{self.column} {op} ({sub_sql})", list(sub_params)
        if isinstance(value, list | tuple | set):
            # One parameter whatever the length (SQLite caps bound variables).
            if vendor == "postgresql":
                return f"{'NOT ' if self.negate else ''}t.{self.column} = ANY(%s)", [list(value)]
            values = json.dumps(list(value))
            return f"t.{self.column} {op} (SELECT value FROM json_each(%s))", [values]
        return f"t.{self.column} {'<>' if self.negate else '='} %s", [value]


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

    `where` narrows the rows (filters, current transcript versions) as plain column conditions,
    id lists or small subqueries, so the engine still walks its match list first; `columns` are
    extra columns of the source row returned in `Hit.values` (for filter counts without a
    second query).
    """
    connection = connection or default_connection
    if query.is_empty:
        return []
    if connection.vendor == "postgresql":
        return _pg_candidates(connection, kind, query, team_id, list(where), columns, limit)
    source = SOURCES[kind]
    conditions, params = _conditions(source, where, "sqlite")
    fts = source.index_table
    weights = ", ".join(str(w) for w in source.weights)
    extra = "".join(f", t.{c}" for c in columns)
    sql = (
        f"SELECT t.id, -bm25({fts}, {weights}){extra} FROM {fts} "
        f"JOIN {source.table} t ON t.id = {fts}.rowid "
        f"WHERE {fts} MATCH %s AND t.team_id = %s{conditions} "
        f"ORDER BY {fts}.rowid DESC LIMIT %s"
    )
    return _fetch_hits(connection, sql, [fts5_expression(query), team_id, *params, limit])


def _conditions(source: Source, where, vendor: str, sliced_value=None) -> tuple[str, list]:
    conditions, params = "", []
    for condition in where:
        value = sliced_value if condition.sliced and sliced_value is not None else None
        sql, condition_params = condition.sql(vendor, value)
        conditions += f" AND {sql}"
        params += condition_params
    if source.searchable:  # last: the filters above are cheaper and usually more selective
        conditions += f" AND {source.searchable}"
    return conditions, params


def _fetch_hits(connection, sql: str, params: list) -> list[Hit]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(row[0], float(row[1] or 0.0), tuple(row[2:])) for row in cursor.fetchall()]


def _pg_candidates(connection, kind, query, team_id, where, columns, limit) -> list[Hit]:
    source = SOURCES[kind]
    tsquery, ts_params = tsquery_sql(query)
    weights = _pg_weights(source)
    extra = "".join(f", t.{c}" for c in columns)
    outer_extra = "".join(f", c.{c}" for c in columns)
    sliced = next((w for w in where if w.sliced and not w.negate), None)
    plan, first, ids = planner.plan(connection, source, query, where, sliced, limit)

    def run(slice_values=None, ids=(None, None), wanted=limit) -> list[Hit]:
        conditions, params = _conditions(source, where, "postgresql", slice_values)
        for op, bound in zip((">", "<="), ids, strict=True):
            if bound is not None:
                conditions, params = f"{conditions} AND t.id {op} %s", [*params, bound]
        order = "t.id" if plan == "walk" else "t.id + 0"
        # Rank in the outer query, so ts_rank runs on at most `limit` rows.
        sql = (
            f"SELECT c.id, ts_rank('{weights}', c.search_vector, c.q){outer_extra} FROM "
            f"(SELECT t.id, t.search_vector, q.q{extra} FROM {source.table} t, "
            f"(SELECT {tsquery} AS q) q "
            f"WHERE t.search_vector @@ q.q AND t.team_id = %s{conditions} "
            f"ORDER BY {order} DESC LIMIT %s) c"
        )
        found = _fetch_hits(connection, sql, [*ts_params, team_id, *params, wanted])
        return sorted(found, key=lambda hit: -hit.id)

    hits: list[Hit] = []
    if plan == "slices" and sliced is not None:
        start, size = 0, first
        with _bitmaps_only(connection):
            while start < len(ids) and len(hits) < limit:
                # A slice holds newer conversations than the next, so its matches come first.
                hits += run(slice_values=ids[start : start + size], wanted=limit - len(hits))
                start, size = start + size, size * planner.SLICE_GROWTH
        return hits
    if plan == "ranges":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(id) FROM {source.table}")
            top = cursor.fetchone()[0] or 0
        size = first
        while top > 0 and len(hits) < limit:
            low = top - size if top - size > 0 else None
            hits += run(ids=(low, top), wanted=limit - len(hits))
            top, size = (low or 0), size * planner.SLICE_GROWTH
        return hits
    return run()


@contextmanager
def _bitmaps_only(connection):
    """Index scans off for a statement: PostgreSQL prices checking the text of every row of a
    slice's conversations too low, and would read them all instead of ANDing two bitmaps
    (the words' from GIN, the conversations' from their index)."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_indexscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_indexscan")


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
