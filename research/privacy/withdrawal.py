"""After consent is withdrawn the person's audio is masked on playback (``masking``); the team
may then keep an anonymised transcript ("Participant 2") instead of erasing them."""

from __future__ import annotations

from django.db import transaction

from research.models import (
    AuditKind,
    Consent,
    Conversation,
    Highlight,
    Person,
    Recording,
    Segment,
    Transcript,
)
from research.services.audit import audit_record

from .masking import masked_copies_refresh, silence_in_place, spoken_ranges


def participant_label(conversation: Conversation, person: Person) -> str:
    """ "Participant N": the person's place among the conversation's participants."""
    ids = list(conversation.participants.order_by("id").values_list("pk", flat=True))
    return f"Participant {ids.index(person.pk) + 1 if person.pk in ids else len(ids) + 1}"


def participant_anonymise(
    *, conversation: Conversation, person: Person, actor=None, request=None
) -> int:
    """Keep the transcript without the person: their lines and quotes in this conversation
    become "Participant N", their voice is silenced in the audio for good. Lines changed."""
    label = participant_label(conversation, person)
    recordings = list(Recording.objects.filter(conversation=conversation))
    for recording in recordings:
        silence_in_place(recording, spoken_ranges(recording, {person.pk}))
    with transaction.atomic():
        segments = Segment.objects.filter(conversation=conversation, person=person)
        old_labels = set(segments.values_list("speaker", flat=True))
        for transcript in Transcript.objects.filter(recording__conversation=conversation):
            voices = {k: v for k, v in (transcript.voices or {}).items() if k not in old_labels}
            if voices != transcript.voices:
                Transcript.objects.filter(pk=transcript.pk).update(voices=voices)
        changed = segments.update(person=None, speaker=label)
        Highlight.objects.filter(conversation=conversation, person=person).update(
            person=None, speaker=label
        )
        conversation.participants.remove(person)
        Consent.objects.filter(conversation=conversation, person=person).delete()
        audit_record(
            kind=AuditKind.CONSENT,
            summary=f"Transcript of conversation {conversation.uid} anonymised: {changed} lines "
            f"now read {label}",
            team=conversation.team,
            actor=actor,
            target=conversation.uid,
            request=request,
        )
    masked_copies_refresh(conversation=conversation)
    return changed
