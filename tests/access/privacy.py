"""Access-matrix cases for privacy: erasure, anonymising, retention, protection, redaction."""

import uuid

from django.utils import timezone

from research.models import Consent, Conversation, Insight, Person, Project, Redaction

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Privacy matrix", slug="privacy-matrix")
    person = Person.objects.create(team=team, name="Matrix Erasable")
    conversation = Conversation.objects.create(
        team=team,
        project=project,
        title="Matrix privacy conversation",
        created_by=owner,
        notes="Call me on +44 20 7946 0958.",
    )
    conversation.participants.add(person)
    Consent.objects.create(
        team=team,
        conversation=conversation,
        person=person,
        given=True,
        withdrawn_at=timezone.now(),
    )
    batch = uuid.uuid4()
    Redaction.objects.create(
        team=team,
        conversation=conversation,
        batch=batch,
        kinds="email",
        original="x",
        redacted="y",
    )
    conv = {"uid": conversation.uid}
    insight = Insight.objects.create(team=team, title="Matrix brief")
    return {
        "insight_brief": Case(kwargs={"uid": insight.uid}),
        # Erasure is for owners: the matrix's member (an editor) is refused.
        "person_erase": Case(kwargs={"uid": person.uid}, member_status=403, writes=True),
        "participant_anonymise": Case(
            kwargs={**conv, "person_uid": person.uid},
            method="post",
            member_status=302,
            writes=True,
        ),
        "retention": Case(),
        "conversation_protect": Case(
            kwargs=conv, method="post", data={"protected": "on"}, member_status=302, writes=True
        ),
        "redaction_review": Case(kwargs=conv, writes=True),
        "redaction_undo": Case(
            kwargs={**conv, "batch": batch}, method="post", member_status=403, writes=True
        ),
    }
