"""The glossary page in a real browser, at phone and desktop width."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from research.models import GlossaryTerm
from research.services.teams import team_create
from tests.browser_support import chromium, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SHOTS = os.environ.get("FIELDNOTES_SHOTS_DIR", "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [375, 1280])
def test_editor_adds_and_deletes_terms_through_the_team_page(live_server, width):
    user = get_user_model().objects.create_user("gus", password="pw-gus-12345")
    team = team_create(name="Field team", owner=user)

    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        sign_in(page, live_server.url, "gus", "pw-gus-12345")
        if page.locator("[data-menu-button]").is_visible():  # the phone's menu
            page.click("[data-menu-button]")
        page.click("nav >> text=Team")
        page.click("text=Glossary")
        for term, kind, note in [
            ("Zentrix", "product", "the sync app, said 'zen-tricks'"),
            ("Trevanta", "customer", ""),
        ]:
            page.fill("#id_term", term)
            page.select_option("#id_kind", kind)
            page.fill("#id_note", note)
            page.click("button:has-text('Add to glossary')")
            expect(page.locator("td strong", has_text=term)).to_have_count(1)
        page.fill("#id_term", "zentrix")
        page.click("button:has-text('Add to glossary')")
        expect(page.locator(".errorlist")).to_contain_text("in the glossary already")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"glossary-{width}.png"), full_page=True)
        page.click("button[aria-label='Delete Trevanta']")
        expect(page.locator("td strong", has_text="Trevanta")).to_have_count(0)
    assert list(GlossaryTerm.objects.filter(team=team).values_list("term", flat=True)) == [
        "Zentrix"
    ]
