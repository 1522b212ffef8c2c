"""A member who forgot their password: an owner sets a one-time password (shown once), and the
member must choose their own at the next sign-in before anything else."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from research.models import AuditEvent, Membership
from tests.builders import client_for

pytestmark = pytest.mark.django_db


def one_time_password(owner, member) -> str:
    membership = Membership.objects.get(user=member)
    url = reverse("research:member_password", args=[membership.uid])
    page = client_for(owner).get(url).content.decode()
    assert "Make a one-time password" in page
    body = client_for(owner).post(url).content.decode()
    return re.search(r"data-one-time-password>([^<]+)</code>", body).group(1)


def test_the_member_signs_in_once_and_must_choose_a_password(owner, teammate):
    password = one_time_password(owner, teammate)
    tom = get_user_model().objects.get(pk=teammate.pk)
    assert tom.check_password(password) and not tom.check_password("pw-tom-12345")
    assert AuditEvent.objects.filter(summary="One-time password set for tom").exists()

    client = Client()
    signed_in = client.post(reverse("login"), {"username": "tom", "password": password})
    assert signed_in.status_code == 302
    # Every page sends them to choose their own password first.
    for path in ("/", reverse("research:conversation_list")):
        assert client.get(path)["Location"] == reverse("research:password_change")
    page = client.get(reverse("research:password_change")).content.decode()
    assert "You signed in with a one-time password" in page

    same = {"new_password1": password, "new_password2": password}
    assert client.post(reverse("research:password_change"), same).status_code == 400
    mine = {"new_password1": "tom's own long phrase", "new_password2": "tom's own long phrase"}
    response = client.post(reverse("research:password_change"), mine)
    assert response["Location"] == reverse("research:dashboard")
    assert client.get("/").status_code == 200  # still signed in, free to go on
    assert not Membership.objects.get(user=teammate).must_change_password
    assert get_user_model().objects.get(pk=teammate.pk).check_password("tom's own long phrase")


def test_only_owners_set_one_time_passwords_and_not_their_own(owner, teammate):
    owner_membership = Membership.objects.get(user=owner)
    url = reverse("research:member_password", args=[owner_membership.uid])
    assert client_for(teammate).post(url).status_code == 403
    response = client_for(owner).post(url)
    assert response.status_code == 400
    assert "Change your own password" in response.content.decode()
    assert get_user_model().objects.get(pk=owner.pk).check_password("pw-olivia-123")


def test_team_page_offers_it_for_each_other_member(owner, teammate):
    body = client_for(owner).get(reverse("research:team_members")).content.decode()
    tom = Membership.objects.get(user=teammate)
    me = Membership.objects.get(user=owner)
    assert reverse("research:member_password", args=[tom.uid]) in body
    assert reverse("research:member_password", args=[me.uid]) not in body
