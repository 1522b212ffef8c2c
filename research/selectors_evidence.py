"""Reads for the evidence work: how strong the human evidence behind insights and features is.

Strength is computed from a fixed number of flat queries (one row per piece of evidence) and
folded in Python, so a feature with 500 insights and 5,000 highlights costs the same number of
queries as one with a single insight.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Max, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    InsightFeatureLink,
    PersonKind,
    Stance,
    Team,
    TeamTag,
    Weight,
)

QUOTES_PER_INSIGHT = 3
WEIGHT_POINTS = {Weight.NICE: 1, Weight.IMPORTANT: 2, Weight.CRITICAL: 3}


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

    @property
    def is_from_audio(self) -> bool:
        return self.start is not None and self.end is not None


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
        self._seen(other.newest)


def _participants(conversation_ids: Iterable[int]) -> dict[int, list[tuple]]:
    """Customer-side participants per conversation: (person id, name, org id, org name)."""
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
        people[conversation_id].append(tuple(person))
    return people


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
}


def _quotes(ids: set[int], per_insight: int) -> list[tuple[int, Quote]]:
    """The newest `per_insight` backing quotes of each insight, in one windowed query."""
    newest_first = [F("highlight__created_at").desc(), F("highlight_id").desc()]
    rows = (
        Insight.highlights.through.objects.filter(insight_id__in=ids)
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
        )
        found.append((row["insight"], quote))
    return found


def _count_people(strength: "Strength", people: Iterable[tuple]) -> None:
    for person_id, name, org_id, org_name in people:
        strength.people[person_id] = name
        if org_id:
            strength.organizations[org_id] = org_name


def insight_strengths(
    insight_ids: Iterable[int], *, quotes: int = QUOTES_PER_INSIGHT
) -> dict[int, Strength]:
    """Strength of each insight in six queries, whatever the number of insights or highlights.

    People behind a highlight are its speaker's person; a quote from the notes counts the
    conversation's non-colleague participants, as do conversations attached to the insight
    directly. Only ids, names and one date per insight travel for the
    counts; the quotes' text comes for the few quotes shown.
    """
    ids = set(insight_ids)
    strengths = {pk: Strength() for pk in ids}
    if not ids:
        return strengths
    backing_through = Insight.highlights.through.objects.filter(insight_id__in=ids)
    backing = backing_through.values_list(
        "insight_id",
        "highlight_id",
        "highlight__conversation_id",
        "highlight__person_id",
        "highlight__person__name",
        "highlight__person__organization_id",
        "highlight__person__organization__name",
        "highlight__start",
        "highlight__person__kind",
    )
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
    backing = list(backing)
    # Only quotes from the notes fall back to the participants: a transcript line without a
    # person (an interviewer, an unnamed voice) is nobody's evidence.  Row: 3 person, 7 start.
    anonymous = {row[2] for row in backing if row[3] is None and row[7] is None}
    participants = _participants(anonymous | {conversation for _, conversation, _ in direct})

    for insight_id, pk, conversation_id, person_id, person, org_id, org, start, kind in backing:
        strength = strengths[insight_id]
        strength.highlights.add(pk)
        strength.conversations.add(conversation_id)
        if person_id is None and start is None:
            _count_people(strength, participants[conversation_id])
        elif person_id is not None and kind != PersonKind.COLLEAGUE:
            # A colleague's words are context, not customer evidence.
            _count_people(strength, [(person_id, person, org_id, org)])
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
        for insight_id, quote in _quotes(ids, quotes):
            strengths[insight_id].quotes.append(quote)
    return strengths


@dataclass
class FeatureEvidence:
    feature: Feature
    validating: list = field(default_factory=list)  # InsightFeatureLink with .strength
    contradicting: list = field(default_factory=list)
    mentioning: list = field(default_factory=list)
    for_: Strength = field(default_factory=Strength)
    against: Strength = field(default_factory=Strength)
    points: int = 0

    @property
    def has_evidence(self) -> bool:
        return bool(self.validating or self.contradicting)

    @property
    def is_contradicted(self) -> bool:
        return bool(self.contradicting) or self.for_.has_contradictions

    @property
    def newest(self) -> datetime | None:
        dates = [d for d in (self.for_.newest, self.against.newest) if d is not None]
        return max(dates) if dates else None

    @property
    def sort_key(self) -> tuple:
        """Strongest first: distinct customers for it, organizations, weighted links, quotes."""
        newest = self.for_.newest.timestamp() if self.for_.newest else 0
        return (
            -self.for_.people_count,
            -self.for_.organization_count,
            -self.points,
            -self.for_.highlight_count,
            -newest,
        )


def _fold(evidence: FeatureEvidence, link: InsightFeatureLink, strength: Strength) -> None:
    link.strength = strength
    if link.stance == Stance.VALIDATES:
        evidence.validating.append(link)
        evidence.for_.pool(strength)
        evidence.points += WEIGHT_POINTS.get(link.weight, 1)
    elif link.stance == Stance.CONTRADICTS:
        evidence.contradicting.append(link)
        evidence.against.pool(strength)
    else:
        evidence.mentioning.append(link)


def _link_order(link: InsightFeatureLink) -> tuple:
    return (-WEIGHT_POINTS.get(link.weight, 1), -link.strength.people_count, link.insight.title)


def feature_evidence(*, feature: Feature, quoted: int | None = None) -> FeatureEvidence:
    """Everything the feature page shows, in a constant number of queries.

    Every count covers every linked insight; quotes are fetched for the `quoted` strongest
    insights of each stance (all of them when None), the ones the page lists.
    """
    links = list(
        InsightFeatureLink.objects.filter(feature=feature, team_id=feature.team_id).select_related(
            "insight"
        )
    )
    strengths = insight_strengths((link.insight_id for link in links), quotes=0)
    evidence = FeatureEvidence(feature=feature)
    for link in links:
        _fold(evidence, link, strengths[link.insight_id])
    groups = (evidence.validating, evidence.contradicting, evidence.mentioning)
    for group in groups:
        group.sort(key=_link_order)
    shown = {link.insight_id for group in groups for link in group[:quoted]}
    for insight_id, quote in _quotes(shown, QUOTES_PER_INSIGHT) if shown else ():
        strengths[insight_id].quotes.append(quote)
    return evidence


def feature_list(*, team: Team, status: str = "") -> list[FeatureEvidence]:
    """The team's features, strongest evidence first, each with its pooled strength."""
    features = Feature.objects.filter(team=team).select_related("owner")
    if status:
        features = features.filter(status=status)
    evidence = {f.pk: FeatureEvidence(feature=f) for f in features}
    links = list(
        InsightFeatureLink.objects.filter(team=team, feature_id__in=evidence).select_related(
            "insight"
        )
    )
    strengths = insight_strengths((link.insight_id for link in links), quotes=0)
    for link in links:
        _fold(evidence[link.feature_id], link, strengths[link.insight_id])
    return sorted(evidence.values(), key=lambda e: (*e.sort_key, e.feature.name.lower()))


def insight_list(*, team: Team, status: str = "", tag: str = "") -> QuerySet:
    qs = Insight.objects.filter(team=team).prefetch_related("tags")
    if status:
        qs = qs.filter(status=status)
    if tag:
        qs = qs.filter(tagged_items__tag__team=team, tagged_items__tag__slug=tag)
    return qs.distinct()


def insight_detail(*, team: Team, uid) -> Insight:
    highlights = Highlight.objects.select_related(
        "conversation", "person__organization"
    ).prefetch_related("tags")
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
        .exclude(pk__in=on_it)
        .select_related("conversation")
        .order_by("-created_at")
    )
    if tag:
        qs = qs.filter(tagged_items__tag__slug=tag, tagged_items__tag__team_id=insight.team_id)
    tags = TeamTag.objects.filter(team_id=insight.team_id, highlight_items__isnull=False)
    return {"candidates": list(qs[:limit]), "candidate_tags": tags.distinct().order_by("name")}
