"""In Chromium at phone width: each speaker's lines and strip show its colour, and ticking the
first and last of a range of lines moves the whole range to another speaker."""

import subprocess

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


@pytest.mark.django_db(transaction=True)
def test_clicking_the_speaker_strip_plays_from_there(
    live_server, team, owner, conversation, audio_root
):
    from playwright.sync_api import expect

    transcript = diarized(team, conversation, LINES)
    recording = transcript.recording
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=220:duration=60"]
        + ["-ac", "1", "-ar", "16000", str(audio_root / "strip.wav")],
        check=True,
    )
    recording.stored_name, recording.content_type = "strip.wav", "audio/wav"
    recording.size_bytes = (audio_root / "strip.wav").stat().st_size
    recording.save()
    client = Client()
    client.force_login(owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = live_server.url.split("//", 1)[1].split(":")[0]

    with chromium(["--autoplay-policy=no-user-gesture-required"]) as browser:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}]
        )
        page = context.new_page()
        page.goto(live_server.url + conversation.get_absolute_url())
        strip = page.locator("svg.speaker-strip")
        expect(strip).to_be_visible()
        box = strip.bounding_box()
        # Three quarters along a 60 s strip: 45 s, Speaker 1's fifth line (40-49.5 s).
        strip.click(position={"x": box["width"] * 0.75, "y": box["height"] / 2})
        page.wait_for_function("() => document.querySelector('audio').currentTime > 44.5")
        at = page.evaluate("document.querySelector('audio').currentTime")
        assert 44.5 < at < 47
        expect(page.locator("li.line.current")).to_have_attribute("data-segment", "4")
        x = float(page.get_attribute("svg.speaker-strip [data-playhead]", "x1"))
        assert 44.5 < x < 47
