"""A job taken over from a dead worker: its old task is marked failed in the task backend,
its progress starts again, and the page says it restarted; the stage shows before a
percentage exists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from research import tasks
from research.models import JobStage, JobStatus, Recording, TranscriptionJob
from research.transcription import jobs, runner
from tests.builders import JFK, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(owner_client, conversation, audio_root, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(owner_client, conversation, JFK)
    return TranscriptionJob.objects.get()


def transcribe_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="transcribe_recording")


def status_fragment(client, job) -> str:
    url = reverse("research:recording_status", args=[job.recording.uid])
    return client.get(url).content.decode()


def test_a_claim_starts_in_the_loading_stage_and_the_heartbeat_moves_it(job):
    token = jobs.job_claim(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.stage, job.progress) == (JobStatus.RUNNING, JobStage.LOADING, 0.0)
    heartbeat = runner.Heartbeat(job.pk, token)
    assert heartbeat.stage == JobStage.LOADING
    heartbeat.report(0.25)  # the transcriber's first progress: the model is loaded
    assert heartbeat.stage == JobStage.TRANSCRIBING
    assert jobs.job_renew(job_id=job.pk, token=token, progress=0.25, stage=heartbeat.stage)
    job.refresh_from_db()
    assert (job.stage, job.percent) == (JobStage.TRANSCRIBING, 25)


def test_the_progress_fragment_shows_the_stage_before_a_percentage(owner_client, job):
    jobs.job_claim(job_id=job.pk)
    fragment = status_fragment(owner_client, job)
    assert "Loading the model…" in fragment and "<progress" not in fragment
    assert "restarted" not in fragment
    TranscriptionJob.objects.filter(pk=job.pk).update(progress=0.4, stage=JobStage.TRANSCRIBING)
    fragment = status_fragment(owner_client, job)
    assert "Transcribing… 40%" in fragment and "Loading" not in fragment


def test_a_taken_over_job_fails_the_dead_task_and_says_it_restarted(owner_client, job):
    dead = transcribe_tasks().get()
    dead.claim("worker-that-dies")  # what db_worker does before running the task
    jobs.job_claim(job_id=job.pk)
    TranscriptionJob.objects.filter(pk=job.pk).update(
        progress=0.62,
        stage=JobStage.TRANSCRIBING,
        lease_expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert tasks.reap() == 1
    dead.refresh_from_db()
    assert dead.status == "FAILED" and dead.finished_at is not None
    assert dead.exception_class_path == "research.transcription.jobs.LeaseLost"
    assert "taken over" in dead.traceback
    job.refresh_from_db()
    # Not frozen at the dead worker's 62 %: queued again from zero under a new task.
    assert (job.status, job.progress, job.stage) == (JobStatus.QUEUED, 0.0, JobStage.QUEUED)
    fresh = transcribe_tasks().get(status="READY")
    assert str(fresh.id) == job.task_id and fresh.pk != dead.pk
    assert "Queued for transcription (retry 1 of 3)" in status_fragment(owner_client, job)
    # The next worker takes it: attempt 2, said on the page.
    jobs.job_claim(job_id=job.pk)
    fragment = status_fragment(owner_client, job)
    assert "restarted (attempt 2)" in fragment and "Loading the model…" in fragment


def test_a_finished_task_is_never_rewritten_by_the_reaper(job):
    """Only a task still RUNNING is the dead worker's; one already ended keeps its result."""
    done = transcribe_tasks().get()
    DBTaskResult.objects.filter(pk=done.pk).update(status="SUCCESSFUL", return_value="done")
    jobs.job_claim(job_id=job.pk)
    TranscriptionJob.objects.filter(pk=job.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    tasks.reap()
    done.refresh_from_db()
    assert (done.status, done.return_value) == ("SUCCESSFUL", "done")
    assert Recording.objects.count() == 1
