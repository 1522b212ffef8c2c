"""Projects, organizations and people of a team, with how much each is used."""

from django.db.models import Count, QuerySet

from research.ids import uuid_or_none
from research.models import Organization, Person, Project, Team


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
        org_uid = uuid_or_none(organization)
        qs = qs.filter(organization__uid=org_uid) if org_uid else qs.none()
    if kind:
        qs = qs.filter(kind=kind)
    return qs
