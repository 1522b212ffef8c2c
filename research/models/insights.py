"""Insights: findings, backed (or contradicted) by highlights and whole conversations."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from taggit.managers import TaggableManager

from .base import TeamScoped
from .tags import TaggedInsight


class InsightStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Insight(TeamScoped):
    title = models.CharField(max_length=300, help_text="The finding, in one sentence")
    details = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=InsightStatus.choices, default=InsightStatus.DRAFT
    )
    highlights = models.ManyToManyField("research.Highlight", blank=True, related_name="insights")
    contradicting_highlights = models.ManyToManyField(
        "research.Highlight",
        blank=True,
        related_name="contradicted_insights",
        help_text="Evidence that speaks against this finding",
    )
    conversations = models.ManyToManyField(
        "research.Conversation", blank=True, related_name="insights"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(through=TaggedInsight, blank=True)
    quotes_removed = models.PositiveIntegerField(
        default=0, help_text="Quotes taken out when the people quoted were erased"
    )

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:insight_detail", args=[self.uid])
