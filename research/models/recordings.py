"""Audio and its transcripts. Extended by the capture/transcription work (issue 4)."""

from django.conf import settings
from django.db import models

from .base import TeamScoped


class RecordingStatus(models.TextChoices):
    RECEIVING = "receiving", "Receiving"
    STORED = "stored", "Stored"
    FAILED = "failed", "Failed"


class Recording(TeamScoped):
    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="recordings"
    )
    original_name = models.CharField(max_length=255, blank=True, help_text="Display text only")
    stored_name = models.CharField(max_length=255, blank=True, help_text="Path under AUDIO_ROOT")
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    duration_seconds = models.FloatField(null=True, blank=True)
    channels = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=RecordingStatus.choices, default=RecordingStatus.RECEIVING
    )
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or f"Recording {self.uid}"


class Transcript(TeamScoped):
    """One version of a recording's transcript; the newest version is the one shown."""

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="transcripts")
    version = models.PositiveIntegerField(default=1)
    model_name = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["recording_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["recording", "version"], name="transcript_unique_recording_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recording} v{self.version}"


class Segment(models.Model):
    """A timed line of a transcript. `conversation` and `team` are copied for search and filters."""

    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
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

    class Meta:
        ordering = ["transcript_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["transcript", "index"], name="segment_unique_index")
        ]

    def __str__(self) -> str:
        return f"[{self.start:.1f}-{self.end:.1f}] {self.text[:60]}"
