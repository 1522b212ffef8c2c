"""Photos of a conversation, for its page."""

from __future__ import annotations

from research.models import Conversation, Photo


def conversation_photos(*, conversation: Conversation) -> list[Photo]:
    return list(
        Photo.objects.filter(team_id=conversation.team_id, conversation=conversation).only(
            "uid", "original_name", "width", "height", "conversation_id"
        )
    )
