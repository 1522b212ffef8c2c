"""The privacy pages in headless Chromium at phone and desktop width: a conversation with a
missing consent, the erasure preview, the retention preview and the redaction review. Each fits
its width (no sideways scrolling) and shows what matters; screenshots are saved when
FIELDNOTES_SHOTS names a directory."""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from research.models import (
    Consent,
    Conversation,
    Person,
    Project,
    RetentionAction,
    RetentionRun,
    TranscriptionJob,
)
from research.privacy import retention
from research.services.teams import team_create
from research.transcription import jobs
from tests.browser_support import chromium, sign_in

from .support import stored_recording, transcript_of

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_privacy_pages_fit_phone_and_desktop(live_server, audio_root, tmp_path):
    from playwright.sync_api import expect

    user = get_user_model().objects.create_user("olga", password="pw-olga-12345")
    team = team_create(name="Privacy team", owner=user)
    project = Project.objects.create(team=team, name="Depot visits", slug="depots")
    ana = Person.objects.create(team=team, name="Ana Lopez", notes="Prefers mornings.")
    ben = Person.objects.create(team=team, name="Benedikt Unbekannt-Schwarzenberger")
    conversation = Conversation.objects.create(
        team=team,
        project=project,
        title="Depot walk-through with the night shift",
        created_by=user,
        notes="Follow up with ana.lopez@globex.com about the scanner.",
        occurred_at="2025-01-10T09:00Z",
    )
    conversation.participants.add(ana, ben)
    Consent.objects.create(
        team=team, conversation=conversation, person=ana, given=True, may_record=True,
        may_transcribe=True, may_quote=True,
    )  # fmt: skip
    recording = stored_recording(conversation, tmp_path)
    transcript_of(
        recording,
        [
            (0.3, 3.2, "Call me on +44 20 7946 0958 after the shift", ana),
            (3.3, 7.6, "The card 4111 1111 1111 1111 is the depot's", None),
        ],
    )
    jobs.job_create(recording=recording, waiting=True)
    retention.policy_set(team=team, action=RetentionAction.AUDIO, days=90)
    RetentionRun.objects.create(
        team=team, ran_at=timezone.now(), audio_deleted=3, conversations_deleted=1
    )
    pages = {
        "conversation-missing-consent": (
            conversation.get_absolute_url(),
            "Waiting for consent to transcription from Benedikt",
        ),
        "erasure-preview": (
            reverse("research:person_erase", args=[ana.uid]),
            "shared recording",
        ),
        "retention-preview": (reverse("research:retention"), "Audio of 1 recording"),
        "redaction-review": (
            reverse("research:redaction_review", args=[conversation.uid]),
            "Payment card",
        ),
    }
    shots = os.environ.get("FIELDNOTES_SHOTS")
    with chromium() as browser:
        for width in (375, 1280):
            page = browser.new_page(viewport={"width": width, "height": 900})
            sign_in(page, live_server.url, "olga", "pw-olga-12345")
            for name, (path, text) in pages.items():
                page.goto(live_server.url + path)
                expect(page.get_by_text(text).first).to_be_visible()
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (name, width, overflow)
                if shots:
                    Path(shots).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{shots}/{name}-{width}.png", full_page=True)
            page.close()
    assert TranscriptionJob.objects.get().status == "waiting"
