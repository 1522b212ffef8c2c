"""A team's home page: what happened lately and how much there is."""

from research.models import Conversation, Organization, Person, Team

from .conversations import conversation_list
from .directory import project_list


def dashboard(*, team: Team) -> dict:
    return {
        "recent_conversations": list(conversation_list(team=team)[:8]),
        "projects": list(project_list(team=team).filter(is_archived=False)[:8]),
        "people": list(
            Person.objects.filter(team=team)
            .select_related("organization")
            .order_by("-created_at")[:8]
        ),
        "counts": {
            "conversations": Conversation.objects.filter(team=team).count(),
            "people": Person.objects.filter(team=team).count(),
            "organizations": Organization.objects.filter(team=team).count(),
        },
    }
