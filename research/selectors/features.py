"""Features and the evidence behind them: the insights linked to each, pooled by stance."""

from dataclasses import dataclass, field
from datetime import datetime

from research.models import Feature, InsightFeatureLink, Stance, Team, Weight

from .insights import QUOTES_PER_INSIGHT, Strength, insight_strengths, quotes_of

WEIGHT_POINTS = {Weight.NICE: 1, Weight.IMPORTANT: 2, Weight.CRITICAL: 3}


@dataclass(frozen=True)
class LinkedInsight:
    """An insight's link to a feature, with the insight's strength."""

    link: InsightFeatureLink
    strength: Strength

    @property
    def order(self) -> tuple:
        """Heaviest link first, then the most people, then by title."""
        weight = WEIGHT_POINTS.get(self.link.weight, 1)
        return (-weight, -self.strength.people_count, self.link.insight.title)


@dataclass
class FeatureEvidence:
    feature: Feature
    validating: list[LinkedInsight] = field(default_factory=list)
    contradicting: list[LinkedInsight] = field(default_factory=list)
    mentioning: list[LinkedInsight] = field(default_factory=list)
    for_: Strength = field(default_factory=Strength)
    against: Strength = field(default_factory=Strength)
    points: int = 0

    @property
    def has_evidence(self) -> bool:
        return bool(self.validating or self.contradicting)

    @property
    def is_contradicted(self) -> bool:
        return bool(self.contradicting) or self.for_.has_contradictions

    @property
    def newest(self) -> datetime | None:
        dates = [d for d in (self.for_.newest, self.against.newest) if d is not None]
        return max(dates) if dates else None

    @property
    def sort_key(self) -> tuple:
        """Strongest first: distinct customers for it, organizations, weighted links, quotes."""
        newest = self.for_.newest.timestamp() if self.for_.newest else 0
        return (
            -self.for_.people_count,
            -self.for_.organization_count,
            -self.points,
            -self.for_.highlight_count,
            -newest,
        )


def _fold(evidence: FeatureEvidence, link: InsightFeatureLink, strength: Strength) -> None:
    linked = LinkedInsight(link, strength)
    if link.stance == Stance.VALIDATES:
        evidence.validating.append(linked)
        evidence.for_.pool(strength)
        evidence.points += WEIGHT_POINTS.get(link.weight, 1)
    elif link.stance == Stance.CONTRADICTS:
        evidence.contradicting.append(linked)
        evidence.against.pool(strength)
    else:
        evidence.mentioning.append(linked)


def feature_evidence(*, feature: Feature, quoted: int | None = None) -> FeatureEvidence:
    """Everything the feature page shows, in a constant number of queries.

    Every count covers every linked insight; quotes are fetched for the `quoted` strongest
    insights of each stance (all of them when None), the ones the page lists.
    """
    links = list(
        InsightFeatureLink.objects.filter(feature=feature, team_id=feature.team_id).select_related(
            "insight"
        )
    )
    strengths = insight_strengths((link.insight_id for link in links), quotes=0)
    evidence = FeatureEvidence(feature=feature)
    for link in links:
        _fold(evidence, link, strengths[link.insight_id])
    groups = (evidence.validating, evidence.contradicting, evidence.mentioning)
    for group in groups:
        group.sort(key=lambda linked: linked.order)
    shown = {linked.link.insight_id for group in groups for linked in group[:quoted]}
    for insight_id, quote in quotes_of(shown, QUOTES_PER_INSIGHT) if shown else ():
        strengths[insight_id].quotes.append(quote)
    return evidence


def feature_list(*, team: Team, status: str = "") -> list[FeatureEvidence]:
    """The team's features, strongest evidence first, each with its pooled strength."""
    features = Feature.objects.filter(team=team).select_related("owner")
    if status:
        features = features.filter(status=status)
    evidence = {f.pk: FeatureEvidence(feature=f) for f in features}
    links = list(
        InsightFeatureLink.objects.filter(team=team, feature_id__in=evidence).select_related(
            "insight"
        )
    )
    strengths = insight_strengths((link.insight_id for link in links), quotes=0)
    for link in links:
        _fold(evidence[link.feature_id], link, strengths[link.insight_id])
    return sorted(evidence.values(), key=lambda e: (*e.sort_key, e.feature.name.lower()))
