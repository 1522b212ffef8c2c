from collections.abc import Iterable

from django.db import transaction
from taggit.utils import parse_tags

from research.models import Team, TeamTag

MAX_TAG_LENGTH = 100


def tag_names_parse(raw: str) -> list[str]:
    """Comma- or space-separated tag text (taggit's syntax) to clean, distinct names."""
    seen: dict[str, str] = {}
    for name in parse_tags(raw or ""):
        name = " ".join(name.split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


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
