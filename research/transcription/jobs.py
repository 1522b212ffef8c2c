"""A transcription job's lease: created, claimed, renewed, completed or failed, reaped.

django-tasks-db runs the work (``manage.py db_worker``) but leaves a task RUNNING forever when
its worker dies and never retries, so the app keeps its own record, ``TranscriptionJob``:

- ``job_create`` makes the job (``research.tasks`` sends its task once the job is committed);
- ``job_claim`` takes a lease (token + expiry) with a conditional UPDATE and counts the attempt;
- ``job_renew`` extends the lease and stores progress (the runner's heartbeat);
- ``job_complete`` writes the transcript, in one transaction and only while the lease is ours;
  a job has at most one transcript (a one-to-one field), so a re-run never duplicates it;
- ``job_fail`` fails the job for good or puts it back in the queue;
- ``jobs_reap`` re-queues running jobs whose lease expired (the worker died), failing them for
  good after ``max_attempts``; it names the dead workers' tasks, which the task backend would
  otherwise show as running forever.

This module never sends a task: what must be sent again is what these functions return.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from research.models import JobStage, JobStatus, Recording, Transcript, TranscriptionJob
from research.services.transcripts import transcript_create
from research.transcription.lines import TimedLine

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker owns the job now (ours was reaped); stop without writing."""


def lease_seconds() -> int:
    return settings.FIELDNOTES_JOB_LEASE_SECONDS


def job_create(
    *,
    recording: Recording,
    created_by=None,
    model_path: str = "",
    language: str = "",
    split_channels: bool = False,
    waiting: bool = False,
) -> TranscriptionJob:
    """A queued job, or one `waiting` for consent (nothing claims it until it is queued)."""
    return TranscriptionJob.objects.create(
        status=JobStatus.WAITING if waiting else JobStatus.QUEUED,
        team=recording.team,
        recording=recording,
        created_by=created_by,
        model_path=model_path,
        language=language,
        split_channels=split_channels and (recording.channels or 1) >= 2,
    )


def job_task_set(*, job_id: int, task_id: str) -> None:
    """Remember which task runs the job (to tell later whether it was lost)."""
    TranscriptionJob.objects.filter(pk=job_id).update(task_id=task_id[:64])


def job_claim(*, job_id: int) -> uuid.UUID | None:
    """Take the job if it is queued; returns the lease token, or None if not ours."""
    token = uuid.uuid4()
    now = timezone.now()
    taken = TranscriptionJob.objects.filter(
        pk=job_id, status=JobStatus.QUEUED, attempts__lt=F("max_attempts")
    ).update(
        status=JobStatus.RUNNING,
        attempts=F("attempts") + 1,
        lease_token=token,
        lease_expires_at=now + timedelta(seconds=lease_seconds()),
        started_at=now,
        progress=0.0,
        stage=JobStage.LOADING,
        updated_at=now,
    )
    return token if taken else None


def job_stage_set(*, job_id: int, token: uuid.UUID, stage: str) -> bool:
    """Record what the running job does now (shown while it runs); False if not ours."""
    return bool(
        TranscriptionJob.objects.filter(
            pk=job_id, lease_token=token, status=JobStatus.RUNNING
        ).update(stage=stage, updated_at=timezone.now())
    )


def job_renew(
    *, job_id: int, token: uuid.UUID, progress: float, stage: str = JobStage.TRANSCRIBING
) -> bool:
    """Extend the lease and store progress and stage; False once the job is not ours."""
    now = timezone.now()
    return bool(
        TranscriptionJob.objects.filter(
            pk=job_id, lease_token=token, status=JobStatus.RUNNING
        ).update(
            lease_expires_at=now + timedelta(seconds=lease_seconds()),
            progress=min(max(progress, 0.0), 1.0),
            stage=stage,
            updated_at=now,
        )
    )


def _locked_job(job_id: int, token: uuid.UUID) -> TranscriptionJob:
    job = TranscriptionJob.objects.select_for_update().get(pk=job_id)
    if job.status != JobStatus.RUNNING or job.lease_token != token:
        raise LeaseLost(f"job {job_id} is no longer ours")
    return job


@transaction.atomic
def job_complete(
    *,
    job_id: int,
    token: uuid.UUID,
    lines: list[tuple[TimedLine, str]],
    language: str,
    model_name: str,
    voices: dict | None = None,
) -> Transcript:
    """Write the new transcript version with all its lines (each with its speaker), or nothing."""
    job = _locked_job(job_id, token)
    transcript = transcript_create(
        job=job, lines=lines, language=language, model_name=model_name, voices=voices
    )
    job.status, job.progress, job.finished_at, job.error = JobStatus.DONE, 1.0, timezone.now(), ""
    job.lease_token = job.lease_expires_at = None
    job.save()
    return transcript


@transaction.atomic
def job_fail(*, job_id: int, token: uuid.UUID, reason: str, permanent: bool) -> bool:
    """Fail the job for good, or put it back in the queue while attempts remain.

    True when it went back to the queue: its task must be sent again."""
    try:
        job = _locked_job(job_id, token)
    except LeaseLost:
        return False
    job.error = reason
    job.lease_token = job.lease_expires_at = None
    requeued = not (permanent or job.attempts >= job.max_attempts)
    if requeued:
        job.status = JobStatus.QUEUED
    else:
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    job.save()
    return requeued


@dataclass
class Reaped:
    requeued: list[int] = field(default_factory=list)  # their tasks must be sent again
    failed: int = 0
    dead_tasks: list[str] = field(default_factory=list)  # the dead workers' task ids

    @property
    def count(self) -> int:
        return len(self.requeued) + self.failed


def jobs_reap() -> Reaped:
    """Re-queue (or give up on) running jobs whose worker stopped renewing the lease."""
    reaped = Reaped()
    expired = TranscriptionJob.objects.filter(
        status=JobStatus.RUNNING, lease_expires_at__lt=timezone.now()
    ).values_list("pk", flat=True)
    for job_id in list(expired):
        with transaction.atomic():
            job = TranscriptionJob.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING or job.lease_expires_at >= timezone.now():
                continue
            job.lease_token = job.lease_expires_at = None
            if job.task_id:
                reaped.dead_tasks.append(job.task_id)
            if job.attempts >= job.max_attempts:
                job.status, job.finished_at = JobStatus.FAILED, timezone.now()
                job.error = (
                    f"Transcription stopped unexpectedly {job.attempts} times; giving up. "
                    "The audio is kept: try again later or with another model."
                )
                reaped.failed += 1
            else:
                # The dead worker's progress is not this attempt's: start again from zero.
                job.status, job.progress, job.stage = JobStatus.QUEUED, 0.0, JobStage.QUEUED
                reaped.requeued.append(job_id)
            job.save()
            logger.warning("Reaped transcription job %s (attempt %s)", job.uid, job.attempts)
    return reaped


def jobs_idle() -> list[TranscriptionJob]:
    """Queued jobs untouched for a lease: their task may be lost (its enqueue failed after
    commit, or someone deleted it)."""
    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    return list(TranscriptionJob.objects.filter(status=JobStatus.QUEUED, updated_at__lt=cutoff))


def job_touch(*, job_id: int) -> None:
    """Mark a queued job as just sent, so it is not thought lost again for a lease."""
    TranscriptionJob.objects.filter(pk=job_id).update(updated_at=timezone.now())
