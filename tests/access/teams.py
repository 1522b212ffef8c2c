"""Access-matrix cases for the team: home, setup, switching teams, members, invitations, team
settings and the audit trail."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from research.models import Invitation, Role
from research.services.teams import membership_add

from . import Case


def build(team, owner) -> dict[str, Case]:
    guest = get_user_model().objects.create_user("matrix-guest", password="pw-guest-12345")
    guest_membership = membership_add(team=team, user=guest, role=Role.VIEWER)
    invitation = Invitation.objects.create(
        team=team,
        email="matrix-invitee@example.com",
        role=Role.VIEWER,
        invited_by=owner,
        expires_at=timezone.now() + timezone.timedelta(days=7),
    )
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
        "invitation_create": Case(
            method="post",
            data={"email": "matrix-new@example.com", "role": "viewer"},
            member_status=403,
            writes=True,
        ),
        "invitation_revoke": Case(
            kwargs={"uid": invitation.uid}, method="post", member_status=403, writes=True
        ),
        "invitation": Case(
            kwargs={"token": "not-a-token"},
            skip="open to anyone with the link: tests/teams/test_invitations.py",
        ),
        "team_settings": Case(
            method="post", data={"require_owner_mfa": "on"}, member_status=403, writes=True
        ),
        "audit_trail": Case(member_status=403),
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
