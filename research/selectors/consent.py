"""Who is missing consent for what: a participant with no consent record is "unknown"; a
consent that was refused, withdrawn or does not include a scope does not cover it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from research.models import Consent, Conversation, Person

SCOPE_WORDS = {
    "may_record": "recording",
    "may_transcribe": "transcription",
    "may_quote": "quoting inside the team",
    "may_quote_outside": "quoting outside the team",
    "may_voice_profile": "a voice profile",
}


@dataclass(frozen=True)
class Missing:
    """Participants whose consent does not cover one scope of one conversation."""

    conversation: Conversation
    scope: str
    people: list[Person]

    def __bool__(self) -> bool:
        return bool(self.people)

    @property
    def message(self) -> str:
        names = ", ".join(p.name for p in self.people)
        return (
            f"Consent to {SCOPE_WORDS[self.scope]} is missing for: {names}. "
            "Record their consent first."
        )

    @property
    def consent_url(self) -> str:
        return reverse("research:conversation_detail", args=[self.conversation.uid]) + "#consent"


def covers(consent: Consent | None, scope: str) -> bool:
    return consent is not None and consent.is_active and bool(getattr(consent, scope))


def consent_missing(*, conversation: Conversation, scope: str) -> Missing:
    """Participants of `conversation` whose consent does not cover `scope`."""
    if scope not in SCOPE_WORDS:
        raise ValueError(f"unknown consent scope {scope!r}")
    consents = {c.person_id: c for c in Consent.objects.filter(conversation=conversation)}
    people = [
        p
        for p in conversation.participants.order_by("name", "id")
        if not covers(consents.get(p.pk), scope)
    ]
    return Missing(conversation, scope, people)
