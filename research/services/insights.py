"""Insights (findings backed by highlights), features, and the links between them."""

from collections.abc import Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    InsightFeatureLink,
    Stance,
    Team,
    Weight,
)

from .common import model_save
from .tags import tags_set


def _same_team(team: Team, objects: Iterable, field: str, label: str) -> list:
    objects = list(objects)
    if any(obj.team_id != team.pk for obj in objects):
        raise ValidationError({field: f"Choose {label} of your team."})
    return objects


@transaction.atomic
def insight_create(
    *,
    team: Team,
    created_by,
    title: str,
    details: str = "",
    status: str = "",
    tags: Iterable[str] = (),
    highlights: Iterable[Highlight] = (),
    contradicting_highlights: Iterable[Highlight] = (),
    conversations: Iterable[Conversation] = (),
) -> Insight:
    highlights = _same_team(team, highlights, "highlights", "highlights")
    contradicting = _same_team(team, contradicting_highlights, "highlights", "highlights")
    conversations = _same_team(team, conversations, "conversations", "conversations")
    if {h.pk for h in highlights} & {h.pk for h in contradicting}:
        raise ValidationError({"highlights": "A highlight backs an insight or speaks against it."})
    fields = {"title": " ".join(title.split()), "details": details}
    if status:
        fields["status"] = status
    insight = model_save(Insight(team=team, created_by=created_by), **fields)
    insight.highlights.set(highlights)
    insight.contradicting_highlights.set(contradicting)
    insight.conversations.set(conversations)
    tags_set(obj=insight, names=tags)
    return insight


@transaction.atomic
def insight_update(*, insight: Insight, tags: Iterable[str] | None = None, **fields) -> Insight:
    if "title" in fields:
        fields["title"] = " ".join(fields["title"].split())
    model_save(insight, **fields)
    if tags is not None:
        tags_set(obj=insight, names=tags)
    return insight


@transaction.atomic
def insight_delete(*, insight: Insight) -> None:
    insight.delete()


@transaction.atomic
def insight_attach_evidence(
    *,
    insight: Insight,
    highlights: Iterable[Highlight] = (),
    conversations: Iterable[Conversation] = (),
    contradicting: bool = False,
) -> None:
    """Add highlights (backing or, with contradicting=True, speaking against) or conversations.

    A highlight is on one side only: attaching it to one side takes it off the other.
    """
    team = insight.team
    highlights = _same_team(team, highlights, "highlights", "highlights")
    conversations = _same_team(team, conversations, "conversations", "conversations")
    if not highlights and not conversations:
        raise ValidationError("Choose at least one highlight or conversation to attach.")
    if contradicting:
        insight.highlights.remove(*highlights)
        insight.contradicting_highlights.add(*highlights)
    else:
        insight.contradicting_highlights.remove(*highlights)
        insight.highlights.add(*highlights)
    insight.conversations.add(*conversations)


@transaction.atomic
def insight_detach_evidence(
    *,
    insight: Insight,
    highlights: Iterable[Highlight] = (),
    conversations: Iterable[Conversation] = (),
) -> None:
    highlights, conversations = list(highlights), list(conversations)
    insight.highlights.remove(*highlights)
    insight.contradicting_highlights.remove(*highlights)
    insight.conversations.remove(*conversations)


@transaction.atomic
def insight_link_feature(
    *,
    insight: Insight,
    feature: Feature,
    stance: str = Stance.VALIDATES,
    weight: str = Weight.IMPORTANT,
    note: str = "",
) -> InsightFeatureLink:
    """Link (or re-link with a new stance, weight and note) an insight to a feature."""
    if feature.team_id != insight.team_id:
        raise ValidationError({"feature": "Choose a feature of your team."})
    link = InsightFeatureLink.objects.filter(insight=insight, feature=feature).first()
    if link is None:
        link = InsightFeatureLink(team_id=insight.team_id, insight=insight, feature=feature)
    return model_save(link, stance=stance, weight=weight, note=" ".join(note.split()))


@transaction.atomic
def insight_unlink_feature(*, insight: Insight, feature: Feature) -> None:
    InsightFeatureLink.objects.filter(insight=insight, feature=feature).delete()


def _check_tracker_url(url: str) -> str:
    url = (url or "").strip()
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise ValidationError(
            {"tracker_url": "The tracker link must start with http:// or https://."}
        )
    return url


def _check_owner(team: Team, owner) -> None:
    if owner is not None and not owner.memberships.filter(team=team).exists():
        raise ValidationError({"owner": "The owner must be a member of your team."})


@transaction.atomic
def feature_create(*, team: Team, tracker_url: str = "", owner=None, **fields) -> Feature:
    _check_owner(team, owner)
    return model_save(
        Feature(team=team), tracker_url=_check_tracker_url(tracker_url), owner=owner, **fields
    )


@transaction.atomic
def feature_update(*, feature: Feature, **fields) -> Feature:
    if "tracker_url" in fields:
        fields["tracker_url"] = _check_tracker_url(fields["tracker_url"])
    if "owner" in fields:
        _check_owner(feature.team, fields["owner"])
    return model_save(feature, **fields)


@transaction.atomic
def feature_delete(*, feature: Feature) -> None:
    feature.delete()
