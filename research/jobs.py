"""Transcription jobs: enqueue, claim with a lease, heartbeat, complete or retry, reap.

django-tasks-db runs the work (``manage.py db_worker``) but leaves a task
RUNNING forever when its worker dies and never retries, so the app keeps its
own record, ``TranscriptionJob``:

- ``job_enqueue`` creates the job and sends the task only on commit;
- ``job_claim`` takes a lease (token + expiry) and counts the attempt;
- a heartbeat thread renews the lease and writes progress while the model runs;
- ``job_complete`` writes the transcript and all its segments in one
  transaction, only if the lease is still ours, and a job has at most one
  transcript (a one-to-one field), so a re-run never duplicates it;
- ``jobs_reap`` re-queues running jobs whose lease expired (the worker died),
  failing them for good after ``max_attempts``. A self-rescheduling reaper task
  runs it every ``FIELDNOTES_REAPER_INTERVAL_SECONDS`` inside the workers.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import F, Max
from django.utils import timezone

from research import audio, audio_store, transcription
from research.models import JobStatus, Recording, Segment, Transcript, TranscriptionJob

logger = logging.getLogger(__name__)


class LeaseLost(Exception):
    """Another worker owns the job now (ours was reaped); stop without writing."""


def lease_seconds() -> int:
    return int(getattr(settings, "FIELDNOTES_JOB_LEASE_SECONDS", 60))


def job_enqueue(
    *,
    recording: Recording,
    created_by=None,
    model_path: str = "",
    language: str = "",
    split_channels: bool = False,
) -> TranscriptionJob:
    job = TranscriptionJob.objects.create(
        team=recording.team,
        recording=recording,
        created_by=created_by,
        model_path=model_path,
        language=language,
        split_channels=split_channels and (recording.channels or 1) >= 2,
    )
    transaction.on_commit(lambda: _send(job.pk))
    return job


def _send(job_id: int) -> None:
    from research import tasks

    result = tasks.transcribe_recording.enqueue(job_id)
    TranscriptionJob.objects.filter(pk=job_id).update(task_id=str(result.id)[:64])
    reaper_schedule()


def reaper_schedule() -> None:
    """Make sure one reaper task waits in the queue (for backends that can defer)."""
    from research import tasks

    backend = tasks.reap_transcription_jobs.get_backend()
    if not backend.supports_defer:
        return
    from django_tasks_db.models import DBTaskResult

    path = tasks.reap_transcription_jobs.module_path
    if DBTaskResult.objects.filter(task_path=path, status="READY").exists():
        return
    interval = int(getattr(settings, "FIELDNOTES_REAPER_INTERVAL_SECONDS", 30))
    later = timezone.now() + timedelta(seconds=interval)
    tasks.reap_transcription_jobs.using(run_after=later).enqueue()


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
        updated_at=now,
    )
    return token if taken else None


def job_renew(*, job_id: int, token: uuid.UUID, progress: float) -> bool:
    now = timezone.now()
    return bool(
        TranscriptionJob.objects.filter(
            pk=job_id, lease_token=token, status=JobStatus.RUNNING
        ).update(
            lease_expires_at=now + timedelta(seconds=lease_seconds()),
            progress=min(max(progress, 0.0), 1.0),
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
    *, job_id: int, token: uuid.UUID, segments: list[tuple], language: str, model_name: str
) -> Transcript:
    """Write the new transcript version with all its segments, or nothing."""
    job = _locked_job(job_id, token)
    recording = job.recording
    latest = recording.transcripts.aggregate(v=Max("version"))["v"] or 0
    transcript = Transcript.objects.create(
        team_id=job.team_id,
        recording=recording,
        job=job,
        version=latest + 1,
        model_name=model_name[:200],
        language=(language or "")[:12],
    )
    Segment.objects.bulk_create(
        [
            Segment(
                team_id=job.team_id,
                transcript=transcript,
                conversation_id=recording.conversation_id,
                index=i,
                start=seg.start,
                end=seg.end,
                text=seg.text,
                speaker=speaker,
                words=[[w.start, w.end, w.word] for w in seg.words],
            )
            for i, (seg, speaker) in enumerate(segments)
        ],
        batch_size=500,
    )
    now = timezone.now()
    job.status, job.progress, job.finished_at, job.error = JobStatus.DONE, 1.0, now, ""
    job.lease_token = job.lease_expires_at = None
    job.save()
    return transcript


@transaction.atomic
def job_fail(*, job_id: int, token: uuid.UUID, reason: str, permanent: bool) -> None:
    """Fail the job for good, or put it back in the queue while attempts remain."""
    try:
        job = _locked_job(job_id, token)
    except LeaseLost:
        return
    job.error = reason
    job.lease_token = job.lease_expires_at = None
    if permanent or job.attempts >= job.max_attempts:
        job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    else:
        job.status = JobStatus.QUEUED
        transaction.on_commit(lambda: _send(job_id))
    job.save()


def jobs_reap() -> int:
    """Re-queue (or give up on) running jobs whose worker stopped renewing the lease."""
    reaped = 0
    expired = TranscriptionJob.objects.filter(
        status=JobStatus.RUNNING, lease_expires_at__lt=timezone.now()
    ).values_list("pk", flat=True)
    for job_id in list(expired):
        with transaction.atomic():
            job = TranscriptionJob.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING or job.lease_expires_at >= timezone.now():
                continue
            job.lease_token = job.lease_expires_at = None
            if job.attempts >= job.max_attempts:
                job.status, job.finished_at = JobStatus.FAILED, timezone.now()
                job.error = (
                    f"Transcription stopped unexpectedly {job.attempts} times; giving up. "
                    "The audio is kept: try again later or with another model."
                )
            else:
                job.status = JobStatus.QUEUED
                transaction.on_commit(lambda job_id=job_id: _send(job_id))
            job.save()
            reaped += 1
            logger.warning("Reaped transcription job %s (attempt %s)", job.uid, job.attempts)
    return reaped + _resend_lost_tasks()


def _resend_lost_tasks() -> int:
    """Queued jobs whose task is gone (its enqueue failed after commit, or it was deleted)."""
    from research import tasks

    if not tasks.transcribe_recording.get_backend().supports_defer:
        return 0
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=lease_seconds())
    resent = 0
    for job in TranscriptionJob.objects.filter(status=JobStatus.QUEUED, updated_at__lt=cutoff):
        waiting = DBTaskResult.objects.filter(
            id=job.task_id or None, status__in=["READY", "RUNNING"]
        )
        if job.task_id and waiting.exists():
            continue
        TranscriptionJob.objects.filter(pk=job.pk).update(updated_at=timezone.now())
        _send(job.pk)
        resent += 1
    return resent


class Heartbeat(threading.Thread):
    """Renews the lease and stores progress from a side thread while the model runs."""

    def __init__(self, job_id: int, token: uuid.UUID) -> None:
        super().__init__(daemon=True, name=f"heartbeat-{job_id}")
        self.job_id, self.token = job_id, token
        self.progress = 0.0
        self.lost = False
        self._stop_event = threading.Event()
        self.period = min(1.0, lease_seconds() / 3)

    def report(self, fraction: float) -> None:
        """Progress callback for the transcriber; aborts the work once the lease is lost."""
        self.progress = fraction
        if self.lost:
            raise LeaseLost(f"job {self.job_id} lost its lease")

    def run(self) -> None:
        try:
            while not self._stop_event.wait(self.period):
                try:
                    renewed = job_renew(
                        job_id=self.job_id, token=self.token, progress=self.progress
                    )
                except DatabaseError:
                    # A busy database must not kill the heartbeat; the lease has slack.
                    logger.warning("Heartbeat of job %s could not write; retrying", self.job_id)
                    continue
                if not renewed:
                    self.lost = True
                    return
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=10)


def job_run(*, job_id: int) -> str:
    """The task body: claim, transcribe with a heartbeat, then complete or fail."""
    close_old_connections()
    jobs_reap()
    token = job_claim(job_id=job_id)
    if token is None:
        return "skipped: not queued"
    job = TranscriptionJob.objects.select_related("recording__conversation").get(pk=job_id)
    heartbeat = Heartbeat(job_id, token)
    heartbeat.start()
    try:
        segments, language, model_name = _transcribe(job, heartbeat.report)
    except LeaseLost:
        return "abandoned: lease lost"
    except audio.AudioError as error:
        job_fail(job_id=job_id, token=token, reason=error.message, permanent=True)
        return "failed"
    except transcription.ModelNotFound as error:
        job_fail(job_id=job_id, token=token, reason=str(error), permanent=True)
        return "failed"
    except Exception as error:  # noqa: BLE001 - any other failure is retried, then reported
        logger.exception("Transcription job %s failed", job.uid)
        reason = f"Transcription failed ({type(error).__name__}: {error})"[:1000]
        job_fail(job_id=job_id, token=token, reason=reason, permanent=False)
        return "retry"
    finally:
        heartbeat.stop()
    try:
        job_complete(
            job_id=job_id, token=token, segments=segments, language=language, model_name=model_name
        )
    except LeaseLost:
        return "abandoned: lease lost"
    return "done"


def _transcribe(job: TranscriptionJob, report) -> tuple[list[tuple], str, str]:
    recording = job.recording
    src = audio_store.path_of(recording)
    info = audio.probe(
        src, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
    )
    config = transcription.WhisperConfig.from_settings()
    if job.model_path:
        config = replace(config, model=job.model_path)
    language = job.language or recording.conversation.language or None
    channels: list[int | None] = [0, 1] if job.split_channels and info.channels >= 2 else [None]
    found: list[tuple] = []
    result = None
    for i, channel in enumerate(channels):
        name = "normalised.wav" if channel is None else f"channel{channel}.wav"
        wav = audio_store.derived_path(recording, name)
        if not wav.exists():
            audio.normalise(src, wav, info=info, channel=channel, max_seconds=info.duration + 1)
        result = transcription.transcribe(
            wav,
            config=config,
            language=language,
            progress=lambda f, i=i: report((i + f) / len(channels)),
        )
        speaker = "" if channel is None else f"Speaker {i + 1}"
        found += [(segment, speaker) for segment in result.segments]
    found.sort(key=lambda pair: (pair[0].start, pair[0].end))
    return found, result.language, result.model
