"""The only module that knows the task framework (django-tasks with django-tasks-db).

It sends a job's task once the job is committed, holds the task bodies, and re-sends what the
lease state machine (``research.transcription.jobs``) says must run again: jobs reaped from
dead workers, jobs that failed and have attempts left, and queued jobs whose task was lost.
A dead worker's task result is marked failed (django-tasks-db would keep it RUNNING forever).
The reaper's round also finishes browser recordings left idle (``services.receiving``).
The backend stores tasks by path, so the task functions keep their names here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from research.audio import AudioError
from research.models import JobStatus, Recording, Transcript, TranscriptionJob
from research.privacy import retention
from research.services import receiving
from research.services.transcripts import speakers_detect
from research.transcription import jobs, runner


def transcription_enqueue(
    *, recording: Recording, waiting: bool = False, **options
) -> TranscriptionJob:
    """Create a transcription job (``options`` as ``jobs.job_create`` takes them); its task is
    sent only once the transaction commits. A `waiting` job (for consent) is sent nothing: the
    consent that covers it queues it and sends it (``transcription_send``)."""
    job = jobs.job_create(recording=recording, waiting=waiting, **options)
    if not waiting:
        transcription_send(job=job)
    return job


def transcription_send(*, job: TranscriptionJob) -> None:
    """Send a created (or newly queued) job's task once the transaction commits (at once
    outside one). A job waiting for consent is sent when that consent queues it."""
    if job.status == JobStatus.WAITING:
        return
    transaction.on_commit(lambda: _send(job.pk))


def _send(job_id: int) -> None:
    result = transcribe_recording.enqueue(job_id)
    jobs.job_task_set(job_id=job_id, task_id=str(result.id))
    reaper_schedule()


@task()
def transcribe_recording(job_id: int) -> str:
    reap()
    outcome = runner.job_run(job_id=job_id)
    if outcome.resend:
        _send(job_id)
    return outcome.label


@task()
def reap_transcription_jobs() -> int:
    """Re-queue jobs of dead workers, then wait in the queue for the next round."""
    reaped = reap()
    reaper_schedule()
    return reaped


def reap(*, now: datetime | None = None) -> int:
    """Re-queue or fail the jobs of dead workers, re-send lost tasks and finish idle browser
    recordings; how many jobs were re-queued, failed, re-sent or started."""
    reaped = jobs.jobs_reap()
    _dead_tasks_failed(reaped.dead_tasks)
    for job_id in reaped.requeued:
        _send(job_id)
    started = receiving.recordings_finish_idle(now=now)
    for job in started:
        if job.status != JobStatus.WAITING:  # one waiting for consent is sent when it comes
            _send(job.pk)
    return reaped.count + _resend_lost() + len(started)


def _dead_tasks_failed(task_ids: list[str]) -> None:
    """The tasks of dead workers' jobs: FAILED, not RUNNING forever (their jobs run again
    under new tasks)."""
    if not task_ids:
        return
    DBTaskResult.objects.filter(id__in=task_ids, status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        exception_class_path="research.transcription.jobs.LeaseLost",
        traceback="The worker running this task stopped (its job's lease expired); the job "
        "was taken over by the reaper.",
    )


@task()
def retention_daily() -> int:
    """Apply every team's retention rules (and purge old redaction originals), then wait in
    the queue for the next day; how many teams were run."""
    runs = retention.retention_run_all()
    retention_schedule(after_run=True)
    return len(runs)


def retention_schedule(*, after_run: bool = False) -> None:
    """Make sure one daily retention task waits in the queue (for backends that can defer)."""
    if not retention_daily.get_backend().supports_defer:
        return
    path = retention_daily.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return
    hours = settings.FIELDNOTES_RETENTION_INTERVAL_HOURS
    later = timezone.now() + timedelta(hours=hours if after_run else min(hours, 1))
    retention_daily.using(run_after=later).enqueue()


def reaper_schedule() -> None:
    """Make sure one reaper task (and one daily retention task) waits in the queue (for
    backends that can defer)."""
    if not reap_transcription_jobs.get_backend().supports_defer:
        return
    retention_schedule()
    path = reap_transcription_jobs.module_path
    if DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY).exists():
        return
    later = timezone.now() + timedelta(seconds=settings.FIELDNOTES_REAPER_INTERVAL_SECONDS)
    reap_transcription_jobs.using(run_after=later).enqueue()


def _resend_lost() -> int:
    """Queued jobs whose task is gone (its enqueue failed after commit, or it was deleted)."""
    if not transcribe_recording.get_backend().supports_defer:
        return 0
    waiting = (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    resent = 0
    for job in jobs.jobs_idle():
        if job.task_id and DBTaskResult.objects.filter(id=job.task_id, status__in=waiting).exists():
            continue
        jobs.job_touch(job_id=job.pk)
        _send(job.pk)
        resent += 1
    return resent


def speakers_detect_enqueue(*, transcript: Transcript, num_speakers: int | None = None) -> None:
    """Find the transcript's speakers again in a worker, once the transaction commits."""
    uid, count = str(transcript.uid), num_speakers
    transaction.on_commit(lambda: speakers_detect_task.enqueue(uid, count))


@task()
def speakers_detect_task(transcript_uid: str, num_speakers: int | None) -> str:
    """Relabel a transcript's lines by speaker detection on its stored audio."""
    transcript = (
        Transcript.objects.select_related("recording__conversation", "job")
        .filter(uid=transcript_uid)
        .first()
    )
    if transcript is None:
        return "skipped: no such transcript"
    try:
        changed = speakers_detect(transcript, num_speakers)
    except AudioError as error:
        return f"failed: {error.message}"
    except ValidationError as error:
        return f"failed: {' '.join(error.messages)}"
    return f"done: {changed} lines relabelled"
