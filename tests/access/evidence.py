from research.models import Feature, Highlight, Stance
from research.services.highlights import highlight_create
from research.services.insights import feature_create, insight_create, insight_link_feature
from research.services.tags import tags_resolve
from tests.evidence_data import interview

from . import Case

# The URL names whose requests change something: viewers must get 403 on each
# (tests/test_evidence_access.py).
WRITES = {
    "highlight_create",
    "highlight_edit",
    "highlight_delete",
    "tag_edit",
    "tag_merge",
    "board_move",
    "insight_create",
    "insight_edit",
    "insight_delete",
    "insight_attach",
    "insight_detach",
    "insight_detach_conversation",
    "conversation_to_insight",
    "insight_link",
    "insight_unlink",
    "feature_create",
    "feature_edit",
    "feature_delete",
}


def build(team, owner) -> dict[str, Case]:
    conversation, transcript, _ = interview(team, owner, title="Matrix evidence interview")
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0.0,
        end=9.5,
        quote="Exporting to Excel takes me an hour every Monday.",
        tags=["matrix-exports"],
    )
    spare = Highlight.objects.create(
        team=team, conversation=conversation, quote="Matrix spare quote", created_by=owner
    )
    doomed = Highlight.objects.create(
        team=team, conversation=conversation, quote="Matrix doomed quote", created_by=owner
    )
    insight = insight_create(
        team=team, created_by=owner, title="Matrix insight", highlights=[highlight, spare]
    )
    feature = feature_create(team=team, name="Matrix feature")
    other_feature = Feature.objects.create(team=team, name="Matrix other feature")
    insight_link_feature(insight=insight, feature=feature, stance=Stance.VALIDATES)
    tag, merge_away, target = tags_resolve(
        team=team, names=["matrix-exports", "matrix-merge-me", "matrix-target"]
    )
    return {
        "highlight_create": Case(kwargs={"uid": conversation.uid}),
        "highlight_edit": Case(kwargs={"uid": highlight.uid}),
        "highlight_delete": Case(kwargs={"uid": doomed.uid}, method="post", member_status=302),
        "tag_list": Case(),
        "tag_detail": Case(kwargs={"slug": tag.slug}),
        "tag_edit": Case(kwargs={"slug": tag.slug}),
        "tag_merge": Case(
            kwargs={"slug": merge_away.slug},
            method="post",
            data={"target": target.slug},
            member_status=302,
        ),
        "theme_board": Case(query=f"tag={tag.slug}&tag={target.slug}"),
        "board_move": Case(
            method="post",
            data={"highlight": str(highlight.uid), "from": tag.slug, "to": target.slug},
            member_status=302,
        ),
        "insight_list": Case(),
        "insight_create": Case(query=f"highlight={highlight.uid}"),
        "insight_detail": Case(kwargs={"uid": insight.uid}),
        "insight_edit": Case(kwargs={"uid": insight.uid}),
        "insight_delete": Case(kwargs={"uid": insight.uid}),
        "insight_attach": Case(
            kwargs={"uid": insight.uid},
            method="post",
            data={"highlights": [str(spare.uid)], "side": "contradicts"},
            member_status=302,
        ),
        "insight_detach": Case(
            kwargs={"uid": insight.uid, "highlight_uid": spare.uid},
            method="post",
            member_status=302,
        ),
        "insight_link": Case(
            kwargs={"uid": insight.uid},
            method="post",
            data={"feature": str(other_feature.uid), "stance": "mentions", "weight": "nice"},
            member_status=302,
        ),
        "insight_unlink": Case(
            kwargs={"uid": insight.uid, "feature_uid": other_feature.uid},
            method="post",
            member_status=302,
        ),
        "insight_detach_conversation": Case(
            kwargs={"uid": insight.uid, "conversation_uid": conversation.uid},
            method="post",
            member_status=302,
        ),
        "conversation_to_insight": Case(
            kwargs={"uid": conversation.uid},
            method="post",
            data={"insight": str(insight.uid)},
            member_status=302,
        ),
        "feature_list": Case(),
        "feature_create": Case(),
        "feature_detail": Case(kwargs={"uid": feature.uid}),
        "feature_edit": Case(kwargs={"uid": feature.uid}),
        "feature_delete": Case(kwargs={"uid": feature.uid}),
    }
