"""Two-factor sign-in: TOTP (django-otp, checked against RFC 6238's own vectors), recovery
codes shown once, kept hashed and used once, owners sent to set it up when the team says so."""

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from research.models import AuditEvent, AuditKind, RecoveryCode
from research.services.teams import team_create
from tests.builders import client_for

PASSWORD = "pw-olivia-123"
CODE = re.compile(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>")  # a recovery code as the page shows it


@pytest.mark.parametrize(
    "at, expected",
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_totp_matches_rfc_6238_sha1_vectors(at, expected):
    totp = TOTP(b"12345678901234567890", step=30, t0=0, digits=8)
    totp.time = at
    assert f"{totp.token():08d}" == expected


def code_for(device: TOTPDevice, *, windows_ahead: int = 0) -> str:
    """What the person's authenticator app shows now (or `windows_ahead` steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + windows_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def turn_on(client) -> tuple[TOTPDevice, list[str]]:
    page = client.post(reverse("research:account_mfa_setup"))
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(
        reverse("research:account_mfa_setup"), {"step": "confirm", "token": code_for(device)}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "shown only this once" in body
    codes = CODE.findall(body)
    assert len(codes) == 10
    device.refresh_from_db()
    return device, codes


def password_step(client, username="olivia", password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_setting_up_and_signing_in_with_a_code(owner, client):
    device, codes = turn_on(client_for(owner))
    assert device.confirmed
    # Stored hashed: no code appears in the table.
    stored = list(RecoveryCode.objects.filter(user=owner).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not set(stored) & set(codes)
    assert all(c.replace("-", "") not in h for c in codes for h in stored)
    # The password alone does not sign in: it leads to the code step.
    response = password_step(client)
    assert response["Location"] == reverse("login_code")
    assert client.get("/")["Location"].startswith(reverse("login"))
    response = client.post(reverse("login_code"), {"code": "000000"})
    assert response.status_code == 400 and "not right" in response.content.decode()
    assert client.get("/")["Location"].startswith(reverse("login"))
    # django-otp throttles the device after a wrong code: even the right one waits a second.
    right = code_for(device, windows_ahead=1)
    assert client.post(reverse("login_code"), {"code": right}).status_code == 400
    time.sleep(1.1)
    response = client.post(reverse("login_code"), {"code": right})
    assert response["Location"] == reverse("research:dashboard")
    assert client.get("/").status_code == 200
    kinds = list(AuditEvent.objects.filter(team=owner.team).values_list("kind", flat=True))
    assert AuditKind.MFA in kinds and AuditKind.SIGN_IN_FAILED in kinds


def test_a_recovery_code_works_once(owner, client):
    _, codes = turn_on(client_for(owner))
    password_step(client)
    response = client.post(reverse("login_code"), {"code": codes[3].upper()})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200 and "9 left" in home.content.decode()
    client.post(reverse("logout"))
    password_step(client)
    response = client.post(reverse("login_code"), {"code": codes[3]})
    assert response.status_code == 400
    assert client.get("/")["Location"].startswith(reverse("login"))
    assert RecoveryCode.objects.filter(user=owner, used_at__isnull=False).count() == 1


def test_wrong_codes_count_towards_the_lockout(owner, client):
    turn_on(client_for(owner))
    password_step(client)
    for _ in range(4):
        assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 400
    response = client.post(reverse("login_code"), {"code": "123456"})
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    # The half-done sign-in is dropped, and the password step is locked too.
    assert client.get(reverse("login_code"))["Location"] == reverse("login")
    assert password_step(client).status_code == 429


def test_the_code_step_times_out(owner, client, settings):
    turn_on(client_for(owner))
    password_step(client)
    settings.FIELDNOTES_MFA_PENDING_SECONDS = 0
    time.sleep(0.01)
    response = client.post(reverse("login_code"), {"code": "123456"})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("login_code"))["Location"] == reverse("login")


@pytest.mark.parametrize("token", ["", "abcdef", "12", "9" * 11, "000000"])
def test_a_bad_confirmation_code_turns_nothing_on(owner, token):
    client = client_for(owner)
    client.post(reverse("research:account_mfa_setup"))
    response = client.post(
        reverse("research:account_mfa_setup"), {"step": "confirm", "token": token}
    )
    assert response.status_code == 400
    assert not TOTPDevice.objects.filter(confirmed=True).exists()
    assert not RecoveryCode.objects.exists()


def test_turning_off_needs_the_password(owner):
    client = client_for(owner)
    turn_on(client)
    response = client.post(reverse("research:account_mfa_disable"), {"password": "nope"})
    assert response.status_code == 400 and "not your password" in response.content.decode()
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()
    response = client.post(reverse("research:account_mfa_disable"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()


def test_new_recovery_codes_replace_the_old(owner, client):
    owner_client = client_for(owner)
    _, old = turn_on(owner_client)
    bad = owner_client.post(reverse("research:account_recovery_codes"), {"password": "x"})
    assert bad.status_code == 400
    response = owner_client.post(reverse("research:account_recovery_codes"), {"password": PASSWORD})
    new = CODE.findall(response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    password_step(client)
    assert client.post(reverse("login_code"), {"code": old[0]}).status_code == 400
    assert client.post(reverse("login_code"), {"code": new[0]}).status_code == 302


def test_a_team_can_require_it_of_owners(owner, teammate):
    client = client_for(owner)
    response = client.post(reverse("research:team_settings"), {"require_owner_mfa": "on"})
    assert response.status_code == 302
    owner.team.refresh_from_db()
    assert owner.team.require_owner_mfa
    # The owner is sent to set it up, wherever they go.
    for url in ["/", reverse("research:conversation_list"), reverse("research:audit_trail")]:
        assert client.get(url)["Location"] == reverse("research:account"), url
    assert "requires two-factor" in client.get(reverse("research:account")).content.decode()
    # Editors are not owners: nothing changes for them.
    assert client_for(teammate).get("/").status_code == 200
    turn_on(client)
    assert client.get("/").status_code == 200
    # And while the team requires it, an owner cannot turn it off.
    response = client.post(reverse("research:account_mfa_disable"), {"password": PASSWORD})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=owner, confirmed=True).exists()
    summaries = AuditEvent.objects.filter(team=owner.team, kind=AuditKind.MFA)
    assert summaries.filter(summary="Two-factor sign-in required for owners").exists()


def test_team_settings_refuse_non_owners(teammate, team):
    response = client_for(teammate).post(
        reverse("research:team_settings"), {"require_owner_mfa": "on"}
    )
    assert response.status_code == 403
    team.refresh_from_db()
    assert not team.require_owner_mfa


def test_confirming_without_a_key_waiting_is_refused(owner):
    client = client_for(owner)
    response = client.post(
        reverse("research:account_mfa_setup"), {"step": "confirm", "token": "123456"}
    )
    assert response.status_code == 400
    assert "start the set-up again" in response.content.decode()
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()


def test_account_pages_send_anonymous_visitors_to_sign_in(client, db):
    for name in ["account_mfa_disable", "account_recovery_codes", "account_mfa_setup"]:
        response = client.post(reverse(f"research:{name}"), {"password": "x"})
        assert response["Location"].startswith(reverse("login")), name


def test_the_rule_holds_while_another_team_is_current(owner, outsider):
    """An owner of a team that requires it cannot dodge it by switching to another team."""
    second = team_create(name="Strict team", owner=owner)
    second.require_owner_mfa = True
    second.save()
    client = client_for(owner)  # the first team (no rule) is current
    assert client.get("/")["Location"] == reverse("research:account")
    assert client_for(outsider).get("/").status_code == 200
