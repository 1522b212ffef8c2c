"""Tags (themes): a team's vocabulary, set on objects, described, renamed and merged."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from research.models import TaggedConversation, TaggedHighlight, TaggedInsight, Team, TeamTag
from research.models.base import unique_slug
from research.models.tags import COLOUR

from .base import check_same_team, model_save

MAX_TAG_LENGTH = 100
THROUGH_MODELS = (TaggedConversation, TaggedHighlight, TaggedInsight)


def tags_from_string(raw: str) -> list[str]:
    """Comma-separated tag text to clean, distinct names: a tag may contain spaces ("mobile
    access" is one tag, as in Dovetail and Condens), only commas separate tags; quotes around
    a name are dropped. Also taggit's parser (TAGGIT_TAGS_FROM_STRING)."""
    seen: dict[str, str] = {}
    for part in (raw or "").split(","):
        name = " ".join(part.strip().strip('"').split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def string_from_tags(tags) -> str:
    """Tags as the text a tag field shows (TAGGIT_STRING_FROM_TAGS)."""
    return ", ".join(sorted(t.name for t in tags))


tag_names_parse = tags_from_string


@transaction.atomic
def tags_resolve(*, team: Team, names: Iterable[str]) -> list[TeamTag]:
    """The team's tags for these names (case-insensitive), creating the missing ones."""
    wanted = {name.lower(): name for name in names}
    existing = (
        {
            tag.name.lower(): tag
            for tag in TeamTag.objects.filter(team=team)
            if tag.name.lower() in wanted
        }
        if wanted
        else {}
    )
    tags = []
    for lowered, name in wanted.items():
        tag = existing.get(lowered)
        if tag is None:
            tag = TeamTag.objects.create(team=team, name=name)
        tags.append(tag)
    return tags


def tags_set(*, obj, names: Iterable[str]) -> None:
    """Replace obj's tags with the team's tags of these names."""
    obj.tags.set(tags_resolve(team=obj.team, names=names))


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
    check_same_team(source.team_id, [target], field="target", label="a tag")
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
