"""Browser recordings whose tab died: the worker's reaper round finishes them after
FIELDNOTES_RECORDING_IDLE_MINUTES without a chunk, marks them and queues their transcription."""

import subprocess
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from research import tasks
from research.models import JobStatus, Recording, RecordingStatus, Transcript, TranscriptionJob
from research.services import receiving
from research.transcription.quality import word_error_rate
from tests.builders import JFK, piece_headers, ref

pytestmark = pytest.mark.django_db


@pytest.fixture
def webm_chunks():
    """jfk.flac as MediaRecorder writes it (webm/Opus, no duration in the header), in pieces."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(JFK), "-c:a", "libopus", "-f", "webm", "pipe:1"],
        capture_output=True,
        check=True,
    )
    return [done.stdout[i : i + 16_000] for i in range(0, len(done.stdout), 16_000)]


def record(client, conversation, chunks) -> dict:
    """Start a browser recording and send ``chunks``; the tab then dies (no finish)."""
    url = reverse("research:recording_start", args=[conversation.uid])
    urls = client.post(url, {"mime": "audio/webm;codecs=opus"}).json()
    for seq, chunk in enumerate(chunks):
        response = client.post(
            f"{urls['chunk_url']}?seq={seq}",
            chunk,
            content_type="application/octet-stream",
            headers=piece_headers(chunk),
        )
        assert response.status_code == 200
    return urls


def minutes_from_now(minutes: float):
    return timezone.now() + timedelta(minutes=minutes)


def test_an_idle_recording_is_finished_queued_and_marked(
    owner, owner_client, conversation, audio_root, webm_chunks, settings
):
    settings.FIELDNOTES_RECORDING_IDLE_MINUTES = 10
    urls = record(owner_client, conversation, webm_chunks)
    # Nine minutes on, the recorder may only be quiet: nothing happens.
    assert tasks.reap(now=minutes_from_now(9)) == 0
    assert Recording.objects.get().status == RecordingStatus.RECEIVING
    # Past ten minutes without a chunk, the reaper round finishes it.
    assert tasks.reap(now=minutes_from_now(10.5)) == 1
    recording = Recording.objects.get()
    assert (recording.status, recording.finished_automatically) == (RecordingStatus.STORED, True)
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.1)
    job = TranscriptionJob.objects.get()
    assert (job.recording, job.status, job.created_by) == (recording, JobStatus.QUEUED, owner)
    task = DBTaskResult.objects.get(task_path__endswith="transcribe_recording")
    assert (str(task.id), task.status) == (job.task_id, "READY")
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "finished automatically" in page
    # A second round does nothing more.
    assert tasks.reap(now=minutes_from_now(20)) == 0
    assert TranscriptionJob.objects.count() == 1
    # A device that was offline longer sends the rest: the recording takes it and is received
    # again; an earlier piece sent again is a repeat; any other late piece is refused.
    tail = webm_chunks[-1]
    seq = len(webm_chunks)
    bad = owner_client.post(
        f"{urls['chunk_url']}?seq={seq + 1}",
        tail,
        content_type="application/octet-stream",
        headers=piece_headers(tail),
    )
    assert bad.status_code == 409
    late = owner_client.post(
        f"{urls['chunk_url']}?seq={seq}",
        tail,
        content_type="application/octet-stream",
        headers=piece_headers(tail),
    )
    assert late.status_code == 200, late.content
    recording.refresh_from_db()
    assert (recording.status, recording.finished_automatically) == (
        RecordingStatus.RECEIVING,
        False,
    )
    assert tasks.reap(now=minutes_from_now(30)) == 1
    assert TranscriptionJob.objects.count() == 2


def test_a_recording_still_receiving_chunks_is_left_alone(
    owner_client, conversation, audio_root, webm_chunks, settings
):
    settings.FIELDNOTES_RECORDING_IDLE_MINUTES = 10
    record(owner_client, conversation, webm_chunks[:2])
    recording = Recording.objects.get()
    past = timezone.now() - timedelta(minutes=11)
    Recording.objects.filter(pk=recording.pk).update(updated_at=past)
    # The worker listed it as idle, but a chunk arrived before it took the lock.
    idle = receiving.recordings_idle()
    assert [r.pk for r in idle] == [recording.pk]
    Recording.objects.filter(pk=recording.pk).update(updated_at=timezone.now())
    finished, job = receiving.recording_store_received(
        recording=idle[0], created_by=None, idle_since=receiving.idle_cutoff()
    )
    assert (finished.status, job) == (RecordingStatus.RECEIVING, None)
    assert Recording.objects.get().status == RecordingStatus.RECEIVING


def test_an_idle_recording_without_audio_is_failed_with_the_reason(
    owner_client, conversation, audio_root, settings
):
    settings.FIELDNOTES_RECORDING_IDLE_MINUTES = 1
    record(owner_client, conversation, [])
    assert tasks.reap(now=minutes_from_now(2)) == 0
    recording = Recording.objects.get()
    assert (recording.status, recording.error) == (RecordingStatus.FAILED, "The file is empty.")
    assert recording.finished_automatically and not TranscriptionJob.objects.exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Not transcribed: The file is empty." in page and "finished automatically" in page


def test_starting_a_recording_puts_the_reaper_round_in_the_queue(
    owner_client, conversation, audio_root, django_capture_on_commit_callbacks
):
    reapers = DBTaskResult.objects.filter(task_path__endswith="reap_transcription_jobs")
    assert not reapers.exists()
    with django_capture_on_commit_callbacks(execute=True):
        record(owner_client, conversation, [])
    assert reapers.get().status == "READY"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_finishes_and_transcribes_an_abandoned_recording(
    owner_client, conversation, audio_root, webm_chunks
):
    """The real db_worker: the reaper task's round finds the idle recording, stores it and
    sends its job, which the same worker then transcribes."""
    record(owner_client, conversation, webm_chunks)
    past = timezone.now() - timedelta(minutes=11)
    Recording.objects.update(updated_at=past)
    DBTaskResult.objects.filter(task_path__endswith="reap_transcription_jobs").update(
        run_after=timezone.now() - timedelta(seconds=1)
    )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
    recording = Recording.objects.get()
    assert (recording.status, recording.finished_automatically) == (RecordingStatus.STORED, True)
    assert TranscriptionJob.objects.get().status == JobStatus.DONE
    text = " ".join(s.text for s in Transcript.objects.get().segments.order_by("index"))
    assert word_error_rate(ref("jfk.txt"), text) <= 0.10
