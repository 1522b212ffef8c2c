"""A recording longer than the duration cap is kept, and its owner chooses: transcribe the
first part (up to the cap) or split it into parts under the cap. Never a dead end."""

import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from research import audio
from research.models import JobStatus, Recording, RecordingStatus, Segment, TranscriptionJob
from tests.builders import JFK, client_for, files_under, piece_headers, upload

pytestmark = pytest.mark.django_db

CAP = 5


@pytest.fixture
def cap(settings):
    settings.FIELDNOTES_MAX_DURATION_SECONDS = CAP
    return CAP


@pytest.fixture
def webm_chunks():
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(JFK), "-c:a", "libopus", "-f", "webm", "pipe:1"],
        capture_output=True,
        check=True,
    )
    return [done.stdout[i : i + 16_000] for i in range(0, len(done.stdout), 16_000)]


def recorded_over_cap(client, conversation, chunks):
    """An 11 s browser recording finished by its recorder (JSON, as recorder.js asks)."""
    url = reverse("research:recording_start", args=[conversation.uid])
    urls = client.post(url, {"mime": "audio/webm;codecs=opus"}).json()
    for seq, chunk in enumerate(chunks):
        client.post(
            f"{urls['chunk_url']}?seq={seq}",
            chunk,
            content_type="application/octet-stream",
            headers=piece_headers(chunk),
        )
    return client.post(urls["finish_url"], HTTP_ACCEPT="application/json")


def header_duration(path) -> float:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def choose(client, recording, choice, **extra):
    url = reverse("research:recording_over_cap", args=[recording.uid])
    return client.post(url, {"choice": choice} if choice is not None else {}, **extra)


def test_a_browser_recording_over_the_cap_is_kept_with_the_choice(
    owner_client, conversation, audio_root, cap, webm_chunks
):
    response = recorded_over_cap(owner_client, conversation, webm_chunks)
    assert response.status_code == 413
    body = response.json()
    assert body["error"].startswith("The recording is longer than the limit of 5 s. It is kept:")
    recording = Recording.objects.get()
    assert (body["uid"], body["status"]) == (str(recording.uid), "failed")
    assert recording.status == RecordingStatus.FAILED and recording.awaits_choice
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.1)
    assert (audio_root / recording.stored_name).stat().st_size == sum(map(len, webm_chunks))
    assert not TranscriptionJob.objects.exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert reverse("research:recording_over_cap", args=[recording.uid]) in page
    assert 'value="first_part"' in page and 'value="split"' in page


def test_the_finish_button_without_script_lands_on_the_choice(
    owner_client, conversation, audio_root, cap, webm_chunks
):
    url = reverse("research:recording_start", args=[conversation.uid])
    urls = owner_client.post(url, {"mime": "audio/webm;codecs=opus"}).json()
    for seq, chunk in enumerate(webm_chunks):
        owner_client.post(
            f"{urls['chunk_url']}?seq={seq}",
            chunk,
            content_type="application/octet-stream",
            headers=piece_headers(chunk),
        )
    response = owner_client.post(urls["finish_url"])
    assert response.status_code == 302
    assert response["Location"].endswith(f"#rec-{urls['uid']}")
    page = owner_client.get(response["Location"]).content.decode()
    assert "It is kept: transcribe its first 5 s, or split it into parts." in page


def test_transcribe_the_first_part(owner_client, conversation, audio_root, cap, webm_chunks):
    recorded_over_cap(owner_client, conversation, webm_chunks)
    recording = Recording.objects.get()
    response = choose(owner_client, recording, "first_part")
    assert response.status_code == 302
    recording.refresh_from_db()
    assert (recording.status, recording.error) == (RecordingStatus.STORED, "")
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.1)  # the whole audio stays
    assert TranscriptionJob.objects.get().status == JobStatus.QUEUED
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "only its first 0:05 are transcribed" in page
    # Chosen once: the choice is not offered again.
    assert choose(owner_client, recording, "split").status_code == 409


def test_split_into_recordings_under_the_cap(
    owner_client, conversation, audio_root, cap, webm_chunks, django_capture_on_commit_callbacks
):
    recorded_over_cap(owner_client, conversation, webm_chunks)
    original = Recording.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = choose(owner_client, original, "split", follow=True)
    assert response.status_code == 200
    assert "Split into 3 recordings" in response.content.decode()
    parts = list(Recording.objects.order_by("original_name"))
    assert original.pk not in [p.pk for p in parts]
    assert [p.original_name for p in parts] == [
        f"{original.original_name} (part {i} of 3)" for i in (1, 2, 3)
    ]
    durations = [p.duration_seconds for p in parts]
    assert all(3.4 < d <= CAP for d in durations)
    assert sum(durations) == pytest.approx(11.0, abs=0.15)
    for part in parts:
        assert (part.status, part.conversation, part.codec) == ("stored", conversation, "opus")
        path = audio_root / part.stored_name
        assert audio.decoded_duration(path, part.container) == pytest.approx(
            part.duration_seconds, abs=0.01
        )
        # The player gets a copy whose header knows its length (as for a browser recording).
        served = owner_client.get(reverse("research:recording_audio", args=[part.uid]))
        copy = audio_root / "served.webm"
        copy.write_bytes(b"".join(served.streaming_content))
        assert header_duration(copy) == pytest.approx(part.duration_seconds, abs=0.05)
        copy.unlink()
    assert TranscriptionJob.objects.filter(status=JobStatus.QUEUED).count() == 3
    # The original's audio is gone with it; only the parts remain (nothing left in incoming).
    expected = [p.stored_name for p in parts] + [
        p.stored_name.replace("original", "playback.webm") for p in parts
    ]
    assert files_under(audio_root) == sorted(expected)


def test_an_upload_over_the_cap_can_be_split(owner_client, conversation, audio_root, cap):
    upload(owner_client, conversation, JFK)
    recording = Recording.objects.get()
    assert choose(owner_client, recording, "split").status_code == 302
    parts = Recording.objects.order_by("original_name")
    assert [p.original_name for p in parts] == [f"jfk (part {i} of 3)" for i in (1, 2, 3)]
    assert {p.container for p in parts} == {"flac"}
    # Each FLAC part starts at 0:00 and its header says its own length (not the original's).
    for part in parts:
        assert header_duration(audio_root / part.stored_name) == pytest.approx(11 / 3, abs=0.01)


@pytest.mark.parametrize(
    ("choice", "message"),
    [(None, "Choose what to transcribe."), ("everything", "Choose to transcribe the first part")],
)
def test_a_bad_choice_is_refused_and_changes_nothing(
    owner_client, conversation, audio_root, cap, choice, message
):
    upload(owner_client, conversation, JFK)
    recording = Recording.objects.get()
    response = choose(owner_client, recording, choice)
    assert response.status_code == 400 and message in response.content.decode()
    recording.refresh_from_db()
    assert recording.status == RecordingStatus.FAILED and not TranscriptionJob.objects.exists()


def test_only_a_recording_kept_for_its_length_offers_the_choice(
    owner_client, conversation, audio_root
):
    upload(owner_client, conversation, JFK)  # within the default cap: stored and queued
    recording = Recording.objects.get()
    response = choose(owner_client, recording, "split", HTTP_ACCEPT="application/json")
    assert response.status_code == 409
    assert Recording.objects.count() == 1 and TranscriptionJob.objects.count() == 1


def test_split_when_the_cap_was_raised_is_refused(
    owner_client, conversation, audio_root, cap, settings
):
    upload(owner_client, conversation, JFK)
    settings.FIELDNOTES_MAX_DURATION_SECONDS = 60
    response = choose(owner_client, Recording.objects.get(), "split")
    assert response.status_code == 409
    assert "short enough to be transcribed whole" in response.content.decode()
    assert Recording.objects.count() == 1


def test_viewers_and_outsiders_cannot_choose(
    conversation, audio_root, cap, viewer, outsider, owner_client
):
    upload(owner_client, conversation, JFK)
    recording = Recording.objects.get()
    assert choose(client_for(viewer), recording, "split").status_code == 403
    assert choose(client_for(outsider), recording, "split").status_code == 404
    assert Recording.objects.get().status == RecordingStatus.FAILED


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_first_part_is_transcribed_up_to_the_cap(owner_client, conversation, audio_root, cap):
    """The real worker and model: only the first 5 s of jfk.flac are transcribed."""
    upload(owner_client, conversation, JFK)
    choose(owner_client, Recording.objects.get(), "first_part")
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
    assert TranscriptionJob.objects.get().status == JobStatus.DONE
    segments = list(Segment.objects.order_by("start"))
    text = " ".join(s.text for s in segments).lower()
    assert "fellow americans" in text and "country" not in text
    assert max(s.end for s in segments) <= CAP + 0.05
