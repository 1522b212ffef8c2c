"""Product features, and the links that say how an insight bears on one."""

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.urls import reverse

from .base import TeamScoped

# A tracker link must open in a browser (URLField alone also accepts ftp and ftps).
TRACKER_SCHEMES = ["http", "https"]
# The same rule, saying what is wrong, for forms and services.
tracker_url_validator = URLValidator(
    schemes=TRACKER_SCHEMES, message="Enter a web link that starts with http:// or https://."
)


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
        validators=[URLValidator(schemes=TRACKER_SCHEMES)],
    )
    insights = models.ManyToManyField(
        "research.Insight", through="InsightFeatureLink", related_name="features"
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
    insight = models.ForeignKey(
        "research.Insight", on_delete=models.CASCADE, related_name="feature_links"
    )
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
