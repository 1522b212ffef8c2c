"""The audit trail: an append-only record of who did what to whom, never transcript text."""

from django.conf import settings
from django.db import models


class AuditKind(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    EXPORT = "export", "Export"
    AUDIO_DOWNLOAD = "audio_download", "Audio download"
    ERASURE = "erasure", "Erasure"
    CONSENT = "consent", "Consent change"
    RETENTION = "retention", "Retention run"
    ROLE = "role", "Role change"
    MEMBERSHIP = "membership", "Membership change"
    REDACTION = "redaction", "Redaction"
    MFA = "mfa", "Two-factor change"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only")

    def delete(self):
        raise TypeError("The audit trail is append-only")


class AuditEvent(models.Model):
    """One line of the trail. `team` is null for events before a team is known (a failed
    sign-in). `summary` names objects and counts, never what anyone said."""

    team = models.ForeignKey(
        "research.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True, help_text="Kept if the user goes")
    kind = models.CharField(max_length=20, choices=AuditKind.choices)
    summary = models.CharField(max_length=300)
    target = models.CharField(max_length=64, blank=True, help_text="The uid of what it concerns")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["team", "kind", "-created_at"], name="audit_team_kind")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only")
