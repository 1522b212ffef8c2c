"""Access-matrix cases for conversations, their consent, and the site-visit page."""

from django.utils import timezone

from research.models import Consent, Conversation, Person, Project

from . import Case
from .directory import object_cases


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Matrix talks", slug="matrix-talks")
    person = Person.objects.create(team=team, name="Matrix Participant")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Matrix conversation", created_by=owner
    )
    conversation.participants.add(person)
    consent = Consent.objects.create(
        team=team,
        conversation=conversation,
        person=person,
        given=True,
        may_record=True,
        obtained_at=timezone.now(),
    )
    return {
        **object_cases("conversation", conversation),
        "consent_record": Case(
            kwargs={"uid": conversation.uid},
            method="post",
            data={"person": person.uid, "given": "on", "may_quote": "on"},
            member_status=302,
            writes=True,
        ),
        "consent_withdraw": Case(
            kwargs={"uid": conversation.uid, "consent_uid": consent.uid},
            method="post",
            member_status=302,
            writes=True,
        ),
        "site_visit": Case(writes=True),
    }
