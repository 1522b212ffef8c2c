"""The index itself: created, removed, rebuilt and repaired in the database."""

from django.db import connection as default_connection
from django.db import transaction

from .sources import PG_CONFIG, SOURCES, Source


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
                "SELECT count(*) FROM sqlite_master "
                "WHERE type IN ('trigger', 'index') AND name LIKE %s",
                ["research_search_%"],
            )
        # PostgreSQL: a column per table; SQLite: three triggers per table and the reruns index.
        expected = len(SOURCES) if connection.vendor == "postgresql" else len(SOURCES) * 3 + 1
        return cursor.fetchone()[0] == expected


RERUNS_INDEX = (
    "CREATE INDEX IF NOT EXISTS research_search_transcript_reruns "
    "ON research_transcript (recording_id, version) WHERE version > 1"
)


def install(connection=None) -> None:
    """Create what is missing (idempotent). Triggers only index rows written from now on."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute(RERUNS_INDEX)
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
        cursor.execute("DROP INDEX IF EXISTS research_search_transcript_reruns")


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


def compact(connection=None) -> None:
    """SQLite's FTS5 keeps deleted words in its segments until they are merged: merge them now
    (after an erasure or a redaction, the words must be gone from the index too)."""
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return  # a generated tsvector column holds only the row's current words
    with connection.cursor() as cursor:
        for source in SOURCES.values():
            fts = source.index_table
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")


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


def add_source(kind: str, connection=None) -> None:
    """Index one more source and the rows it already has (a migration adding a source)."""
    connection = connection or default_connection
    install(connection)
    if connection.vendor != "postgresql":
        fts = SOURCES[kind].index_table
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def remove_source(kind: str, connection=None) -> None:
    connection = connection or default_connection
    source = SOURCES[kind]
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {source.table} DROP COLUMN IF EXISTS search_vector")
        else:
            for suffix in ("ai", "ad", "au"):
                cursor.execute(f"DROP TRIGGER IF EXISTS {source.index_table}_{suffix}")
            cursor.execute(f"DROP TABLE IF EXISTS {source.index_table}")
