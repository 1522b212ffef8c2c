"""django-tasks entry points; the logic lives in research.jobs."""

from django_tasks import task

from research import jobs


@task()
def transcribe_recording(job_id: int) -> str:
    return jobs.job_run(job_id=job_id)


@task()
def reap_transcription_jobs() -> int:
    """Re-queue jobs of dead workers, then wait in the queue for the next round."""
    reaped = jobs.jobs_reap()
    jobs.reaper_schedule()
    return reaped
