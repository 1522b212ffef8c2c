from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from research.models import Organization, Person, Project, Team
from research.models.base import unique_slug

from .base import check_same_team, model_save
from .voice_profiles import voice_profile_delete


def _unique_project_slug(team: Team, name: str) -> str:
    return unique_slug(Project.objects.filter(team=team), (slugify(name) or "project")[:70])


@transaction.atomic
def project_create(*, team: Team, name: str, **fields) -> Project:
    project = Project(team=team, slug=_unique_project_slug(team, name))
    return model_save(project, name=name.strip(), **fields)


@transaction.atomic
def project_update(*, project: Project, **fields) -> Project:
    return model_save(project, **fields)


@transaction.atomic
def project_delete(*, project: Project) -> None:
    count = project.conversations.count()
    if count:
        raise ValidationError(
            f"This project still has {count} conversation(s). Move or delete them first."
        )
    project.delete()


@transaction.atomic
def organization_create(*, team: Team, **fields) -> Organization:
    return model_save(Organization(team=team), **fields)


@transaction.atomic
def organization_update(*, organization: Organization, **fields) -> Organization:
    return model_save(organization, **fields)


@transaction.atomic
def organization_delete(*, organization: Organization) -> None:
    organization.delete()


@transaction.atomic
def person_create(*, team: Team, **fields) -> Person:
    check_same_team(
        team.pk, [fields.get("organization")], field="organization", label="an organization"
    )
    return model_save(Person(team=team), **fields)


@transaction.atomic
def person_update(*, person: Person, **fields) -> Person:
    check_same_team(
        person.team_id, [fields.get("organization")], field="organization", label="an organization"
    )
    return model_save(person, **fields)


@transaction.atomic
def person_delete(*, person: Person) -> None:
    voice_profile_delete(person=person, reason="the person was deleted")
    person.delete()
