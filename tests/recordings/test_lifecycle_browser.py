"""In a real browser: a recording over the cap offers its choice and splits; a recording the
worker finished says so; a restarted job says which attempt it is. Screenshots at phone and
desktop width go to $FIELDNOTES_SHOTS when it is set."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from research import tasks
from research.models import Conversation, JobStage, Project, Recording, TranscriptionJob
from research.services.teams import team_create
from research.transcription import jobs
from tests.browser_support import chromium, sign_in
from tests.builders import JFK, client_for, piece_headers, upload

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def shoot(page, name: str) -> None:
    folder = os.environ.get("FIELDNOTES_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_choices_and_states_of_recordings_in_the_browser(live_server, audio_root, settings):
    settings.FIELDNOTES_MAX_DURATION_SECONDS = 5
    user = get_user_model().objects.create_user("ida", password="pw-ida-12345")
    team = team_create(name="Field team", owner=user)
    project = Project.objects.create(team=team, name="Visits", slug="visits")
    conversation = Conversation.objects.create(
        team=team, project=project, title="Warehouse walk", created_by=user
    )
    client = client_for(user)
    upload(client, conversation, JFK)  # 11 s: over the 5 s cap, kept
    # A browser recording whose tab died, finished by the worker's round.
    urls = client.post(reverse("research:recording_start", args=[conversation.uid])).json()
    piece = JFK.read_bytes()
    client.post(
        f"{urls['chunk_url']}?seq=0",
        piece,
        content_type="application/octet-stream",
        headers=piece_headers(piece),
    )
    settings.FIELDNOTES_MAX_DURATION_SECONDS = 60
    tasks.reap(now=timezone.now() + timedelta(minutes=11))
    idle = Recording.objects.get(uid=urls["uid"])
    assert idle.finished_automatically
    # Its job was taken over from a dead worker and is loading the model again.
    job = TranscriptionJob.objects.get(recording=idle)
    jobs.job_claim(job_id=job.pk)
    TranscriptionJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.reap()
    jobs.job_claim(job_id=job.pk)
    settings.FIELDNOTES_MAX_DURATION_SECONDS = 5

    from playwright.sync_api import expect

    with chromium() as browser:
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            sign_in(page, live_server.url, "ida", "pw-ida-12345")
            page.goto(live_server.url + conversation.get_absolute_url())
            over = page.locator("article.recording", has_text="jfk.flac")
            expect(over.locator("button", has_text="Split into parts")).to_be_visible()
            expect(over.locator("button", has_text="Transcribe the first part")).to_be_visible()
            auto = page.locator(f"#rec-{idle.uid}")
            expect(auto.locator(".badge", has_text="finished automatically")).to_be_visible()
            expect(auto.get_by_text("restarted (attempt 2)")).to_be_visible()
            expect(auto.get_by_text("Loading the model…")).to_be_visible()
            box = over.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width
            shoot(page, f"recordings-{width}")
            if width == 1280:
                over.locator("button", has_text="Split into parts").click()
                expect(page.get_by_text("Split into 3 recordings")).to_be_visible()
                for i in (1, 2, 3):
                    expect(page.get_by_text(f"jfk (part {i} of 3)")).to_be_visible()
                shoot(page, f"recordings-split-{width}")
            page.close()
    assert Recording.objects.filter(conversation=conversation).count() == 4
    assert TranscriptionJob.objects.get(recording=idle).stage == JobStage.LOADING
