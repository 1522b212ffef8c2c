"""Recordings: the audio of a conversation, uploaded or recorded in the browser."""

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
    container = models.CharField(max_length=20, blank=True, help_text="Demuxer found by probing")
    codec = models.CharField(max_length=40, blank=True)
    chunks_received = models.PositiveIntegerField(
        default=0, help_text="Browser recordings: chunks appended so far"
    )
    status = models.CharField(
        max_length=10, choices=RecordingStatus.choices, default=RecordingStatus.RECEIVING
    )
    error = models.TextField(blank=True)
    finished_automatically = models.BooleanField(
        default=False,
        help_text="A browser recording no chunk reached for a while, finished by the worker",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or f"Recording {self.uid}"

    @property
    def awaits_choice(self) -> bool:
        """Kept though too long: its audio decoded (it has a length), and its owner chooses
        to transcribe the first part or to split it."""
        return self.status == RecordingStatus.FAILED and bool(self.duration_seconds)


class RecordingChunk(models.Model):
    """One verified piece of a browser recording: where it sits in the file and its digest.

    A chunk is appended only when its length and SHA-256 match what the browser declared, so
    the table says exactly what the server holds; a retry with the same digest is a repeat.
    """

    recording = models.ForeignKey(Recording, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    offset = models.BigIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["recording", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["recording", "seq"], name="recording_chunk_seq")
        ]

    def __str__(self) -> str:
        return f"{self.recording_id}#{self.seq}"
