"""The search language: words, "phrases", -exclusions and OR, made safe for each engine."""

import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .sources import PG_CONFIG

MAX_QUERY_CHARS = 500
MAX_TERMS = 16
MARK_OPEN, MARK_CLOSE = "\x02", "\x03"

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


_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_LINE = re.compile(r"(?m)^[ \t]*(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)")
_MARKDOWN_EMPHASIS = re.compile(r"(\*\*|__|`+|~~)")
_MARKDOWN_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")


def plain_text(markdown: str) -> str:
    """Markdown's markup left out (notes, details and descriptions are Markdown), so a snippet
    reads "weekly downtime report", not "**weekly downtime report**"."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown or "")
    text = _MARKDOWN_LINE.sub("", text)
    return _MARKDOWN_ITALIC.sub(r"\1", _MARKDOWN_EMPHASIS.sub("", text))


def mark_snippet(raw: str) -> SafeString:
    """Escape the engine's snippet, then turn its private markers into balanced <mark> tags."""
    out, inside = [], False
    for piece in re.split(f"([{MARK_OPEN}{MARK_CLOSE}])", plain_text(raw)):
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
