"""Access-matrix cases for insights: the list, a new one, its page, evidence and features."""

from research.models import Feature, Highlight, Stance
from research.services.features import feature_create
from research.services.highlights import highlight_create
from research.services.insights import insight_create, insight_link_feature
from tests.builders import interview

from . import Case
from .directory import object_cases


def build(team, owner) -> dict[str, Case]:
    conversation, transcript, _ = interview(team, owner, title="Matrix evidence interview")
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0.0,
        end=9.5,
        quote="Exporting to Excel takes me an hour every Monday.",
    )
    spare = Highlight.objects.create(
        team=team, conversation=conversation, quote="Matrix spare quote", created_by=owner
    )
    insight = insight_create(
        team=team, created_by=owner, title="Matrix insight", highlights=[highlight, spare]
    )
    feature = feature_create(team=team, name="Matrix linked feature")
    other_feature = Feature.objects.create(team=team, name="Matrix other feature")
    insight_link_feature(insight=insight, feature=feature, stance=Stance.VALIDATES)
    cases = object_cases("insight", insight, create=False)
    return {
        **cases,
        "insight_create": Case(query=f"highlight={highlight.uid}", writes=True),
        "insight_attach": Case(
            kwargs={"uid": insight.uid},
            method="post",
            data={"highlights": [str(spare.uid)], "side": "contradicts"},
            member_status=302,
            writes=True,
        ),
        "insight_detach": Case(
            kwargs={"uid": insight.uid, "highlight_uid": spare.uid},
            method="post",
            member_status=302,
            writes=True,
        ),
        "insight_link": Case(
            kwargs={"uid": insight.uid},
            method="post",
            data={"feature": str(other_feature.uid), "stance": "mentions", "weight": "nice"},
            member_status=302,
            writes=True,
        ),
        "insight_unlink": Case(
            kwargs={"uid": insight.uid, "feature_uid": other_feature.uid},
            method="post",
            member_status=302,
            writes=True,
        ),
        "insight_detach_conversation": Case(
            kwargs={"uid": insight.uid, "conversation_uid": conversation.uid},
            method="post",
            member_status=302,
            writes=True,
        ),
        "conversation_to_insight": Case(
            kwargs={"uid": conversation.uid},
            method="post",
            data={"insight": str(insight.uid)},
            member_status=302,
            writes=True,
        ),
    }
