from django.contrib.auth import get_user_model
from django.utils import timezone

from research.models import Consent, Conversation, Organization, Person, Project, Role
from research.services.teams import membership_add

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
    guest = get_user_model().objects.create_user("matrix-guest", password="pw-guest-12345")
    guest_membership = membership_add(team=team, user=guest, role=Role.VIEWER)
    cases = {
        "team_members": Case(),
        "member_add": Case(
            method="post",
            data={"username": "new-person", "password": "a long pass phrase", "role": "viewer"},
            member_status=302,
            skip="owners only: tests/test_team_members.py",
        ),
        "member_role": Case(
            kwargs={"uid": guest_membership.uid},
            method="post",
            data={"role": "editor"},
            member_status=403,
        ),
        "member_remove": Case(
            kwargs={"uid": guest_membership.uid}, method="post", member_status=403
        ),
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
            data={"person": person.uid, "given": "on", "may_quote": "on"},
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
