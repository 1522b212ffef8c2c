"""Invitations: the owner's form answers the same whoever the address belongs to; the invitee
accepts through a signed link that expires, signing in or creating an account on the way."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from research.models import AuditEvent, AuditKind, Invitation, Membership, Role
from tests.builders import client_for

LINK_CARD = re.compile(r'<section class="card" role="status">.*?</section>', re.S)
MESSAGE = re.compile(r'<ul class="messages".*?</ul>', re.S)


def invite(owner_client, email="nina@example.com", role="viewer"):
    response = owner_client.post(
        reverse("research:invitation_create"), {"email": email, "role": role}
    )
    assert response.status_code == 302
    page = owner_client.get(reverse("research:team_members")).content.decode()
    invitation = Invitation.objects.filter(email=email).latest("id")
    link = re.search(r'value="http://testserver(/invitations/[^"]+/)"', page).group(1)
    return invitation, page, link


def test_the_owner_sees_the_same_answer_for_an_address_with_or_without_an_account(
    owner_client, outsider
):
    url = reverse("research:invitation_create")
    answers = []
    for email in [outsider.email, "nobody@example.com"]:
        response = owner_client.post(url, {"email": email, "role": "viewer"})
        page = owner_client.get(reverse("research:team_members")).content.decode()
        card = LINK_CARD.search(page).group(0)
        message = MESSAGE.search(page).group(0)
        answers.append(
            (
                response.status_code,
                response["Location"],
                re.sub(r"/invitations/[^/]+/", "/invitations/TOKEN/", card).replace(email, "E"),
                message.replace(email, "E"),
            )
        )
        # The account behind the address is named nowhere (the address itself is the owner's).
        assert outsider.username not in page.replace(outsider.email, "EMAIL")
    assert answers[0] == answers[1]
    # Nothing joined.
    assert not Membership.objects.filter(user=outsider, team=owner_client.team).exists()
    # The link is shown once.
    again = owner_client.get(reverse("research:team_members")).content.decode()
    assert not LINK_CARD.search(again)


@pytest.fixture
def owner_client(owner):
    """The owner's own browser; `client` stays the invitee's."""
    client = client_for(owner)
    client.team = owner.team
    return client


def test_a_new_person_creates_an_account_through_the_link(owner_client, team, client):
    invitation, page, link = invite(owner_client)
    assert f"http://testserver{link}" in page
    visitor = client
    body = visitor.get(link).content.decode()
    assert "Join Acme Research" in body and "olivia" in body and "viewer" in body
    response = visitor.post(
        link, {"username": "nina", "email": "nina@example.com", "password": "plant floor 42x"}
    )
    assert response["Location"] == reverse("research:dashboard")
    assert "Acme Research" in visitor.get("/").content.decode()
    membership = Membership.objects.get(user__username="nina")
    assert membership.team == team and membership.role == Role.VIEWER
    invitation.refresh_from_db()
    assert invitation.accepted_by.username == "nina"
    joined = AuditEvent.objects.filter(team=team, kind=AuditKind.MEMBERSHIP).latest("id")
    assert joined.summary == "nina joined as viewer (invited by olivia)"
    # Used up.
    assert client.__class__().get(link).status_code == 410


def test_an_existing_account_signs_in_and_accepts(owner_client, team, outsider, client):
    invitation, _, link = invite(owner_client, email="someone@example.com", role="editor")
    page = client.get(link).content.decode()
    assert "/accounts/login/?next=" in page
    client.post(reverse("login"), {"username": "oscar", "password": "pw-oscar-123"})
    assert "Accept and join as oscar" in client.get(link).content.decode()
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=outsider).role == Role.EDITOR
    # The new team is the current one.
    assert "Acme Research" in client.get("/").content.decode()


def test_a_member_cannot_accept_twice(owner_client, teammate):
    _, _, link = invite(owner_client, email="tom@example.com")
    response = client_for(teammate).post(link)
    assert response.status_code == 400
    assert Membership.objects.get(user=teammate).role == Role.EDITOR


@pytest.mark.parametrize(
    "change, status, message",
    [
        ({"expires_at": timezone.now() - timedelta(seconds=1)}, 410, "expired"),
        ({"revoked_at": timezone.now()}, 410, "withdrawn"),
        ({"accepted_at": timezone.now()}, 410, "used already"),
    ],
)
def test_closed_invitations_say_why(owner_client, client, change, status, message):
    invitation, _, link = invite(owner_client)
    Invitation.objects.filter(pk=invitation.pk).update(**change)
    response = client.get(link)
    assert response.status_code == status and message in response.content.decode()
    response = client.post(link, {"username": "nina", "email": "", "password": "plant floor 42x"})
    assert response.status_code == status
    assert not get_user_model().objects.filter(username="nina").exists()


def test_an_old_signature_expires_even_if_the_row_says_otherwise(owner_client, client, settings):
    _, _, link = invite(owner_client)
    settings.FIELDNOTES_INVITATION_DAYS = 0
    assert client.get(link).status_code == 410


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "eyJ1aWQiOiIxIn0:1abc:forged", "%00"])
def test_a_forged_link_is_404(client, db, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "not a valid invitation" in response.content.decode()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"username": "", "password": "plant floor 42x"}, "required"),
        ({"username": "nina", "password": "123"}, "at least 8"),
        ({"username": "nina", "password": "password"}, "too common"),
        ({"username": "tom", "password": "plant floor 42x"}, "taken"),
        ({"username": "bad name!", "password": "plant floor 42x"}, "valid username"),
    ],
)
def test_bad_account_input_saves_nothing(owner_client, teammate, client, data, message):
    invitation, _, link = invite(owner_client)
    users = get_user_model().objects.count()
    response = client.post(link, {"email": "", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-address", "role": "viewer"}, "valid email"),
        ({"email": "", "role": "viewer"}, "required"),
        ({"email": "n@example.com", "role": "god"}, "valid choice"),
    ],
)
def test_bad_invitation_input_saves_nothing(owner_client, data, message):
    response = owner_client.post(reverse("research:invitation_create"), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Invitation.objects.exists()


def test_the_link_is_emailed_when_email_is_set_up(
    owner_client, settings, django_capture_on_commit_callbacks
):
    settings.FIELDNOTES_EMAIL_URL = "locmem://"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        invitation, _, link = invite(owner_client)
    (message,) = mail.outbox
    assert message.to == ["nina@example.com"] and "Acme Research" in message.subject
    assert f"http://testserver{link}" in message.body


def test_no_email_without_email_set_up(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invite(owner_client)
    assert mail.outbox == []


def test_the_owner_withdraws_an_invitation(owner_client, team, client):
    invitation, _, link = invite(owner_client)
    url = reverse("research:invitation_revoke", args=[invitation.uid])
    assert owner_client.post(url).status_code == 302
    assert client.get(link).status_code == 410
    summaries = AuditEvent.objects.filter(team=team, kind=AuditKind.MEMBERSHIP)
    assert summaries.filter(summary="Withdrew the invitation of nina@example.com").exists()


def test_another_teams_invitation_cannot_be_withdrawn(owner_client, outsider):
    theirs, _, _ = invite(client_for(outsider), email="theirs@example.com")
    url = reverse("research:invitation_revoke", args=[theirs.uid])
    assert owner_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
