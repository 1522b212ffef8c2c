"""The search page: filters to conditions, candidates per type, ranking, a page of results.

Engine-neutral: ``engine`` finds and scores matches; this module decides which rows of the
team may match (filters), ranks the candidates across types and shows a page of them;
``facets`` counts filter values over the same candidates, ``results`` describes each result.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from functools import partial

from django.db.models import Q, QuerySet
from django.utils import timezone

from research.models import (
    Conversation,
    Insight,
    Organization,
    Project,
    TaggedConversation,
    TaggedHighlight,
    TaggedInsight,
    Team,
)

from . import facets, parallel, results
from .engine import Hit, Where, candidates, snippets
from .query import ParsedQuery, parse_query
from .sources import TYPE_LABELS

PAGE_SIZE = 20
# Per type, how many of the newest matches are ranked and counted (see research.search).
CANDIDATE_LIMIT = 200

# A curated insight or highlight answers a question better than one line of talk.
TYPE_BOOST = {
    "transcript": 1.0,
    "highlight": 1.3,
    "insight": 1.5,
    "feature": 1.3,
    "conversation": 1.1,
    "person": 1.2,
    "organization": 1.2,
    "tag": 1.4,
}
# The filters each type can satisfy; a type is left out while any other filter is set.
TYPE_FILTERS = {
    "transcript": {"project", "kind", "dates", "tags", "person", "organization", "speaker"},
    "highlight": {"project", "kind", "dates", "tags", "person", "organization", "speaker"},
    "conversation": {"project", "kind", "dates", "tags", "person", "organization"},
    "insight": {"project", "kind", "dates", "tags", "person", "organization", "feature"},
    "feature": {"feature"},
    "person": {"person", "organization"},
    "organization": {"organization"},
    "tag": set(),
}


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    type: str = ""
    project: str = ""
    tags: tuple[str, ...] = ()
    tags_any: bool = False
    person: uuid.UUID | None = None
    organization: uuid.UUID | None = None
    feature: uuid.UUID | None = None
    kind: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    speaker: str = ""

    @property
    def active(self) -> set[str]:
        """Names of the set filters, in TYPE_FILTERS' vocabulary."""
        names = {
            "project": self.project,
            "kind": self.kind,
            "dates": self.date_from or self.date_to,
            "tags": self.tags,
            "person": self.person,
            "organization": self.organization,
            "feature": self.feature,
            "speaker": self.speaker,
        }
        return {name for name, value in names.items() if value}


@dataclass
class Result:
    kind: str
    id: int
    score: float
    title: str = ""
    url: str = ""
    snippet: str = ""
    meta: list = field(default_factory=list)
    speaker: str = ""
    time: float | None = None

    @property
    def kind_label(self) -> str:
        return TYPE_LABELS[self.kind]


@dataclass
class SearchPage:
    results: list[Result]
    total: int
    capped: bool
    page: int
    pages: int
    counts: dict  # facet name -> list of FacetValue
    query_is_empty: bool


# --- Which rows may match --------------------------------------------------------------------


def _conversations(team: Team, f: SearchFilters, *, with_tags: bool) -> QuerySet | None:
    """Ids of the team's conversations passing the conversation-level filters, or None."""
    qs = Conversation.objects.filter(team=team)
    narrowed = False
    if f.project:
        projects = Project.objects.filter(team=team, slug=f.project).values("id")
        qs, narrowed = qs.filter(project__in=projects), True
    if f.kind:
        qs, narrowed = qs.filter(kind=f.kind), True
    # Plain datetime bounds (not __date, a per-row function call on SQLite), local days.
    if f.date_from:
        qs, narrowed = qs.filter(occurred_at__gte=_day_start(f.date_from)), True
    if f.date_to:
        next_day = f.date_to + datetime.timedelta(days=1)
        qs, narrowed = qs.filter(occurred_at__lt=_day_start(next_day)), True
    if f.person:
        qs, narrowed = qs.filter(participants__uid=f.person), True
    if f.organization:
        qs, narrowed = qs.filter(participants__organization__uid=f.organization), True
    if with_tags and f.tags:
        qs, narrowed = _tagged(qs, TaggedConversation, team, f), True
    return qs.values("id") if narrowed else None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _tagged_ids(through, team: Team, f: SearchFilters) -> list[QuerySet]:
    """Subqueries of the ids of rows tagged with the filter's tags: a row must be in each
    (one per tag for "all of", one for "any of"), found from the tags' side."""

    def tagged_with(slugs) -> QuerySet:
        items = through.objects.filter(tag__team=team, tag__slug__in=slugs)
        return items.values("content_object_id")

    if f.tags_any:
        return [tagged_with(f.tags)]
    return [tagged_with([slug]) for slug in f.tags]


def _tagged(qs: QuerySet, through, team: Team, f: SearchFilters) -> QuerySet:
    for ids in _tagged_ids(through, team, f):
        qs = qs.filter(pk__in=ids)
    return qs


def _conditions(kind: str, team: Team, f: SearchFilters) -> list[Where]:
    where: list[Where] = []
    if kind in ("transcript", "highlight"):
        conversations = _conversations(team, f, with_tags=kind == "transcript")
        if conversations is not None:
            where.append(Where("conversation_id", conversations, sliced=True))
        if f.speaker:
            where.append(Where("speaker", f.speaker))
        if kind == "highlight" and f.tags:
            where += [Where("id", ids) for ids in _tagged_ids(TaggedHighlight, team, f)]
    elif kind == "conversation":
        conversations = _conversations(team, f, with_tags=True)
        if conversations is not None:
            where.append(Where("id", conversations))
    elif kind == "insight":
        qs, narrowed = Insight.objects.filter(team=team), False
        conversations = _conversations(team, f, with_tags=False)
        if conversations is not None:
            linked = Insight.conversations.through.objects.filter(conversation__in=conversations)
            quoted = Insight.highlights.through.objects.filter(
                highlight__conversation__in=conversations
            )
            qs = qs.filter(
                Q(pk__in=linked.values("insight_id")) | Q(pk__in=quoted.values("insight_id"))
            )
            narrowed = True
        if f.tags:
            qs, narrowed = _tagged(qs, TaggedInsight, team, f), True
        if f.feature:
            qs, narrowed = qs.filter(feature_links__feature__uid=f.feature), True
        if narrowed:
            where.append(Where("id", qs.values("id")))
    elif kind == "feature" and f.feature:
        where.append(Where("uid", str(f.feature)))
    elif kind == "person":
        if f.person:
            where.append(Where("uid", str(f.person)))
        if f.organization:
            orgs = Organization.objects.filter(team=team, uid=f.organization).values("id")
            where.append(Where("organization_id", orgs))
    elif kind == "organization" and f.organization:
        where.append(Where("uid", str(f.organization)))
    return where


# Extra source columns fetched with each candidate, for the filter counts.
_COLUMNS = {
    "transcript": ("conversation_id", "speaker"),
    "highlight": ("conversation_id", "speaker"),
    "person": ("organization_id",),
}


def searchable_types(f: SearchFilters) -> list[str]:
    active = f.active
    return [
        kind
        for kind, allowed in TYPE_FILTERS.items()
        if (not f.type or f.type == kind) and active <= allowed
    ]


# --- The search ------------------------------------------------------------------------------


def search_page(*, team: Team, filters: SearchFilters, page: int = 1) -> SearchPage:
    query = parse_query(filters.q)
    if query.is_empty:
        return SearchPage([], 0, False, 1, 0, {}, True)
    hits: dict[str, list[Hit]] = {}
    pending = {}
    for kind in searchable_types(filters):
        find = partial(
            candidates,
            kind=kind,
            query=query,
            team_id=team.pk,
            where=_conditions(kind, team, filters),
            columns=_COLUMNS.get(kind, ()),
            limit=CANDIDATE_LIMIT,
        )
        if kind == "transcript":  # the biggest table: beside the others where it can
            pending[kind] = parallel.start(find)
        else:
            hits[kind] = find()
    hits.update((kind, future.result()) for kind, future in pending.items())
    hits = {kind: hits[kind] for kind in searchable_types(filters)}  # in the types' order
    capped = any(len(found) >= CANDIDATE_LIMIT for found in hits.values())
    ranked = sorted(
        (
            (-score, -hit.id, kind)
            for kind, found in hits.items()
            for hit, score in zip(found, _relative_scores(kind, found), strict=True)
        ),
    )
    total = len(ranked)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    shown = [
        Result(kind=kind, id=-neg_id, score=-neg_score)
        for neg_score, neg_id, kind in ranked[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    ]
    counts = parallel.start(facets.counts, team.pk, hits)
    _hydrate(shown, query)
    counts = counts.result()
    return SearchPage(shown, total, capped, page, pages, counts, False)


def _relative_scores(kind: str, found: list[Hit]) -> list[float]:
    """Scores of one type relative to its best hit, times the type's boost.

    Engine scores do not compare across tables (bm25's IDF depends on each table's size), so
    each type's best match scores its boost and the types interleave by relevance within them.
    """
    best = max((hit.score for hit in found), default=0.0)
    if best <= 0:
        return [TYPE_BOOST[kind]] * len(found)
    return [TYPE_BOOST[kind] * hit.score / best for hit in found]


# --- Showing results -------------------------------------------------------------------------


def _hydrate(shown: list[Result], query: ParsedQuery) -> None:
    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in shown:
        by_kind[result.kind].append(result)
    for kind, items in by_kind.items():
        ids = [r.id for r in items]
        marked = snippets(kind=kind, query=query, ids=ids)
        objects = results.load(kind, ids)
        for result in items:
            obj = objects.get(result.id)
            if obj is not None:
                results.describe(result, obj)
            result.snippet = marked.get(result.id, "")
