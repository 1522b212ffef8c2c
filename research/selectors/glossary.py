"""Reads of a team's glossary, and the hints a transcription gets from it."""

from __future__ import annotations

from django.db.models.functions import Lower

from research.models import Conversation, GlossaryTerm, Team

MAX_HINT_CHARS = 400  # Whisper's prompt holds about 224 tokens; hints take half at most


def glossary_terms(*, team: Team) -> list[GlossaryTerm]:
    return list(GlossaryTerm.objects.filter(team=team).order_by(Lower("term"), "term"))


def transcription_hints(*, team: Team, conversation: Conversation | None = None) -> str:
    """The team's glossary terms and the conversation's participants' names, comma-separated,
    each once; cut to MAX_HINT_CHARS (participants first: they are surely in the talk)."""
    names: list[str] = []
    if conversation is not None:
        names += conversation.participants.order_by(Lower("name"), "name").values_list(
            "name", flat=True
        )
    terms = GlossaryTerm.objects.filter(team=team).order_by(Lower("term"), "term")
    names += terms.values_list("term", flat=True)
    seen: set[str] = set()
    kept: list[str] = []
    length = 0
    for name in names:
        key = name.strip().lower()
        if not key or key in seen or length + len(name) + 2 > MAX_HINT_CHARS:
            continue
        seen.add(key)
        kept.append(name.strip())
        length += len(name) + 2
    return ", ".join(kept)
