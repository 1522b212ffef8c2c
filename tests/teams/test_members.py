from django.urls import reverse

from research.models import AuditEvent, AuditKind, Invitation, Membership, Role
from tests.builders import client_for


def test_last_owner_cannot_leave_or_be_demoted(owner_client, owner):
    membership = Membership.objects.get(user=owner)
    url = reverse("research:member_role", args=[membership.uid])
    response = owner_client.post(url, {"role": "viewer"})
    assert response.status_code == 400
    assert "at least one owner" in response.content.decode()
    response = owner_client.post(
        reverse("research:member_remove", args=[membership.uid]), {"confirmed": "yes"}
    )
    assert response.status_code == 400
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def test_owner_changes_role_and_removes_and_the_trail_says_so(owner_client, teammate, team):
    membership = Membership.objects.get(user=teammate)
    owner_client.post(reverse("research:member_role", args=[membership.uid]), {"role": "viewer"})
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    url = reverse("research:member_remove", args=[membership.uid])
    # The first post asks; only the confirmed one removes.
    asked = owner_client.post(url)
    assert asked.status_code == 200
    assert "Remove tom from Acme Research?" in asked.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    owner_client.post(url, {"confirmed": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    trail = list(
        AuditEvent.objects.filter(team=team, kind__in=[AuditKind.ROLE, AuditKind.MEMBERSHIP])
        .order_by("id")
        .values_list("kind", "actor_name", "summary")
    )
    assert trail == [
        (AuditKind.ROLE, "olivia", "tom: editor → viewer"),
        (AuditKind.MEMBERSHIP, "olivia", "tom removed from the team (was viewer)"),
    ]


def test_a_bad_role_changes_nothing(owner_client, teammate):
    membership = Membership.objects.get(user=teammate)
    url = reverse("research:member_role", args=[membership.uid])
    assert owner_client.post(url, {"role": "god"}).status_code == 400
    membership.refresh_from_db()
    assert membership.role == Role.EDITOR
    assert not AuditEvent.objects.filter(kind=AuditKind.ROLE).exists()


def test_editors_and_viewers_cannot_manage_members(teammate, viewer):
    for user in (teammate, viewer):
        client = client_for(user)
        assert client.get(reverse("research:team_members")).status_code == 200
        response = client.post(
            reverse("research:invitation_create"), {"email": "x@example.com", "role": "owner"}
        )
        assert response.status_code == 403
    assert not Invitation.objects.exists()
