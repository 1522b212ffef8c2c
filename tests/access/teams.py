"""Access-matrix cases for the team: home, setup, switching teams, members."""

from django.contrib.auth import get_user_model

from research.models import Role
from research.services.teams import membership_add

from . import Case


def build(team, owner) -> dict[str, Case]:
    guest = get_user_model().objects.create_user("matrix-guest", password="pw-guest-12345")
    guest_membership = membership_add(team=team, user=guest, role=Role.VIEWER)
    return {
        "dashboard": Case(),
        "setup": Case(skip="only before the first user exists (tests/teams/test_setup.py)"),
        "no_team": Case(skip="redirects members (tests/teams/test_setup.py)"),
        "team_switch": Case(
            method="post",
            data={"team": str(team.uid)},
            member_status=302,
            skip="outsider gets 404 for a foreign team uid (tests/teams/test_setup.py)",
        ),
        "team_members": Case(),
        "member_add": Case(
            method="post",
            data={"username": "new-person", "password": "a long pass phrase", "role": "viewer"},
            member_status=302,
            skip="owners only: tests/teams/test_members.py",
        ),
        "member_role": Case(
            kwargs={"uid": guest_membership.uid},
            method="post",
            data={"role": "editor"},
            member_status=403,
            writes=True,
        ),
        "member_remove": Case(
            kwargs={"uid": guest_membership.uid}, method="post", member_status=403, writes=True
        ),
        "member_password": Case(
            kwargs={"uid": guest_membership.uid}, member_status=403, writes=True
        ),
        "password_change": Case(),
    }
