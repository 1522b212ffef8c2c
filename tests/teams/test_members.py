import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from research.models import Membership, Role
from tests.builders import client_for


def test_owner_adds_a_new_member_who_can_sign_in(owner_client, team, client):
    response = owner_client.post(
        reverse("research:member_add"),
        {
            "username": "nina",
            "email": "nina@example.com",
            "password": "plant floor 42x",
            "role": "viewer",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="nina")
    assert membership.team == team and membership.role == Role.VIEWER
    assert client.login(username="nina", password="plant floor 42x")
    assert "nina" in owner_client.get(reverse("research:team_members")).content.decode()


def test_owner_adds_an_existing_user_of_another_team(owner_client, team, outsider):
    response = owner_client.post(
        reverse("research:member_add"), {"username": outsider.username, "role": "editor"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=outsider).count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "nina", "role": "editor"}, "first password"),
        ({"username": "nina", "password": "123", "role": "editor"}, "too short"),
        ({"username": "olivia", "role": "editor"}, "already in this team"),
        ({"username": "nina", "password": "plant floor 42x", "role": "god"}, "valid choice"),
    ],
)
def test_bad_member_input_is_refused(owner_client, team, data, message):
    response = owner_client.post(reverse("research:member_add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="nina").exists()


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


def test_owner_changes_role_and_removes(owner_client, teammate):
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


def test_editors_and_viewers_cannot_manage_members(teammate, viewer):
    for user in (teammate, viewer):
        client = client_for(user)
        assert client.get(reverse("research:team_members")).status_code == 200
        response = client.post(reverse("research:member_add"), {"username": "x", "role": "owner"})
        assert response.status_code == 403
    assert not get_user_model().objects.filter(username="x").exists()
