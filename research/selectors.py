"""Reads that go beyond one get(): always scoped to a team, with explicit joins."""

import uuid
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from research.models import (
    Consent,
    Conversation,
    ConversationKind,
    Organization,
    Person,
    Project,
    Team,
    TeamTag,
)


@dataclass(frozen=True)
class ConversationFilters:
    project: str = ""
    tag: str = ""
    person: str = ""
    kind: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, params) -> "ConversationFilters":
        kind = params.get("kind", "")
        return cls(
            project=params.get("project", "")[:80],
            tag=params.get("tag", "")[:100],
            person=params.get("person", "")[:40],
            kind=kind if kind in ConversationKind.values else "",
            q=params.get("q", "")[:200],
        )

    @property
    def active(self) -> bool:
        return any((self.project, self.tag, self.person, self.kind, self.q))


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except (ValueError, TypeError):
        return None


def conversation_list(*, team: Team, filters: ConversationFilters | None = None) -> QuerySet:
    filters = filters or ConversationFilters()
    qs = (
        Conversation.objects.filter(team=team)
        .select_related("project")
        .prefetch_related(
            "tags",
            Prefetch("participants", queryset=Person.objects.select_related("organization")),
        )
    )
    if filters.project:
        qs = qs.filter(project__slug=filters.project)
    if filters.tag:
        qs = qs.filter(tagged_items__tag__team=team, tagged_items__tag__slug=filters.tag)
    if filters.person:
        person_uid = _uuid_or_none(filters.person)
        qs = qs.filter(participants__uid=person_uid) if person_uid else qs.none()
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(location__icontains=filters.q))
    return qs.distinct()


def conversation_detail(*, team: Team, uid) -> Conversation:
    return (
        Conversation.objects.filter(team=team)
        .select_related("project", "created_by")
        .prefetch_related(
            "tags",
            "interviewers",
            Prefetch("participants", queryset=Person.objects.select_related("organization")),
            Prefetch("consents", queryset=Consent.objects.select_related("person")),
        )
        .get(uid=uid)
    )


def project_list(*, team: Team) -> QuerySet:
    return (
        Project.objects.filter(team=team)
        .annotate(conversation_count=Count("conversations"))
        .order_by("is_archived", "name")
    )


def organization_list(*, team: Team, kind: str = "") -> QuerySet:
    qs = (
        Organization.objects.filter(team=team)
        .annotate(people_count=Count("people"))
        .order_by("name")
    )
    return qs.filter(kind=kind) if kind else qs


def person_list(*, team: Team, organization: str = "", kind: str = "") -> QuerySet:
    qs = (
        Person.objects.filter(team=team)
        .select_related("organization")
        .annotate(conversation_count=Count("conversations", distinct=True))
        .order_by("name")
    )
    if organization:
        org_uid = _uuid_or_none(organization)
        qs = qs.filter(organization__uid=org_uid) if org_uid else qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def team_tags(*, team: Team) -> QuerySet:
    return (
        TeamTag.objects.filter(team=team)
        .annotate(conversation_count=Count("conversation_items", distinct=True))
        .order_by("name")
    )


def dashboard(*, team: Team) -> dict:
    return {
        "recent_conversations": list(conversation_list(team=team)[:8]),
        "projects": list(project_list(team=team).filter(is_archived=False)[:8]),
        "people": list(
            Person.objects.filter(team=team)
            .select_related("organization")
            .order_by("-created_at")[:8]
        ),
        "counts": {
            "conversations": Conversation.objects.filter(team=team).count(),
            "people": Person.objects.filter(team=team).count(),
            "organizations": Organization.objects.filter(team=team).count(),
        },
    }
