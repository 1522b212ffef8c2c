"""Speakers in the transcription job and in re-detection, with the real model on real voices."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from research import tasks
from research.models import JobStage, Person, Segment, Transcript, TranscriptionJob
from research.services.transcripts import segment_edit, speakers_detect
from research.transcription.quality import word_error_rate
from tests.builders import JFK, STEREO, ref, two_voices, upload

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def said_by(transcript: Transcript, speaker: str) -> str:
    return " ".join(transcript.segments.filter(speaker=speaker).values_list("text", flat=True))


@pytest.fixture
def transcript(owner_client, conversation, audio_root, tmp_path):
    """Two real people one after the other, uploaded and transcribed by the worker."""
    upload(owner_client, conversation, two_voices(tmp_path / "two people.wav"))
    run_worker()
    return Transcript.objects.get()


def test_a_mono_recording_gets_its_speakers_and_voices(transcript):
    job = TranscriptionJob.objects.get()
    assert job.stage == JobStage.SPEAKERS
    labels = set(transcript.segments.values_list("speaker", flat=True))
    assert labels == {"Speaker 1", "Speaker 2"}
    assert word_error_rate(ref("jfk.txt"), said_by(transcript, "Speaker 1")) <= 0.15
    left = said_by(transcript, "Speaker 2")
    assert word_error_rate(ref("stereo_diarization.left.txt"), left) <= 0.25
    assert set(transcript.voices) == labels
    for voice in transcript.voices.values():
        assert len(voice["embedding"]) == 256 and voice["seconds"] > 3.0
    assert transcript.voices["Speaker 1"]["seconds"] > transcript.voices["Speaker 2"]["seconds"]


def test_detecting_again_keeps_line_edits(transcript, owner, conversation):
    first = transcript.segments.order_by("index").first()
    labels_before = list(transcript.segments.order_by("index").values_list("speaker", flat=True))
    segment_edit(segment=first, text="And so, my fellow Americans (edited)", user=owner)
    person = Person.objects.create(team=transcript.team, name="Ana")
    conversation.participants.add(person)
    second = transcript.segments.filter(speaker="Speaker 2").update(person=person)
    before = list(transcript.segments.order_by("index").values_list("index", "start", "text"))

    assert speakers_detect(transcript, 1) == second >= 1
    # The old label's person mapping went with the label.
    assert not Segment.objects.filter(transcript=transcript, person__isnull=False).exists()
    after = transcript.segments.order_by("index")
    assert set(after.values_list("speaker", flat=True)) == {"Speaker 1"}
    assert list(after.values_list("index", "start", "text")) == before
    first.refresh_from_db()
    assert first.text.endswith("(edited)") and first.original_text.startswith("And so")
    transcript.refresh_from_db()
    assert list(transcript.voices) == ["Speaker 1"]

    # Through the task, with the count found again: Ana alone bounds it to one speaker;
    # with the interviewer too, the two voices come back. Edits stay.
    tasks.speakers_detect_task.enqueue(str(transcript.uid), None)
    run_worker()
    transcript.refresh_from_db()
    assert list(transcript.voices) == ["Speaker 1"]
    conversation.interviewers.add(owner)
    tasks.speakers_detect_task.enqueue(str(transcript.uid), None)
    run_worker()
    transcript.refresh_from_db()
    assert set(transcript.voices) == {"Speaker 1", "Speaker 2"}
    assert list(after.values_list("index", "start", "text")) == before
    assert list(after.values_list("speaker", flat=True)) == labels_before


def test_bad_requests_change_nothing(transcript, audio_root):
    before = list(transcript.segments.values_list("speaker", flat=True))
    for bad in (0, 21, -1):
        with pytest.raises(ValidationError, match="between 1 and 20"):
            speakers_detect(transcript, bad)
    assert list(transcript.segments.values_list("speaker", flat=True)) == before
    assert tasks.speakers_detect_task.call("8a1e1b7c-0000-4000-8000-000000000000", 2) == (
        "skipped: no such transcript"
    )
    assert tasks.speakers_detect_task.call(str(transcript.uid), 0).startswith("failed: Say")
    # The stored audio gone: the task says why, and the lines keep their speakers.
    recording = transcript.recording
    for name in ("normalised.wav", recording.stored_name.rsplit("/", 1)[-1]):
        (audio_root / recording.stored_name).with_name(name).unlink(missing_ok=True)
    assert tasks.speakers_detect_task.call(str(transcript.uid), 2).startswith("failed:")
    assert list(transcript.segments.values_list("speaker", flat=True)) == before


def test_stereo_calls_keep_their_channels_and_detection_can_be_off(
    owner_client, conversation, audio_root, settings
):
    upload(owner_client, conversation, STEREO, split_channels="on")
    run_worker()
    stereo = Transcript.objects.get()
    assert set(stereo.segments.values_list("speaker", flat=True)) == {"Speaker 1", "Speaker 2"}
    assert stereo.voices == {}
    with pytest.raises(ValidationError, match="per channel"):
        speakers_detect(stereo, 2)

    settings.FIELDNOTES_SPEAKERS = False
    upload(owner_client, conversation, JFK)
    run_worker()
    plain = Transcript.objects.exclude(pk=stereo.pk).get()
    assert set(plain.segments.values_list("speaker", flat=True)) == {""}
    assert plain.voices == {}
