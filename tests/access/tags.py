"""Access-matrix cases for tags (themes): the list, a tag's page, rename, merge, the board."""

from research.services.highlights import highlight_create
from research.services.tags import tags_resolve
from tests.builders import interview

from . import Case


def build(team, owner) -> dict[str, Case]:
    conversation, transcript, _ = interview(
        team, owner, title="Matrix themes interview", person_name="Matrix Theo"
    )
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0.0,
        end=9.5,
        quote="Exporting to Excel takes me an hour every Monday.",
        tags=["matrix-exports"],
    )
    tag, merge_away, target = tags_resolve(
        team=team, names=["matrix-exports", "matrix-merge-me", "matrix-target"]
    )
    return {
        "tag_autocomplete": Case(query="q=a"),
        "tag_list": Case(),
        "tag_detail": Case(kwargs={"slug": tag.slug}),
        "tag_edit": Case(kwargs={"slug": tag.slug}, writes=True),
        "tag_merge": Case(
            kwargs={"slug": merge_away.slug},
            method="post",
            data={"target": target.slug},
            member_status=302,
            writes=True,
        ),
        "theme_board": Case(query=f"tag={tag.slug}&tag={target.slug}"),
        "board_move": Case(
            method="post",
            data={"highlight": str(highlight.uid), "from": tag.slug, "to": target.slug},
            member_status=302,
            writes=True,
        ),
    }
