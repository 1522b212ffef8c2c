"""Signing in: lockout after repeated failures (django-axes) on our form and the admin's, and
the audit trail of sign-ins."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from research.models import AuditEvent, AuditKind


def wrong(client, url="/accounts/login/", username="olivia", **extra):
    return client.post(url, {"username": username, "password": "not-it"}, **extra)


def test_five_wrong_passwords_lock_the_account_from_that_address(client, owner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = wrong(client)
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    # The fifth failure locks: the answer says so.
    response = wrong(client)
    assert response.status_code == 429
    assert "failed 5 times in a row" in response.content.decode()
    # Now even the right password is refused, with a clear message.
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia-123"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many failed sign-ins" in body and "15 minutes" in body
    assert client.get("/")["Location"].startswith(reverse("login"))
    # Another address is not locked out of the same account.
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    response = other.post(reverse("login"), {"username": "olivia", "password": "pw-olivia-123"})
    assert response.status_code == 302


def test_the_lockout_answers_fast_and_stays(client, owner):
    """Thirty wrong passwords in a row: four are answered with the form, the fifth locks, the
    rest are refused before the password is even checked."""
    started = time.perf_counter()
    statuses = [wrong(client).status_code for _ in range(30)]
    elapsed = time.perf_counter() - started
    assert statuses[:4] == [200] * 4 and set(statuses[4:]) == {429}
    assert elapsed < 30
    failed = AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_FAILED, team=owner.team)
    assert failed.count() == 30
    # The fifth failure locks the account out; it and all later ones say so.
    assert failed.filter(summary__contains="locked out").count() == 26


def test_the_admin_sign_in_is_locked_out_too(client, db):
    get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-12345")
    for _ in range(4):
        assert wrong(client, "/admin/login/", "root").status_code == 200
    assert wrong(client, "/admin/login/", "root").status_code == 429
    response = client.post("/admin/login/", {"username": "root", "password": "pw-root-12345"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get("/admin/").status_code == 302


def test_the_admin_signs_in_through_the_same_form(client, db):
    get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-12345")
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": "root", "password": "pw-root-12345", "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_good_sign_in_resets_the_count(client, owner):
    for _ in range(4):
        wrong(client)
    assert client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia-123"})[
        "Location"
    ] == reverse("research:dashboard")
    client.post(reverse("logout"))
    for _ in range(4):
        assert wrong(client).status_code == 200


def test_sign_ins_and_failures_are_in_the_teams_trail(client, owner, teammate):
    wrong(client, username="tom")
    client.post(reverse("login"), {"username": "tom", "password": "pw-tom-12345"})
    events = list(
        AuditEvent.objects.filter(team=owner.team).order_by("id").values_list("kind", "actor_name")
    )
    assert events[-2:] == [(AuditKind.SIGN_IN_FAILED, "tom"), (AuditKind.SIGN_IN, "tom")]
    wrong(client, username="nobody-here")
    stray = AuditEvent.objects.filter(kind=AuditKind.SIGN_IN_FAILED, team__isnull=True).get()
    assert stray.target == "nobody-here" and stray.ip_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_refused_write_logs_one_line(client, viewer, caplog):
    client.force_login(viewer)
    with caplog.at_level("WARNING", logger="django.request"):
        response = client.post(reverse("research:conversation_create"), {"title": "x"})
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.exc_info is None and record.exc_text is None
    assert record.getMessage().startswith("Forbidden (Permission denied): /conversations/new/")
    assert "Viewers can read" in record.getMessage()


def test_a_sign_in_without_a_request_is_not_refused(client, owner):
    """The test client's login() calls authenticate() without a request: the lockout check
    steps aside instead of raising, and the password still decides."""
    assert client.login(username="olivia", password="pw-olivia-123")
    assert not client.__class__().login(username="olivia", password="wrong")
