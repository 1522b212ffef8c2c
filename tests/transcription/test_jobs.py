"""Transcription jobs through django-tasks-db and the real model on real speech."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from research import tasks
from research.models import JobStatus, Recording, Segment, Transcript, TranscriptionJob
from research.services import transcripts as services
from research.transcription import jobs, runner
from research.transcription.quality import word_error_rate
from tests.builders import JFK, STEREO, ref, upload

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def visible_text(response) -> str:
    return re.sub(r"<[^>]+>", "", response.content.decode())


def run_worker() -> None:
    """The real django-tasks-db worker, in batch mode: runs what is ready, then returns."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)


def text_of(transcript: Transcript, speaker: str | None = None) -> str:
    segments = transcript.segments.order_by("index")
    if speaker is not None:
        segments = segments.filter(speaker=speaker)
    return " ".join(s.text for s in segments)


def test_upload_to_transcript_through_the_worker(owner_client, conversation, audio_root):
    assert upload(owner_client, conversation, JFK).status_code == 302
    job = TranscriptionJob.objects.get()
    assert DBTaskResult.objects.filter(task_path__endswith="transcribe_recording").count() == 1
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts, job.progress, job.error) == (JobStatus.DONE, 1, 1.0, "")
    transcript = Transcript.objects.get()
    assert (transcript.version, transcript.job, transcript.language) == (1, job, "en")
    assert word_error_rate(ref("jfk.txt"), text_of(transcript)) <= 0.10
    first = transcript.segments.order_by("index").first()
    assert first.conversation == conversation and first.team == conversation.team
    assert first.words[0][2].strip() == "And" and first.words[0][0] < first.words[-1][1]
    task = DBTaskResult.objects.get(task_path__endswith="transcribe_recording")
    assert (task.status, task.return_value) == ("SUCCESSFUL", "done")
    # The normalised audio is kept beside the original, so a re-run does not decode again.
    recording = Recording.objects.get()
    assert (audio_root / recording.stored_name).with_name("normalised.wav").exists()
    page = visible_text(owner_client.get(conversation.get_absolute_url()))
    assert "ask not what your country can do for you" in page
    assert (
        '<span class="w" data-start="0.00"'
        in owner_client.get(conversation.get_absolute_url()).content.decode()
    )
    # A second run of the same job (a duplicate task) changes nothing.
    assert runner.job_run(job_id=job.pk).label == "skipped: not queued"
    assert Transcript.objects.count() == 1


def test_retranscribe_adds_a_version_and_keeps_edits(owner, owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    run_worker()
    v1 = Transcript.objects.get()
    line = v1.segments.get(index=0)
    services.segment_edit(segment=line, text="And so, my fellow Americans: ask not!", user=owner)
    recording = Recording.objects.get()
    response = owner_client.post(f"/recordings/{recording.uid}/transcribe/")
    assert response.status_code == 302
    run_worker()
    assert list(Transcript.objects.order_by("version").values_list("version", flat=True)) == [1, 2]
    line.refresh_from_db()
    assert line.text == "And so, my fellow Americans: ask not!"
    assert line.edited_by == owner and line.original_text.startswith("And so my fellow")
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Transcript v2" in page
    older = owner_client.get(conversation.get_absolute_url() + f"?t={v1.uid}").content.decode()
    assert "Transcript v1" in older and "Americans: ask not!" in older


def test_stereo_channels_become_two_speakers(owner_client, conversation, audio_root):
    upload(owner_client, conversation, STEREO, split_channels="on")
    assert TranscriptionJob.objects.get().split_channels
    run_worker()
    transcript = Transcript.objects.get()
    left, right = text_of(transcript, "Speaker 1"), text_of(transcript, "Speaker 2")
    assert word_error_rate(ref("stereo_diarization.left.txt"), left) <= 0.10
    assert word_error_rate(ref("stereo_diarization.right.txt"), right) <= 0.10


def test_damaged_audio_fails_once_with_a_reason(owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    recording = Recording.objects.get()
    (audio_root / recording.stored_name).write_bytes(b"fLaC" + b"\0" * 64)
    run_worker()
    job = TranscriptionJob.objects.get()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 1)
    assert "could not be read" in job.error
    assert Transcript.objects.count() == 0
    assert (audio_root / recording.stored_name).exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Transcription failed" in page


def test_missing_model_is_reported(owner_client, conversation, audio_root, settings, tmp_path):
    settings.FIELDNOTES_WHISPER_MODEL = str(tmp_path / "no-model")
    upload(owner_client, conversation, JFK)
    run_worker()
    job = TranscriptionJob.objects.get()
    assert job.status == JobStatus.FAILED and "FIELDNOTES_WHISPER_MODEL" in job.error


def test_reaper_requeues_then_gives_up(owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    job = TranscriptionJob.objects.get()
    token = jobs.job_claim(job_id=job.pk)
    past = timezone.now() - timedelta(seconds=1)
    TranscriptionJob.objects.filter(pk=job.pk).update(lease_expires_at=past)
    assert tasks.reap() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts, job.lease_token) == (JobStatus.QUEUED, 1, None)
    # The dead worker's late result is refused: its lease is gone.
    with pytest.raises(jobs.LeaseLost):
        jobs.job_complete(job_id=job.pk, token=token, lines=[], language="en", model_name="x")
    assert DBTaskResult.objects.filter(task_path__endswith="transcribe_recording").count() == 2
    for _ in range(2):
        jobs.job_claim(job_id=job.pk)
        TranscriptionJob.objects.filter(pk=job.pk).update(lease_expires_at=past)
        tasks.reap()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    assert "stopped unexpectedly 3 times" in job.error
    assert Transcript.objects.count() == 0 and Segment.objects.count() == 0


def test_reaper_task_keeps_itself_scheduled(owner_client, conversation, audio_root, settings):
    upload(owner_client, conversation, JFK)
    reapers = DBTaskResult.objects.filter(task_path__endswith="reap_transcription_jobs")
    first = reapers.get(status="READY")
    interval = timedelta(seconds=settings.FIELDNOTES_REAPER_INTERVAL_SECONDS)
    assert first.run_after - timezone.now() == pytest.approx(interval, abs=timedelta(seconds=5))
    tasks.reaper_schedule()  # one waits already: no second one
    assert list(reapers.filter(status="READY")) == [first]
    # Its time has come: the worker runs it, and it puts the next round in the queue.
    reapers.filter(pk=first.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    TranscriptionJob.objects.update(status=JobStatus.DONE)  # only the reaper is left to run
    run_worker()
    first.refresh_from_db()
    assert first.status == "SUCCESSFUL"
    following = reapers.get(status="READY")
    assert following.pk != first.pk and following.run_after > timezone.now()


def test_reaper_resends_a_queued_job_whose_task_is_lost(owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    job = TranscriptionJob.objects.get()
    DBTaskResult.objects.filter(task_path__endswith="transcribe_recording").delete()
    old = timezone.now() - timedelta(minutes=5)
    TranscriptionJob.objects.filter(pk=job.pk).update(updated_at=old)
    assert tasks.reap() == 1
    job.refresh_from_db()
    task = DBTaskResult.objects.get(task_path__endswith="transcribe_recording")
    assert (str(task.id), task.status) == (job.task_id, "READY")
    assert tasks.reap() == 0
