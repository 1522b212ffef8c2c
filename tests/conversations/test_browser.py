import pytest
from django.contrib.auth import get_user_model

from research.models import Conversation
from research.services.directory import person_create, project_create
from research.services.teams import team_create
from tests.browser_support import chromium, sign_in

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_sign_in_create_conversation_with_two_tags_and_find_it(live_server):
    user = get_user_model().objects.create_user("bea", password="pw-bea-12345")
    team = team_create(name="Field team", owner=user)
    project_create(team=team, name="Plant visits")
    person_create(team=team, name="Jonas Lindqvist")

    from playwright.sync_api import expect

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        sign_in(page, live_server.url, "bea", "pw-bea-12345")
        page.click("text=+ New conversation")
        page.fill("#id_title", "Line 3 walk-through")
        page.select_option("#id_kind", "site_visit")
        page.fill("#id_location", "Gdańsk plant")
        page.check("text=Jonas Lindqvist")
        page.fill("#id_tags", "offline, gloves")
        page.fill("#id_notes", "Crews wear **gloves**; Wi-Fi drops near the furnaces.")
        page.click("button:has-text('Create conversation')")
        page.wait_for_selector("h1:has-text('Line 3 walk-through')")
        # The heading can be in the page before the rest of it: wait for the notes too.
        expect(page.locator("strong", has_text="gloves")).to_have_count(1)

        page.click("text=Fieldnotes")
        recent = page.locator("section[aria-labelledby=recent-h]")
        row = recent.locator("li", has_text="Line 3 walk-through")
        expect(row).to_have_count(1)
        assert sorted(row.locator(".tag").all_inner_texts()) == ["gloves", "offline"]
        assert "Jonas Lindqvist" in row.inner_text()

    conversation = Conversation.objects.get(team=team)
    assert conversation.kind == "site_visit"
    assert sorted(t.name for t in conversation.tags.all()) == ["gloves", "offline"]
