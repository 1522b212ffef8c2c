import re

from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from taggit.models import TagBase, TaggedItemBase

from .base import unique_slug

COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")  # a tag's colour: #rrggbb


class TeamTag(TagBase):
    """A tag (theme) in one team's vocabulary; names are unique per team, not globally."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, allow_unicode=True)
    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="tags")
    description = models.CharField(max_length=300, blank=True)
    color = models.CharField(max_length=7, blank=True, help_text="Hex colour such as #3366cc")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "name"], name="teamtag_unique_team_name"),
            models.UniqueConstraint(fields=["team", "slug"], name="teamtag_unique_team_slug"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("research:tag_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name, allow_unicode=True)[:90] or "tag"
            self.slug = unique_slug(TeamTag.objects.filter(team_id=self.team_id), base)
        return models.Model.save(self, *args, **kwargs)


class TaggedConversation(TaggedItemBase):
    tag = models.ForeignKey(TeamTag, on_delete=models.CASCADE, related_name="conversation_items")
    content_object = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="taggedconversation_unique"
            )
        ]


class TaggedHighlight(TaggedItemBase):
    tag = models.ForeignKey(TeamTag, on_delete=models.CASCADE, related_name="highlight_items")
    content_object = models.ForeignKey(
        "research.Highlight", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedhighlight_unique")
        ]


class TaggedInsight(TaggedItemBase):
    tag = models.ForeignKey(TeamTag, on_delete=models.CASCADE, related_name="insight_items")
    content_object = models.ForeignKey(
        "research.Insight", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="taggedinsight_unique")
        ]
