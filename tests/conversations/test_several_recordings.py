"""A conversation with two recordings: a link to a moment names its recording, that recording's
player seeks and its line is marked; a highlight is marked only on the recording it was cut
from; exports name their recording; selecting words never plays or seeks the audio."""

import pytest
from django.urls import reverse

from research.models import Recording, Segment, Transcript
from research.services.highlights import highlight_create
from tests.browser_support import chromium
from tests.builders import JFK, client_for, copy, upload, words_for

LINES = [
    (0.0, 5.0, "Before the shift we check the gloves."),
    (5.0, 10.5, "The scanner drops off the network near the ovens."),
]


@pytest.fixture
def two_recordings(owner, conversation, audio_root, tmp_path):
    """The same conversation recorded twice (a morning and an afternoon round); each transcript
    has lines at the same times."""
    client = client_for(owner)
    upload(client, conversation, copy(tmp_path, JFK, "morning.flac"))
    upload(client, conversation, copy(tmp_path, JFK, "afternoon.flac"))
    recordings = list(Recording.objects.filter(conversation=conversation).order_by("created_at"))
    transcripts = []
    for n, recording in enumerate(recordings):
        transcript = Transcript.objects.create(team=owner.team, recording=recording, version=1)
        for index, (start, end, text) in enumerate(LINES):
            text = f"{text} Round {n + 1}."
            Segment.objects.create(
                team=owner.team,
                transcript=transcript,
                conversation=conversation,
                index=index,
                start=start,
                end=end,
                text=text,
                speaker="Ana",
                words=words_for(text, start, end),
            )
        transcripts.append(transcript)
    return recordings, transcripts


@pytest.mark.django_db
def test_moment_links_name_their_recording(owner, conversation, two_recordings):
    (_, afternoon), (_, second) = two_recordings
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        quote="The scanner drops off the network near the ovens. Round 2.",
        transcript=second,
        start=5.0,
        end=10.5,
    )
    page = conversation.get_absolute_url()
    assert highlight.get_absolute_url() == (
        f"{page}?recording={afternoon.uid}&highlight={highlight.uid}#t=5"
    )
    body = client_for(owner).get(reverse("research:search"), {"q": "scanner"}).content.decode()
    assert f'href="{page}?recording={afternoon.uid}&amp;segment=1#t=5"' in body


@pytest.mark.django_db
def test_exports_of_two_recordings_name_each_recording(owner, two_recordings):
    _, (first, second) = two_recordings
    client = client_for(owner)
    names = [
        client.get(reverse("research:transcript_export", args=[t.uid, "srt"]))[
            "Content-Disposition"
        ]
        for t in (first, second)
    ]
    assert names == [
        'attachment; filename="visit-at-the-bakery-morning-v1.srt"',
        'attachment; filename="visit-at-the-bakery-afternoon-v1.srt"',
    ]


@pytest.mark.django_db
def test_recordings_of_the_same_name_export_to_different_files(owner, two_recordings):
    recordings, (first, second) = two_recordings
    Recording.objects.filter(pk__in=[r.pk for r in recordings]).update(original_name="call.webm")
    client = client_for(owner)
    names = {
        client.get(reverse("research:transcript_export", args=[t.uid, "txt"]))[
            "Content-Disposition"
        ]
        for t in (first, second)
    }
    assert len(names) == 2
    assert all("visit-at-the-bakery-call-" in n for n in names)


def _player_times(page):
    return page.eval_on_selector_all(
        "article[data-recording] audio[data-player]", "els => els.map(a => a.currentTime)"
    )


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_moment_of_the_second_recording_opens_that_player(
    live_server, owner, conversation, two_recordings
):
    from playwright.sync_api import expect

    (morning, afternoon), (_, second) = two_recordings
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        quote="The scanner drops off the network near the ovens. Round 2.",
        transcript=second,
        start=5.0,
        end=10.5,
    )
    client = client_for(owner)
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(live_server.url + highlight.get_absolute_url())
        second_box = page.locator(f'article[data-recording="{afternoon.uid}"]')
        first_box = page.locator(f'article[data-recording="{morning.uid}"]')
        # The afternoon's line is the one marked; the morning's line at the same time is not.
        expect(second_box.locator('.line.here[data-segment="1"]')).to_have_count(1)
        expect(first_box.locator(".line.here")).to_have_count(0)
        page.wait_for_function(
            "() => document.querySelectorAll('audio[data-player]')[1].currentTime > 4.9"
        )
        assert _player_times(page)[0] == 0
        # The highlight's marks are on the words of the afternoon only.
        expect(second_box.locator(".w.marked")).not_to_have_count(0)
        expect(first_box.locator(".w.marked")).to_have_count(0)

        # Its clip button plays the afternoon recording, not the first player on the page.
        page.locator(f"#hl-{highlight.uid} a.play").click()
        page.wait_for_function("() => !document.querySelectorAll('audio[data-player]')[1].paused")
        assert page.eval_on_selector_all("audio[data-player]", "els => els[0].paused")

        # Selecting words (to make a highlight) neither plays nor seeks.
        page.goto(live_server.url + conversation.get_absolute_url())
        words = first_box.locator('.line[data-segment="1"] .w')
        start, end = words.first.bounding_box(), words.nth(3).bounding_box()
        page.mouse.move(start["x"] + 1, start["y"] + start["height"] / 2)
        page.mouse.down()
        page.mouse.move(end["x"] + end["width"] - 1, end["y"] + end["height"] / 2, steps=6)
        page.mouse.up()
        expect(page.locator("[data-highlight-form] [name=quote]")).to_have_value(
            "The scanner drops off"
        )
        page.wait_for_timeout(400)
        assert _player_times(page) == [0, 0]
        assert page.eval_on_selector_all("audio[data-player]", "els => els.every(a => a.paused)")
