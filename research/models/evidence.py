"""Highlights, insights and features. Extended by the evidence work (issue 5)."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse
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

    @property
    def is_from_audio(self) -> bool:
        return self.start is not None and self.end is not None

    def get_absolute_url(self) -> str:
        """Its exact place: the conversation page, scrolled (and the audio seeked) to it."""
        base = reverse("research:conversation_detail", args=[self.conversation.uid])
        if self.is_from_audio:
            return f"{base}?highlight={self.uid}#t={self.start:.2f}"
        return f"{base}?highlight={self.uid}#hl-{self.uid}"


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
    contradicting_highlights = models.ManyToManyField(
        Highlight,
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

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:insight_detail", args=[self.uid])


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
    tracker_url = models.URLField(
        blank=True,
        help_text="http(s) link to the team's tracker",
        # URLField alone also accepts ftp(s); a tracker link must open in a browser.
        validators=[URLValidator(schemes=["http", "https"])],
    )
    insights = models.ManyToManyField(
        Insight, through="InsightFeatureLink", related_name="features"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("research:feature_detail", args=[self.uid])


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
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["insight", "feature"], name="insightfeature_unique")
        ]

    def __str__(self) -> str:
        return f"{self.insight} {self.stance} {self.feature}"
