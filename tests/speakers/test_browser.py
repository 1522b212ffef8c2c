"""In Chromium at phone width: each speaker's lines and strip show its colour, and ticking the
first and last of a range of lines moves the whole range to another speaker."""

import pytest
from django.conf import settings
from django.test import Client

from research.models import Person, Segment
from tests.browser_support import chromium
from tests.builders import diarized

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LINES = [
    ("Speaker 1", "We export the report every Monday morning."),
    ("Speaker 2", "How long does that take you?"),
    ("Speaker 1", "About an hour, sometimes two."),
    ("Speaker 1", "Then I rebuild the pivot table."),
    ("Speaker 1", "My manager reads it on Tuesday."),
    ("Speaker 2", "What would help most?"),
]


@pytest.mark.django_db(transaction=True)
def test_speaker_colours_show_and_a_range_of_lines_moves_at_375px(
    live_server, team, owner, conversation
):
    from playwright.sync_api import expect

    amara = Person.objects.create(team=team, name="Amara Okafor")
    conversation.participants.add(amara)
    transcript = diarized(team, conversation, LINES)
    client = Client()
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = live_server.url.split("//", 1)[1].split(":")[0]

    with chromium() as browser:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
        )
        page = context.new_page()
        page.goto(live_server.url + conversation.get_absolute_url())
        lines = page.locator("ol.lines > li.line")
        expect(lines).to_have_count(6)

        def colour(selector: str) -> str:
            return page.eval_on_selector(selector, "el => getComputedStyle(el).color")

        first = colour("li.line.spk-0 .speaker")
        second = colour("li.line.spk-1 .speaker")
        assert first != second and "rgb(0, 0, 0)" not in (first, second)
        fills = page.eval_on_selector_all(
            "svg.speaker-strip rect", "rects => rects.map(r => getComputedStyle(r).fill)"
        )
        assert len(fills) == 6 and fills[0] == fills[2] != fills[1]
        # The page fits the phone: nothing wider than the viewport.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        # Ticks appear once the speaker tools are open; tick the 2nd and 5th line, move them
        # and everything between to Speaker 2.
        expect(page.locator("input.pick").first).to_be_hidden()
        page.click("summary:has-text('Speakers')")
        expect(page.locator("input.pick").first).to_be_visible()
        page.check(f"li#seg-{transcript.uid}-1 input.pick")
        page.check(f"li#seg-{transcript.uid}-4 input.pick")
        move = page.locator("form.move-lines")
        move.locator("input[name=through]").check()
        move.locator("select[name=speaker]").select_option(label="Speaker 2")
        move.locator("button[type=submit]").click()
        expect(page.locator("text=Lines moved.")).to_be_visible()
        expect(page.locator("ol.lines > li.line.spk-1")).to_have_count(5)
        page.screenshot(path="/tmp/speakers-375-after-move.png", full_page=True)

    speakers = list(
        Segment.objects.filter(transcript=transcript)
        .order_by("index")
        .values_list("speaker", flat=True)
    )
    assert speakers == ["Speaker 1"] + ["Speaker 2"] * 5
