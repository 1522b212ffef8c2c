"""Transcripts: the runs that write them (jobs), their versions and their timed lines."""

import uuid

from django.conf import settings
from django.db import models

from .base import ConsentedQuerySet, SpokenBy, TeamScoped


class JobStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for consent"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Transcribing"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class JobStage(models.TextChoices):
    """What a running job is doing, shown while there is no percentage yet."""

    QUEUED = "queued", "Queued"
    LOADING = "loading", "Loading the model"
    TRANSCRIBING = "transcribing", "Transcribing"
    SPEAKERS = "speakers", "Finding who speaks"


class TranscriptionJob(TeamScoped):
    """The app's own record of one transcription run (django-tasks-db cannot retry or lease).

    A worker claims the job by taking a lease (a token and an expiry it renews by heartbeat);
    a reaper re-queues running jobs whose lease expired, at most ``max_attempts`` times.
    """

    recording = models.ForeignKey(
        "research.Recording", on_delete=models.CASCADE, related_name="jobs"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_token = models.UUIDField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    progress = models.FloatField(default=0.0, help_text="Fraction of audio done, 0..1")
    stage = models.CharField(max_length=12, choices=JobStage.choices, default=JobStage.QUEUED)
    error = models.TextField(blank=True, help_text="Shown to users when the job failed")
    model_path = models.CharField(max_length=500, blank=True, help_text="Blank: the default")
    language = models.CharField(max_length=12, blank=True, help_text="Blank: detect")
    split_channels = models.BooleanField(default=False)
    task_id = models.CharField(max_length=64, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="job_status_lease")]

    def __str__(self) -> str:
        return f"Job {self.uid} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        return int(self.progress * 100)


class Transcript(TeamScoped):
    """One version of a recording's transcript; the newest version is the one shown."""

    recording = models.ForeignKey(
        "research.Recording", on_delete=models.CASCADE, related_name="transcripts"
    )
    job = models.OneToOneField(
        TranscriptionJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="transcript",
        help_text="The run that wrote it: one job, at most one transcript",
    )
    version = models.PositiveIntegerField(default=1)
    model_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)
    voices = models.JSONField(
        default=dict,
        blank=True,
        help_text='Per speaker label: {"embedding": [256 floats], "seconds": float}',
    )
    speakers_requested = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many speakers to find when detection runs again"
    )

    class Meta:
        ordering = ["recording_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "version"], name="transcript_unique_recording_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recording} v{self.version}"


class Segment(SpokenBy, models.Model):
    """A timed line of a transcript. `conversation` and `team` are copied for search and filters."""

    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="segments"
    )
    index = models.PositiveIntegerField()
    start = models.FloatField(help_text="seconds")
    end = models.FloatField(help_text="seconds")
    text = models.TextField()
    speaker = models.CharField(max_length=100, blank=True)
    person = models.ForeignKey(
        "research.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    words = models.JSONField(default=list, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(null=True, blank=True)
    original_text = models.TextField(blank=True, help_text="Machine text, kept once edited")

    objects = ConsentedQuerySet.as_manager()

    class Meta:
        ordering = ["transcript_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "index"], name="segment_unique_index")
        ]

    def __str__(self) -> str:
        return f"[{self.start:.1f}-{self.end:.1f}] {self.text[:60]}"
