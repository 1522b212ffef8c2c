"""Highlights, insights and features. Extended by the evidence work (issue 5)."""

from django.conf import settings
from django.db import models
from taggit.managers import TaggableManager

from .base import TeamScoped
from .tags import TaggedHighlight, TaggedInsight


class Highlight(TeamScoped):
    """A quote from a transcript (with its time range) or from a conversation's notes."""

    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="highlights"
    )
    transcript = models.ForeignKey(
        "research.Transcript", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quote = models.TextField()
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    speaker = models.CharField(max_length=100, blank=True)
    person = models.ForeignKey(
        "research.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(through=TaggedHighlight, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.quote[:80]


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
    highlights = models.ManyToManyField(Highlight, blank=True, related_name="insights")
    conversations = models.ManyToManyField(
        "research.Conversation", blank=True, related_name="insights"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(through=TaggedInsight, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class FeatureStatus(models.TextChoices):
    IDEA = "idea", "Idea"
    PLANNED = "planned", "Planned"
    BUILDING = "building", "Building"
    SHIPPED = "shipped", "Shipped"
    DROPPED = "dropped", "Dropped"


class Feature(TeamScoped):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=FeatureStatus.choices, default=FeatureStatus.IDEA
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tracker_url = models.URLField(blank=True, help_text="http(s) link to the team's tracker")
    insights = models.ManyToManyField(
        Insight, through="InsightFeatureLink", related_name="features"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stance(models.TextChoices):
    VALIDATES = "validates", "Validates"
    CONTRADICTS = "contradicts", "Contradicts"
    MENTIONS = "mentions", "Mentions"


class Weight(models.TextChoices):
    NICE = "nice", "Nice to have"
    IMPORTANT = "important", "Important"
    CRITICAL = "critical", "Critical"


class InsightFeatureLink(models.Model):
    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
    insight = models.ForeignKey(Insight, on_delete=models.CASCADE, related_name="feature_links")
    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="insight_links")
    stance = models.CharField(max_length=12, choices=Stance.choices, default=Stance.VALIDATES)
    weight = models.CharField(max_length=10, choices=Weight.choices, default=Weight.IMPORTANT)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["insight", "feature"], name="insightfeature_unique")
        ]

    def __str__(self) -> str:
        return f"{self.insight} {self.stance} {self.feature}"
