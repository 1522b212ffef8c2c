"""Photos taken on a visit: attached to a conversation, stored privately like audio."""

from django.conf import settings
from django.db import models

from .base import TeamScoped


class Photo(TeamScoped):
    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="photos"
    )
    client_id = models.CharField(
        max_length=64, blank=True, help_text="The device's id for it: a repeated upload is one"
    )
    original_name = models.CharField(max_length=255, blank=True, help_text="Display text only")
    stored_name = models.CharField(max_length=255, help_text="Path under AUDIO_ROOT")
    content_type = models.CharField(max_length=50)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    kept_location = models.BooleanField(
        default=False, help_text="The photo's GPS position was kept at the user's request"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_id"],
                condition=~models.Q(client_id=""),
                name="photo_client_id",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or f"Photo {self.uid}"
