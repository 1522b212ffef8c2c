"""Tag (theme) chores for researchers: describe, rename, merge, and re-tag from the board."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from research.models import Highlight, TaggedConversation, TaggedHighlight, TaggedInsight, TeamTag
from research.models.base import unique_slug

from .common import model_save
from .tags import MAX_TAG_LENGTH

THROUGH_MODELS = (TaggedConversation, TaggedHighlight, TaggedInsight)
COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@transaction.atomic
def tag_update(*, tag: TeamTag, name: str, description: str = "", color: str = "") -> TeamTag:
    """Rename and describe a tag. Tagged items keep it: they point at the tag, not its name."""
    name = " ".join((name or "").split())
    if not name or len(name) > MAX_TAG_LENGTH or "," in name:
        raise ValidationError({"name": f"A tag name is 1–{MAX_TAG_LENGTH} characters, no commas."})
    clash = TeamTag.objects.filter(team_id=tag.team_id, name__iexact=name).exclude(pk=tag.pk)
    if clash.exists():
        raise ValidationError(
            {"name": f"The tag “{clash.first().name}” exists already: merge into it instead."}
        )
    color = (color or "").strip()
    if color and not COLOUR.match(color):
        raise ValidationError({"color": "Use a hex colour such as #3366cc."})
    slug = tag.slug if name.lower() == tag.name.lower() else _fresh_slug(tag, name)
    return model_save(
        tag, name=name, slug=slug, description=description.strip(), color=color.lower()
    )


def _fresh_slug(tag: TeamTag, name: str) -> str:
    base = slugify(name, allow_unicode=True)[:90] or "tag"
    return unique_slug(TeamTag.objects.filter(team_id=tag.team_id).exclude(pk=tag.pk), base)


@transaction.atomic
def tag_merge(*, source: TeamTag, target: TeamTag) -> TeamTag:
    """Move everything tagged `source` to `target`, then delete `source`. Nothing is lost."""
    if source.team_id != target.team_id:
        raise ValidationError({"target": "Choose a tag of your team."})
    if source.pk == target.pk:
        raise ValidationError({"target": "Choose a different tag to merge into."})
    for through in THROUGH_MODELS:
        already = through.objects.filter(tag=target).values("content_object_id")
        # Items carrying both tags keep the target's row; the others move over.
        through.objects.filter(tag=source, content_object_id__in=already).delete()
        through.objects.filter(tag=source).update(tag=target)
    if not target.description and source.description:
        target.description = source.description
        target.save(update_fields=["description"])
    source.delete()
    return target


@transaction.atomic
def highlight_retag(
    *, highlight: Highlight, to_tag: TeamTag, from_tag: TeamTag | None = None
) -> None:
    """The theme board's move: take `from_tag` off the highlight and put `to_tag` on."""
    for tag in (to_tag, from_tag):
        if tag is not None and tag.team_id != highlight.team_id:
            raise ValidationError({"tag": "Choose a tag of your team."})
    if from_tag is not None and from_tag.pk != to_tag.pk:
        TaggedHighlight.objects.filter(content_object=highlight, tag=from_tag).delete()
    TaggedHighlight.objects.get_or_create(content_object=highlight, tag=to_tag)
