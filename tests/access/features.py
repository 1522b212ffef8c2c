"""Access-matrix cases for features."""

from research.models import Insight
from research.services.features import feature_create

from . import Case
from .directory import object_cases


def build(team, owner) -> dict[str, Case]:
    feature = feature_create(team=team, name="Matrix feature")
    insight = Insight.objects.create(team=team, title="Matrix linked insight")
    return {
        **object_cases("feature", feature),
        "feature_link_insight": Case(
            kwargs={"uid": feature.uid},
            method="post",
            data={"insight": str(insight.uid), "stance": "validates", "weight": "important"},
            member_status=302,
            writes=True,
        ),
    }
