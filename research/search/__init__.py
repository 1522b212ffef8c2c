"""Full-text search: the only package that knows SQLite FTS5 or PostgreSQL text search.

The index lives in the database and follows every write by itself, whoever makes it:
- SQLite: one FTS5 external-content table per source table (porter stemming over unicode61
  with diacritics removed), kept in sync by AFTER INSERT/UPDATE/DELETE triggers.
- PostgreSQL: a stored generated `search_vector` tsvector column on each source table (an
  unaccenting copy of the english configuration) with a GIN index.

Neither engine can rank or count every match of a very common word inside a 50 ms budget at a
million segments (see the benchmark README), so `candidates()` walks the matches newest first,
stops at `limit`, and ranks only those: relevance among the newest matches, and counts that say
"200+" once the cap is hit (the cap is the caller's `limit`).

User text never reaches an engine's query parser: `parse_query()` keeps only word characters,
and every term is quoted (FTS5) or passed as a bound parameter to plainto/phraseto_tsquery.

Modules: `query` (the search language), `sources` (what is indexed), `schema` (the index in
the database), `engine` (finding, scoring and marking matches), `planner` (PostgreSQL: how to
find the newest matches), `parallel` (a second connection for independent reads), `page` (the
search page: filters, ranking across types), `facets` (filter counts), `results` (how each
result is described).
"""

from .engine import Hit, Where, candidates, snippets, weights_table
from .query import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    QueryError,
    Term,
    fts5_expression,
    mark_snippet,
    parse_query,
    tsquery_sql,
)
from .schema import compact, install, installed, rebuild, repair, uninstall
from .sources import SOURCES, Source

__all__ = [
    "MAX_QUERY_CHARS",
    "SOURCES",
    "Hit",
    "ParsedQuery",
    "QueryError",
    "Source",
    "Term",
    "Where",
    "candidates",
    "fts5_expression",
    "install",
    "installed",
    "mark_snippet",
    "parse_query",
    "rebuild",
    "compact",
    "repair",
    "snippets",
    "tsquery_sql",
    "uninstall",
    "weights_table",
]
