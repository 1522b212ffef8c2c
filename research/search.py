"""Full-text search: the only module that knows SQLite FTS5 or PostgreSQL text search.

The index lives in the database and follows every write by itself, whoever makes it:
- SQLite: one FTS5 external-content table per source table (porter stemming over unicode61
  with diacritics removed), kept in sync by AFTER INSERT/UPDATE/DELETE triggers.
- PostgreSQL: a stored generated `search_vector` tsvector column on each source table (an
  unaccenting copy of the english configuration) with a GIN index.

Neither engine can rank or count every match of a very common word inside a 50 ms budget at a
million segments (see the benchmark README), so `candidates()` walks the matches newest first,
stops at `limit`, and ranks only those: relevance among the newest matches, and counts that say
"1,000+" once the cap is hit.

User text never reaches an engine's query parser: `parse_query()` keeps only word characters,
and every term is quoted (FTS5) or passed as a bound parameter to plainto/phraseto_tsquery.
"""

import json
import re
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection as default_connection
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"
PG_CONFIG = "fieldnotes"
SHORT_TEXT = 240  # characters shown whole in a snippet

# PostgreSQL's english.stop: the same words are dropped on SQLite so both engines agree.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
    she her hers herself it its itself they them their theirs themselves what which who whom this
    that these those am is are was were be been being have has had having do does did doing a an
    the and but if or because as until while of at by for with about against between into through
    during before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no nor not
    only own same so than too very s t can will just don should now""".split()
)


class QueryError(ValueError):
    """The search text cannot be searched (too long); the message is for the user."""


@dataclass(frozen=True)
class Source:
    """A searchable table: its indexed columns, most important first, with their weights."""

    kind: str
    table: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    searchable: str = ""  # SQL on the row `t`: which rows may match at all

    @property
    def index_table(self) -> str:
        return f"research_search_{self.kind}"


SOURCES = {
    source.kind: source
    for source in [
        Source(
            "transcript",
            "research_segment",
            ("text",),
            (1.0,),
            # Only the newest transcript of a recording counts; checked per match, which is
            # cheaper than listing every replaced transcript for every search.
            searchable="NOT EXISTS (SELECT 1 FROM research_transcript cur "
            "JOIN research_transcript newer ON newer.recording_id = cur.recording_id "
            "AND newer.version > cur.version WHERE cur.id = t.transcript_id)",
        ),
        Source("highlight", "research_highlight", ("quote", "comment"), (1.0, 0.5)),
        Source("insight", "research_insight", ("title", "details"), (2.0, 1.0)),
        Source("feature", "research_feature", ("name", "description"), (2.0, 1.0)),
        Source("conversation", "research_conversation", ("title", "notes"), (2.0, 1.0)),
        Source("person", "research_person", ("name", "title", "notes"), (3.0, 1.0, 0.5)),
        Source("organization", "research_organization", ("name", "notes"), (3.0, 0.5)),
    ]
}


# --- Query parsing (engine-neutral) ------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class ParsedQuery:
    """All groups must match (each group is an OR of terms); no excluded term may match."""

    groups: tuple[tuple[Term, ...], ...]
    excluded: tuple[Term, ...]

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


def parse_query(raw: str) -> ParsedQuery:
    """Web-search syntax: words, "phrases", -exclusions and OR; anything else is just text."""
    if len(raw) > MAX_QUERY_CHARS:
        raise QueryError(f"Search text is too long (at most {MAX_QUERY_CHARS} characters).")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    count = 0
    for match in _TOKEN.finditer(raw.replace("\x00", " ")):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare == "OR":
            pending_or = bool(groups)
            continue
        if bare is not None and bare.startswith("-") and len(bare) > 1:
            negated, bare = "-", bare[1:]
        text = quoted if quoted is not None else bare
        words = tuple(w.lower() for w in _WORD.findall(text))
        if quoted is None and len(words) == 1 and words[0] in STOP_WORDS:
            words = ()
        if not words or count >= MAX_TERMS:
            pending_or = False
            continue
        count += 1
        term = Term(words)
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return ParsedQuery(tuple(tuple(g) for g in groups), tuple(excluded))


def fts5_expression(query: ParsedQuery) -> str:
    """The FTS5 MATCH string; every term is a quoted string, so no user syntax survives."""

    def quoted(term: Term) -> str:
        return '"' + term.text.replace('"', '""') + '"'

    expression = " AND ".join(
        "(" + " OR ".join(quoted(t) for t in group) + ")" for group in query.groups
    )
    for term in query.excluded:
        expression = f"({expression}) NOT {quoted(term)}"
    return expression


def tsquery_sql(query: ParsedQuery) -> tuple[str, list[str]]:
    """A tsquery built from bound parameters (plainto/phraseto never raise on any text)."""

    def one(term: Term) -> str:
        function = "phraseto_tsquery" if len(term.words) > 1 else "plainto_tsquery"
        return f"{function}('{PG_CONFIG}', %s)"

    parts, params = [], []
    for group in query.groups:
        parts.append("(" + " || ".join(one(t) for t in group) + ")")
        params.extend(t.text for t in group)
    for term in query.excluded:
        parts.append(f"!!{one(term)}")
        params.append(term.text)
    return " && ".join(parts), params


# --- Snippets ----------------------------------------------------------------------------------


def mark_snippet(raw: str) -> SafeString:
    """Escape the engine's snippet, then turn its private markers into balanced <mark> tags."""
    out, inside = [], False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", raw or ""):
        if piece == MARK_OPEN:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == MARK_CLOSE:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(escape(piece))
    if inside:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above


# --- Queries -----------------------------------------------------------------------------------


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
    conditions, params = f" AND {source.searchable}" if source.searchable else "", []
    for condition in where:
        sql, condition_params = condition.sql()
        conditions += f" AND {sql}"
        params += condition_params
    extra = "".join(f", t.{c}" for c in columns)
    if connection.vendor == "postgresql":
        tsquery, ts_params = tsquery_sql(query)
        weights = _pg_weights(source)
        outer_extra = "".join(f", c.{c}" for c in columns)
        # Rank in the outer query, so ts_rank runs on at most `limit` rows.
        # Newest first: walking the primary key backwards pays for every non-matching row,
        # the GIN index for every matching one; PostgreSQL's cost model often picks the
        # walk for words it should not, so rare queries get `t.id + 0`, which only GIN serves.
        order = "t.id" if _pg_is_common(connection, source, query) else "t.id + 0"
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


def _pg_is_common(connection, source: Source, query: ParsedQuery) -> bool:
    """Whether the query likely matches more than COMMON_SHARE of the table's rows."""
    terms = query.terms
    with connection.cursor() as cursor:
        shares = _pg_lexeme_shares(cursor, source.table)
        if not shares:
            return False
        cursor.execute(
            f"SELECT tsvector_to_array(to_tsvector('{PG_CONFIG}', x)) FROM unnest(%s::text[]) x",
            [[t.text for t in terms]],
        )
        lexemes = [row[0] for row in cursor.fetchall()]
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
    return estimate > COMMON_SHARE


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


# --- Schema: install, remove, rebuild ------------------------------------------------------------


def _sqlite_statements(source: Source) -> list[str]:
    fts, table = source.index_table, source.table
    cols = ", ".join(source.columns)
    new = ", ".join(f"new.{c}" for c in source.columns)
    old = ", ".join(f"old.{c}" for c in source.columns)
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {cols} ON {table} "
        f"BEGIN {delete} {insert} END",
    ]


def _pg_vector(source: Source) -> str:
    return " || ".join(
        f"setweight(to_tsvector('{PG_CONFIG}'::regconfig, coalesce({column}, '')), '{label}')"
        for column, label in zip(source.columns, "ABCD", strict=False)
    )


def _pg_install_config(cursor) -> None:
    cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [PG_CONFIG])
    if cursor.fetchone():
        return
    cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {PG_CONFIG} (COPY = english)")
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    except Exception:  # noqa: BLE001 - without contrib's unaccent, accents are simply kept
        return
    cursor.execute(
        f"ALTER TEXT SEARCH CONFIGURATION {PG_CONFIG} "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
    )


def installed(connection=None) -> bool:
    """Whether every index table/column and sync trigger exists (a table remake drops them)."""
    connection = connection or default_connection
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM information_schema.columns "
                "WHERE column_name = 'search_vector' AND table_name = ANY(%s)",
                [[s.table for s in SOURCES.values()]],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                ["research_search_%"],
            )
        expected = len(SOURCES) * (1 if connection.vendor == "postgresql" else 3)
        return cursor.fetchone()[0] == expected


def install(connection=None) -> None:
    """Create what is missing (idempotent). Triggers only index rows written from now on."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            _pg_install_config(cursor)
            for source in SOURCES.values():
                cursor.execute(
                    f"ALTER TABLE {source.table} ADD COLUMN IF NOT EXISTS search_vector tsvector "
                    f"GENERATED ALWAYS AS ({_pg_vector(source)}) STORED"
                )
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {source.table}_search ON {source.table} "
                    "USING gin (search_vector)"
                )
        else:
            for source in SOURCES.values():
                for statement in _sqlite_statements(source):
                    cursor.execute(statement)


def uninstall(connection=None) -> None:
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while deferred FK checks of this transaction wait.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for source in SOURCES.values():
            if connection.vendor == "postgresql":
                cursor.execute(f"ALTER TABLE {source.table} DROP COLUMN IF EXISTS search_vector")
            else:
                for suffix in ("ai", "ad", "au"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {source.index_table}_{suffix}")
                cursor.execute(f"DROP TABLE IF EXISTS {source.index_table}")
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {PG_CONFIG}")


def rebuild(connection=None) -> None:
    """Drop the index and build it again from every row (the rebuild command, the benchmark)."""
    connection = connection or default_connection
    uninstall(connection)
    install(connection)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            for source in SOURCES.values():
                fts = source.index_table
                cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def repair(connection=None) -> bool:
    """Rebuild if a migration remade an indexed table: SQLite drops a table's triggers with it.

    Does nothing before the search migration has run (no index tables yet) or when all is well.
    """
    connection = connection or default_connection
    if connection.vendor == "postgresql" or installed(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
            f"({', '.join(['%s'] * len(SOURCES))})",
            [s.index_table for s in SOURCES.values()],
        )
        if not cursor.fetchone()[0]:
            return False
    rebuild(connection)
    return True
