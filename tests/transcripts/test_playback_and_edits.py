"""Audio view with Range, transcript exports, in-place edits, speakers, progress fragment."""

import pytest
from django.urls import reverse

from research.models import Person, Recording, Segment, Transcript
from tests.builders import JFK, client_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def recording(owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    return Recording.objects.get()


@pytest.fixture
def transcript(recording):
    transcript = Transcript.objects.create(
        team=recording.team, recording=recording, version=1, model_name="tiny.en"
    )
    lines = [
        (0.0, 3.2, "And so my fellow Americans", "Speaker 1"),
        (3.2, 7.9, "ask not what your country can do for you <b>&", "Speaker 2"),
        (3661.5, 3662.25, "ask what you can do --> for your country", "Speaker 1"),
    ]
    for i, (start, end, text, speaker) in enumerate(lines):
        Segment.objects.create(
            team=recording.team,
            transcript=transcript,
            conversation=recording.conversation,
            index=i,
            start=start,
            end=end,
            text=text,
            speaker=speaker,
        )
    return transcript


def audio_url(recording):
    return reverse("research:recording_audio", args=[recording.uid])


def test_audio_whole_file(owner_client, recording):
    response = owner_client.get(audio_url(recording))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/flac"
    assert response["Accept-Ranges"] == "bytes"
    assert b"".join(response.streaming_content) == JFK.read_bytes()


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-99", 0, 99), ("bytes=1000-", 1000, None), ("bytes=-500", -500, None)],
)
def test_audio_range_gives_206_and_the_right_bytes(owner_client, recording, header, start, end):
    data = JFK.read_bytes()
    response = owner_client.get(audio_url(recording), HTTP_RANGE=header)
    assert response.status_code == 206
    expected = data[start : (end + 1 if end is not None else None)]
    body = b"".join(response.streaming_content)
    assert body == expected
    first = start if start >= 0 else len(data) + start
    assert response["Content-Range"] == f"bytes {first}-{first + len(body) - 1}/{len(data)}"
    assert response["Content-Length"] == str(len(body))


def test_audio_range_past_the_end_is_416(owner_client, recording):
    response = owner_client.get(audio_url(recording), HTTP_RANGE="bytes=99999999-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{JFK.stat().st_size}"


def test_audio_is_404_for_outsiders_and_viewers_may_listen(recording, outsider, viewer):
    assert client_for(outsider).get(audio_url(recording), HTTP_RANGE="bytes=0-9").status_code == 404
    assert client_for(viewer).get(audio_url(recording)).status_code == 200


def export(client, transcript, fmt):
    return client.get(reverse("research:transcript_export", args=[transcript.uid, fmt]))


def test_export_txt(owner_client, transcript):
    response = export(owner_client, transcript, "txt")
    assert (
        response["Content-Disposition"] == 'attachment; filename="visit-at-the-bakery-jfk-v1.txt"'
    )
    assert response.content.decode().splitlines() == [
        "[0:00] Speaker 1: And so my fellow Americans",
        "[0:03] Speaker 2: ask not what your country can do for you <b>&",
        "[1:01:01] Speaker 1: ask what you can do --> for your country",
    ]


def test_export_srt(owner_client, transcript):
    body = export(owner_client, transcript, "srt").content.decode()
    assert body.startswith(
        "1\n00:00:00,000 --> 00:00:03,200\nSpeaker 1: And so my fellow Americans\n\n2\n"
    )
    assert "3\n01:01:01,500 --> 01:01:02,250\n" in body


def test_export_vtt_escapes_cue_text(owner_client, transcript):
    response = export(owner_client, transcript, "vtt")
    assert response["Content-Type"].startswith("text/vtt")
    body = response.content.decode()
    assert body.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:03.200\n")
    assert "can do for you &lt;b>&amp;" in body
    assert "ask what you can do -> for your country" in body


def test_export_unknown_format_and_outsider(owner_client, transcript, outsider):
    assert export(owner_client, transcript, "docx").status_code == 404
    assert export(client_for(outsider), transcript, "txt").status_code == 404


def test_edit_line_in_place_is_attributed(owner, owner_client, transcript, viewer):
    url = reverse("research:segment_edit", args=[transcript.segments.get(index=0).uid])
    response = owner_client.post(
        url, {"text": "And so, my fellow Americans"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {"text": "And so, my fellow Americans", "edited_by": "olivia"}
    line = transcript.segments.get(index=0)
    assert (line.edited_by, line.original_text) == (owner, "And so my fellow Americans")
    assert owner_client.post(url, {"text": "  "}, HTTP_ACCEPT="application/json").status_code == 400
    assert client_for(viewer).post(url, {"text": "x"}).status_code == 403
    line.refresh_from_db()
    assert line.text == "And so, my fellow Americans"


def test_rename_and_map_speakers(owner_client, transcript, conversation, team):
    ana = Person.objects.create(team=team, name="Ana Baker")
    conversation.participants.add(ana)
    url = reverse("research:transcript_speakers", args=[transcript.uid])
    response = owner_client.post(
        url,
        {
            "speaker": ["Speaker 1", "Speaker 2"],
            "name": ["", "Interviewer"],
            "person": [str(ana.uid), ""],
        },
    )
    assert response.status_code == 302
    speakers = list(transcript.segments.order_by("index").values_list("speaker", "person__name"))
    assert speakers == [
        ("Ana Baker", "Ana Baker"),
        ("Interviewer", None),
        ("Ana Baker", "Ana Baker"),
    ]


def test_speakers_only_map_to_participants(owner_client, transcript, team):
    stranger = Person.objects.create(team=team, name="Not in this conversation")
    url = reverse("research:transcript_speakers", args=[transcript.uid])
    owner_client.post(url, {"speaker": ["Speaker 1"], "name": [""], "person": [str(stranger.uid)]})
    assert not transcript.segments.filter(person=stranger).exists()


def test_progress_fragment(owner_client, recording):
    job = recording.jobs.get()
    url = reverse("research:recording_status", args=[recording.uid])
    assert 'data-active="1"' in owner_client.get(url).content.decode()
    job.status, job.progress = "running", 0.42
    job.save()
    body = owner_client.get(url).content.decode()
    assert "Transcribing… 42%" in body and 'value="42"' in body


def test_conversation_page_shows_player_and_transcript(owner_client, transcript, conversation):
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f'src="/recordings/{transcript.recording.uid}/audio/"' in body
    assert 'data-start="3.20"' in body and "ask not what your country" in body
    assert "&lt;b&gt;&amp;" in body
