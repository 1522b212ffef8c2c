"""Insights and how strong the human evidence behind each one is.

Strength is computed from a fixed number of flat queries (one row per piece of evidence) and
folded in Python, so a feature with 500 insights and 5,000 highlights costs the same number of
queries as one with a single insight.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from django.db.models import F, Max, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    InsightFeatureLink,
    PersonKind,
    Team,
    TeamTag,
)
from research.models.base import withdrawn_consent
from research.models.conversations import moment_url

QUOTES_PER_INSIGHT = 3


@dataclass
class Quote:
    uid: str
    text: str
    start: float | None
    end: float | None
    conversation_uid: str
    conversation_title: str
    person: str
    organization: str
    recording_uid: str | None = None

    @property
    def is_from_audio(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def url(self) -> str:
        start = self.start if self.is_from_audio else None
        return moment_url(
            self.conversation_uid, start, recording=self.recording_uid, highlight=self.uid
        )


@dataclass
class Strength:
    """The evidence behind one insight, or pooled behind a group of insights."""

    highlights: set = field(default_factory=set)
    conversations: set = field(default_factory=set)
    people: dict = field(default_factory=dict)  # id -> name
    organizations: dict = field(default_factory=dict)  # id -> name
    newest: datetime | None = None
    contradicting: set = field(default_factory=set)
    quotes: list = field(default_factory=list)
    unattributed: set = field(default_factory=set)  # highlights nobody known said

    @property
    def unattributed_count(self) -> int:
        return len(self.unattributed)

    @property
    def highlight_count(self) -> int:
        return len(self.highlights)

    @property
    def people_count(self) -> int:
        return len(self.people)

    @property
    def organization_count(self) -> int:
        return len(self.organizations)

    @property
    def has_contradictions(self) -> bool:
        return bool(self.contradicting)

    @property
    def is_empty(self) -> bool:
        return not (self.highlights or self.conversations)

    def _seen(self, when) -> None:
        if when is not None and (self.newest is None or when > self.newest):
            self.newest = when

    def pool(self, other: "Strength") -> None:
        self.highlights |= other.highlights
        self.conversations |= other.conversations
        self.people.update(other.people)
        self.organizations.update(other.organizations)
        self.contradicting |= other.contradicting
        self.unattributed |= other.unattributed
        self._seen(other.newest)


class Voice(NamedTuple):
    """A customer-side person behind some evidence, with their organization."""

    person_id: int
    name: str
    organization_id: int | None
    organization: str | None


def _participants(conversation_ids: Iterable[int]) -> dict[int, list[Voice]]:
    """Customer-side participants per conversation."""
    through = Conversation.participants.through
    rows = (
        through.objects.filter(conversation_id__in=set(conversation_ids))
        .exclude(person__kind=PersonKind.COLLEAGUE)
        .values_list(
            "conversation_id",
            "person_id",
            "person__name",
            "person__organization_id",
            "person__organization__name",
        )
    )
    people = defaultdict(list)
    for conversation_id, *person in rows:
        people[conversation_id].append(Voice(*person))
    return people


class _Backing(NamedTuple):
    """One highlight backing one insight, with who said it (the query's columns, in order)."""

    insight_id: int
    highlight_id: int
    conversation_id: int
    person_id: int | None
    person: str | None
    organization_id: int | None
    organization: str | None
    start: float | None
    kind: str | None
    by_interviewer: bool

    @property
    def unattributed(self) -> bool:
        """Nobody known said it: no person and not the team's side."""
        return self.person_id is None and not self.by_interviewer


_BACKING_COLUMNS = _Backing(
    "insight_id",
    "highlight_id",
    "highlight__conversation_id",
    "highlight__person_id",
    "highlight__person__name",
    "highlight__person__organization_id",
    "highlight__person__organization__name",
    "highlight__start",
    "highlight__person__kind",
    "highlight__by_interviewer",
)


_QUOTE_COLUMNS = {
    "insight": "insight_id",
    "uid": "highlight__uid",
    "text": "highlight__quote",
    "start": "highlight__start",
    "end": "highlight__end",
    "conversation_uid": "highlight__conversation__uid",
    "title": "highlight__conversation__title",
    "person": "highlight__person__name",
    "org": "highlight__person__organization__name",
    "recording": "highlight__transcript__recording__uid",
}


# Quotes of people who withdrew consent count for nothing and are shown nowhere.
HIDDEN = withdrawn_consent("highlight__conversation_id", "highlight__person_id")


def quotes_of(ids: set[int], per_insight: int) -> list[tuple[int, Quote]]:
    """The newest `per_insight` backing quotes of each insight, in one windowed query."""
    newest_first = [F("highlight__created_at").desc(), F("highlight_id").desc()]
    rows = (
        Insight.highlights.through.objects.filter(insight_id__in=ids)
        .exclude(HIDDEN)
        .annotate(rank=Window(RowNumber(), partition_by=[F("insight_id")], order_by=newest_first))
        .filter(rank__lte=per_insight)
        .order_by("insight_id", "rank")
        .values_list(*_QUOTE_COLUMNS.values())
    )
    found = []
    for values in rows:
        row = dict(zip(_QUOTE_COLUMNS, values, strict=True))
        quote = Quote(
            uid=str(row["uid"]),
            text=row["text"],
            start=row["start"],
            end=row["end"],
            conversation_uid=str(row["conversation_uid"]),
            conversation_title=row["title"],
            person=row["person"] or "",
            organization=row["org"] or "",
            recording_uid=str(row["recording"]) if row["recording"] else None,
        )
        found.append((row["insight"], quote))
    return found


def _count_people(strength: "Strength", people: Iterable[Voice]) -> None:
    for voice in people:
        strength.people[voice.person_id] = voice.name
        if voice.organization_id:
            strength.organizations[voice.organization_id] = voice.organization


def insight_strengths(
    insight_ids: Iterable[int], *, quotes: int = QUOTES_PER_INSIGHT
) -> dict[int, Strength]:
    """Strength of each insight in six queries, whatever the number of insights or highlights.

    People behind a highlight are its speaker's person (a colleague's or an interviewer's
    words count nobody); a quote nobody known said (from the notes, or an unmapped voice)
    counts the conversation's non-colleague participants and is counted as unattributed, as
    conversations attached to the insight directly count their participants. Only ids, names
    and one date per insight travel for the counts; the quotes' text comes for the few shown.
    """
    ids = set(insight_ids)
    strengths = {pk: Strength() for pk in ids}
    if not ids:
        return strengths
    backing_through = Insight.highlights.through.objects.filter(insight_id__in=ids).exclude(HIDDEN)
    backing = [_Backing(*row) for row in backing_through.values_list(*_BACKING_COLUMNS)]
    newest = (
        backing_through.order_by()
        .values("insight_id")
        .annotate(newest=Max("highlight__conversation__occurred_at"))
        .values_list("insight_id", "newest")
    )
    against = Insight.contradicting_highlights.through.objects.filter(
        insight_id__in=ids
    ).values_list("insight_id", "highlight_id")
    direct = list(
        Insight.conversations.through.objects.filter(insight_id__in=ids).values_list(
            "insight_id", "conversation_id", "conversation__occurred_at"
        )
    )
    unknown = {row.conversation_id for row in backing if row.unattributed}
    participants = _participants(unknown | {conversation for _, conversation, _ in direct})

    for row in backing:
        strength = strengths[row.insight_id]
        strength.highlights.add(row.highlight_id)
        strength.conversations.add(row.conversation_id)
        if row.unattributed:
            strength.unattributed.add(row.highlight_id)
            _count_people(strength, participants[row.conversation_id])
        elif row.person_id is not None and row.kind != PersonKind.COLLEAGUE:
            # A colleague's words are context, not customer evidence.
            voice = Voice(row.person_id, row.person, row.organization_id, row.organization)
            _count_people(strength, [voice])
    for insight_id, when in newest:
        strengths[insight_id]._seen(when)
    for insight_id, conversation_id, when in direct:
        strength = strengths[insight_id]
        strength.conversations.add(conversation_id)
        strength._seen(when)
        _count_people(strength, participants[conversation_id])
    for insight_id, pk in against:
        strengths[insight_id].contradicting.add(pk)
    if quotes:
        for insight_id, quote in quotes_of(ids, quotes):
            strengths[insight_id].quotes.append(quote)
    return strengths


@dataclass(frozen=True)
class InsightRow:
    insight: Insight
    strength: Strength


def insight_rows(insights: Iterable[Insight]) -> list[InsightRow]:
    """Insights (a page of them) each with its strength, in six queries."""
    insights = list(insights)
    strengths = insight_strengths((i.pk for i in insights), quotes=0)
    return [InsightRow(insight, strengths[insight.pk]) for insight in insights]


def insight_list(*, team: Team, status: str = "", tag: str = "") -> QuerySet:
    qs = Insight.objects.filter(team=team).prefetch_related("tags")
    if status:
        qs = qs.filter(status=status)
    if tag:
        qs = qs.filter(tagged_items__tag__team=team, tagged_items__tag__slug=tag)
    return qs.distinct()


def insight_detail(*, team: Team, uid) -> Insight:
    highlights = (
        Highlight.objects.consented()
        .select_related("conversation", "person__organization", "transcript__recording")
        .prefetch_related("tags")
    )
    return (
        Insight.objects.filter(team=team)
        .select_related("created_by")
        .prefetch_related(
            "tags",
            Prefetch("highlights", queryset=highlights),
            Prefetch("contradicting_highlights", queryset=highlights),
            Prefetch("conversations", queryset=Conversation.objects.select_related("project")),
            Prefetch(
                "feature_links",
                queryset=InsightFeatureLink.objects.select_related("feature").order_by(
                    "feature__name"
                ),
            ),
        )
        .get(uid=uid)
    )


def attach_candidates(*, insight: Insight, tag: str = "", limit: int = 40) -> dict:
    """Recent highlights of the team not yet on the insight, optionally with one tag."""
    on_it = [h.pk for h in insight.highlights.all()] + [
        h.pk for h in insight.contradicting_highlights.all()
    ]
    qs = (
        Highlight.objects.filter(team_id=insight.team_id)
        .consented()
        .exclude(pk__in=on_it)
        .select_related("conversation")
        .order_by("-created_at")
    )
    if tag:
        qs = qs.filter(tagged_items__tag__slug=tag, tagged_items__tag__team_id=insight.team_id)
    tags = TeamTag.objects.filter(team_id=insight.team_id, highlight_items__isnull=False)
    return {"candidates": list(qs[:limit]), "candidate_tags": tags.distinct().order_by("name")}


@dataclass(frozen=True)
class FeatureFed:
    feature: Feature
    links: list[InsightFeatureLink]


def conversation_feeds(*, conversation: Conversation) -> dict:
    """The insights a conversation backs (by its highlights or as a whole), and their features."""
    insights = list(
        Insight.objects.filter(team_id=conversation.team_id)
        .filter(
            Q(highlights__conversation=conversation)
            | Q(conversations=conversation)
            | Q(contradicting_highlights__conversation=conversation)
        )
        .distinct()
        .order_by("title")
    )
    links = (
        InsightFeatureLink.objects.filter(insight__in=insights)
        .select_related("feature", "insight")
        .order_by("feature__name")
    )
    features: dict[int, FeatureFed] = {}
    for link in links:
        fed = features.setdefault(link.feature_id, FeatureFed(link.feature, []))
        fed.links.append(link)
    return {"insights": insights, "features": list(features.values())}


def insights_to_attach(*, conversation: Conversation, limit: int = 200) -> list[Insight]:
    """The team's newest insights that do not use the whole conversation yet."""
    return list(
        Insight.objects.filter(team_id=conversation.team_id)
        .exclude(conversations=conversation)
        .only("uid", "title")
        .order_by("-created_at")[:limit]
    )
