"""A real stereo call through the real worker and faster-whisper: each channel becomes a
speaker row with its own colour; renaming and mapping one then shows in the page and exports."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from research.models import Person, Transcript
from tests.builders import STEREO, agreed, upload

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_stereo_call_gets_coloured_speakers_that_are_renamed_and_mapped(
    owner_client, conversation, audio_root, team
):
    amara = Person.objects.create(team=team, name="Amara Okafor")
    conversation.participants.add(amara)
    agreed(team, conversation, amara)
    upload(owner_client, conversation, STEREO, split_channels="on")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
    transcript = Transcript.objects.get()
    speakers = {s.label: s for s in transcript.speakers.all()}
    assert set(speakers) == {"Speaker 1", "Speaker 2"}
    first = transcript.segments.order_by("index").first().speaker  # colours by first appearance
    assert speakers[first].colour == 0
    assert {s.colour for s in speakers.values()} == {0, 1}
    left_lines = transcript.segments.filter(speaker="Speaker 1").count()
    assert left_lines >= 1

    url = reverse("research:speaker_map", args=[speakers["Speaker 1"].uid])
    assert owner_client.post(url, {"person": str(amara.uid)}).status_code == 302
    url = reverse("research:speaker_rename", args=[speakers["Speaker 2"].uid])
    assert owner_client.post(url, {"name": "Caller"}).status_code == 302

    assert transcript.segments.filter(speaker="Amara Okafor", person=amara).count() == left_lines
    assert not transcript.segments.filter(speaker__startswith="Speaker").exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert page.count(f'class="line spk-{speakers["Speaker 1"].colour}"') == left_lines
    export = owner_client.get(reverse("research:transcript_export", args=[transcript.uid, "txt"]))
    body = export.content.decode()
    assert "Amara Okafor: " in body and "Caller: " in body and "Speaker 1" not in body
