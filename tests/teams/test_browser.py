"""In Chromium: two-factor sign-in end to end, an invitation accepted with a new account, and
the audit trail; each page is saved at phone and desktop width when SHOTS_DIR is set."""

import os
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from research.models import Membership, Role
from research.services import accounts
from research.services.teams import team_create
from tests.browser_support import chromium

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = os.environ.get("SHOTS_DIR", "")


def shoot(page, name: str) -> None:
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


def code_for(device, ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():06d}"


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.django_db(transaction=True)
def test_two_factor_sign_in_invitation_and_audit_trail(live_server, width):
    from playwright.sync_api import expect

    owner = get_user_model().objects.create_user("bea", "bea@example.com", "pw-bea-12345")
    team = team_create(name="Field team", owner=owner)
    device = accounts.mfa_setup_start(user=owner)
    accounts.mfa_setup_confirm(user=owner, token=code_for(device))
    device.refresh_from_db()
    base = live_server.url

    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(f"{base}/accounts/login/")
        shoot(page, "signin")
        page.fill("#id_username", "bea")
        page.fill("#id_password", "pw-bea-12345")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/accounts/login/code/")
        expect(page.locator("h1")).to_have_text("One more step")
        shoot(page, "signin-code")
        page.fill("#id_code", code_for(device, ahead=1))
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")

        page.goto(f"{base}/team/members/")
        page.fill("#id_email", "nina@example.com")
        page.select_option("#id_role", "viewer")
        page.click("button:has-text('Make an invitation link')")
        link = page.locator("input[aria-label='Invitation link']")
        expect(link).to_have_count(1)
        url = link.input_value()
        assert re.fullmatch(rf"{re.escape(base)}/invitations/[^/]+/", url)
        shoot(page, "team-members")

        page.goto(f"{base}/account/")
        shoot(page, "account")
        page.click("button:has-text('Move to another app or phone')")
        expect(page.locator(".qr svg")).to_have_count(1)
        shoot(page, "two-factor-setup")

        invitee = browser.new_page(viewport={"width": width, "height": 800})
        invitee.goto(url)
        expect(invitee.locator("h1")).to_have_text("Join Field team")
        shoot(invitee, "invitation")
        invitee.fill("#id_username", "nina")
        invitee.fill("#id_password", "plant floor 42x")
        invitee.click("button:has-text('Create account and join')")
        invitee.wait_for_url(f"{base}/")
        expect(invitee.locator(".messages")).to_contain_text("Welcome to “Field team”")

        page.goto(f"{base}/team/audit/")
        rows = page.locator("table.audit tbody tr")
        # Newest first: nina signed in on joining, after joining, after bea's invitation.
        expect(rows.nth(0)).to_contain_text("nina")
        expect(rows.nth(0)).to_contain_text("Signed in")
        expect(rows.nth(1)).to_contain_text("nina joined as viewer (invited by bea)")
        expect(rows.nth(2)).to_contain_text("Invited nina@example.com as viewer")
        shoot(page, "audit-trail")
        # Nothing sticks out sideways on a phone.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow

        stranger = browser.new_page(viewport={"width": width, "height": 800})
        for _ in range(5):
            stranger.goto(f"{base}/accounts/login/")
            stranger.fill("#id_username", "nina")
            stranger.fill("#id_password", "guess")
            stranger.click("button[type=submit]")
        expect(stranger.locator("h1")).to_have_text("Too many failed sign-ins")
        shoot(stranger, "signin-locked")

    assert Membership.objects.get(user__username="nina", team=team).role == Role.VIEWER
