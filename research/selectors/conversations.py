"""Conversations: the filtered list and one conversation with everything its page shows."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from research.ids import uuid_or_none
from research.models import Consent, Conversation, ConversationKind, Person, Team


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
        person_uid = uuid_or_none(filters.person)
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


def conversation_speakers_expected(conversation: Conversation) -> int | None:
    """How many people can speak in it (participants and interviewers); None if unknown."""
    count = conversation.participants.count() + conversation.interviewers.count()
    return count or None
