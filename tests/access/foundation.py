from django.utils import timezone

from research.models import Consent, Conversation, Organization, Person, Project

from . import Case


def build(team, owner) -> dict[str, Case]:
    project = Project.objects.create(team=team, name="Matrix project", slug="matrix-project")
    org = Organization.objects.create(team=team, name="Matrix Org")
    person = Person.objects.create(team=team, name="Matrix Person", organization=org)
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
    cases = {
        "dashboard": Case(),
        "setup": Case(skip="only before the first user exists (tests/test_setup.py)"),
        "no_team": Case(skip="redirects members (tests/test_setup.py)"),
        "team_switch": Case(
            method="post",
            data={"team": str(team.uid)},
            member_status=302,
            skip="outsider gets 404 for a foreign team uid (test_setup.py)",
        ),
        "tag_autocomplete": Case(query="q=a"),
        "consent_record": Case(
            kwargs={"uid": conversation.uid},
            method="post",
            data={"person": person.pk, "given": "on", "may_quote": "on"},
            member_status=302,
        ),
        "consent_withdraw": Case(
            kwargs={"uid": conversation.uid, "consent_uid": consent.uid},
            method="post",
            member_status=302,
        ),
    }
    for name, obj in [
        ("project", project),
        ("organization", org),
        ("person", person),
        ("conversation", conversation),
    ]:
        cases[f"{name}_list"] = Case()
        cases[f"{name}_create"] = Case()
        cases[f"{name}_detail"] = Case(kwargs={"uid": obj.uid})
        cases[f"{name}_edit"] = Case(kwargs={"uid": obj.uid})
        cases[f"{name}_delete"] = Case(kwargs={"uid": obj.uid})
    return cases
