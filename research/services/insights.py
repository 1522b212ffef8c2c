"""Insights: findings backed by highlights and conversations, and linked to features."""

from collections.abc import Iterable

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

from .base import check_same_team, model_save
from .tags import tags_set


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
    highlights = check_same_team(team.pk, highlights, field="highlights", label="highlights")
    contradicting = check_same_team(
        team.pk, contradicting_highlights, field="highlights", label="highlights"
    )
    conversations = check_same_team(
        team.pk, conversations, field="conversations", label="conversations"
    )
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
    highlights = check_same_team(team.pk, highlights, field="highlights", label="highlights")
    conversations = check_same_team(
        team.pk, conversations, field="conversations", label="conversations"
    )
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
    check_same_team(insight.team_id, [feature], field="feature", label="a feature")
    link = InsightFeatureLink.objects.filter(insight=insight, feature=feature).first()
    if link is None:
        link = InsightFeatureLink(team_id=insight.team_id, insight=insight, feature=feature)
    return model_save(link, stance=stance, weight=weight, note=" ".join(note.split()))


@transaction.atomic
def insight_unlink_feature(*, insight: Insight, feature: Feature) -> None:
    InsightFeatureLink.objects.filter(insight=insight, feature=feature).delete()
