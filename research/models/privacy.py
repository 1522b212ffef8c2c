"""Keeping faith with the people recorded: erasure tombstones, retention rules and runs,
redactions (with the original text kept only while they can still be undone)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from .base import TeamScoped


class ErasureTombstone(TeamScoped):
    """What is left after a person is erased: who erased, when, and counts; no personal data."""

    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    erased_by_name = models.CharField(max_length=150, blank=True)
    counts = models.JSONField(default=dict, help_text="What went, by kind: numbers only")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure {self.uid} on {self.created_at:%Y-%m-%d}"


class RetentionAction(models.TextChoices):
    KEEP = "keep", "Keep everything"
    AUDIO = "audio", "Delete the audio, keep the transcript"
    CONVERSATION = "conversation", "Delete the whole conversation"


class RetentionPolicy(TeamScoped):
    """A team's rule (project empty) or one project's rule that overrides it."""

    project = models.OneToOneField(
        "research.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    action = models.CharField(
        max_length=12, choices=RetentionAction.choices, default=RetentionAction.KEEP
    )
    days = models.PositiveIntegerField(
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(36500)],
        help_text="Days after the conversation was captured",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(project__isnull=True),
                name="retention_one_team_default",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} after {self.days} days"


class RetentionRun(models.Model):
    """One run of the retention rules over a team: what it deleted."""

    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField()
    audio_deleted = models.PositiveIntegerField(default=0)
    conversations_deleted = models.PositiveIntegerField(default=0)
    redactions_purged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.ran_at:%Y-%m-%d %H:%M}"


class RedactionKind(models.TextChoices):
    EMAIL = "email", "E-mail address"
    PHONE = "phone", "Phone number"
    CARD = "card", "Payment card"
    IBAN = "iban", "IBAN"
    NAME = "name", "Participant's name"


class Redaction(TeamScoped):
    """One text changed by one application of redactions: a transcript line, a highlight's
    quote, or (neither) the conversation's notes. Rows of one application share `batch` and
    are undone together.

    `original` holds the text (and `original_words` the line's timed words) as they were, so
    an owner can undo; the daily run empties them after the undo window, and from then on the
    words are gone (the audio under them is then silenced in the files themselves)."""

    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="redactions"
    )
    segment = models.ForeignKey(
        "research.Segment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    highlight = models.ForeignKey(
        "research.Highlight", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    batch = models.UUIDField(db_index=True)
    kinds = models.CharField(max_length=100, help_text="What was found, comma-separated")
    count = models.PositiveIntegerField(default=1)
    original = models.TextField(blank=True)
    original_words = models.JSONField(default=list, blank=True)
    redacted = models.TextField(blank=True, help_text="The text as the redaction left it")
    ranges = models.JSONField(default=list, blank=True, help_text="Audio silenced: [[a, b]]")
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Redaction {self.uid} ({self.kinds})"
