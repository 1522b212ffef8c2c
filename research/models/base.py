import uuid

from django.db import models


class TeamScoped(models.Model):
    """Every research object belongs to exactly one team and is addressed publicly by a UUID."""

    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
