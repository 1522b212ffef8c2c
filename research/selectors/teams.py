"""A team's home page: what happened lately and how much there is."""

from django.utils.timezone import now

from research.models import Conversation, Invitation, Organization, Person, Team

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


def open_invitations(*, team: Team) -> list[Invitation]:
    """Invitations not yet accepted, withdrawn or expired, newest first."""
    return list(
        Invitation.objects.filter(
            team=team, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now()
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )
