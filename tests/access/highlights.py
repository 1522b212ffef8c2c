"""Access-matrix cases for highlights."""

from research.models import Highlight
from research.services.highlights import highlight_create
from tests.builders import interview

from . import Case


def build(team, owner) -> dict[str, Case]:
    conversation, transcript, _ = interview(
        team, owner, title="Matrix highlight interview", person_name="Matrix Hana"
    )
    highlight = highlight_create(
        conversation=conversation,
        created_by=owner,
        transcript=transcript,
        start=0.0,
        end=9.5,
        quote="Exporting to Excel takes me an hour every Monday.",
    )
    doomed = Highlight.objects.create(
        team=team, conversation=conversation, quote="Matrix doomed quote", created_by=owner
    )
    return {
        "highlight_create": Case(kwargs={"uid": conversation.uid}, writes=True),
        "highlight_edit": Case(kwargs={"uid": highlight.uid}, writes=True),
        "highlight_delete": Case(
            kwargs={"uid": doomed.uid}, method="post", member_status=302, writes=True
        ),
    }
