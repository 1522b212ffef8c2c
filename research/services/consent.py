"""Consent that does something: who is missing for what, the gates on recording,
transcription and quoting, and consent changes (recorded in the audit trail) that unlock
waiting transcriptions.

A participant with no consent record is "unknown"; a consent that was refused, withdrawn or
does not include a scope does not cover it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from research import tasks
from research.models import (
    AuditKind,
    Consent,
    Conversation,
    JobStatus,
    Person,
    TranscriptionJob,
)
from research.privacy.masking import masked_copies_refresh_on_commit
from research.selectors.consent import SCOPE_WORDS, Missing, consent_missing, covers

from .audit import audit_record
from .base import check_same_team, model_save
from .voice_profiles import voice_profile_consent_check

__all__ = ["SCOPE_WORDS", "Missing", "consent_missing", "covers"]


def consent_require(*, conversation: Conversation, scope: str) -> None:
    """ValidationError naming who is missing, unless every participant's consent covers it."""
    missing = consent_missing(conversation=conversation, scope=scope)
    if missing:
        raise ValidationError(missing.message, code="consent")


def withdrawn_people(*, conversation_ids) -> dict[int, set[int]]:
    """Conversation id -> ids of the people who withdrew their consent there."""
    rows = Consent.objects.filter(
        conversation_id__in=list(conversation_ids), withdrawn_at__isnull=False
    ).values_list("conversation_id", "person_id")
    found: dict[int, set[int]] = {}
    for conversation_id, person_id in rows:
        found.setdefault(conversation_id, set()).add(person_id)
    return found


def quote_allowed(*, conversation: Conversation, person: Person | None, outside: bool) -> bool:
    """Whether `person`'s words may be quoted (inside the team, or outside it)."""
    if person is None:
        return True
    consent = Consent.objects.filter(conversation=conversation, person=person).first()
    return covers(consent, "may_quote_outside" if outside else "may_quote")


def for_outside(*, rows, conversation_of=lambda row: row.conversation_id) -> tuple[list, int]:
    """Rows (lines, highlights: anything with a person_id) that may leave the team: those of
    people whose consent covers quoting outside, and those of nobody in particular. Returns
    (kept, how many were left out)."""
    rows = list(rows)
    pairs = {(conversation_of(r), r.person_id) for r in rows if r.person_id}
    allowed = set()
    if pairs:
        consents = Consent.objects.filter(
            conversation_id__in={c for c, _ in pairs}, person_id__in={p for _, p in pairs}
        )
        allowed = {
            (c.conversation_id, c.person_id) for c in consents if covers(c, "may_quote_outside")
        }
    kept = [r for r in rows if not r.person_id or (conversation_of(r), r.person_id) in allowed]
    return kept, len(rows) - len(kept)


def waiting_jobs_release(*, conversation: Conversation) -> int:
    """Queue the conversation's jobs that wait for consent, if consent now covers
    transcription; their tasks are sent once the transaction commits. How many were queued."""
    if consent_missing(conversation=conversation, scope="may_transcribe"):
        return 0
    jobs = list(
        TranscriptionJob.objects.select_for_update().filter(
            recording__conversation=conversation, status=JobStatus.WAITING
        )
    )
    for job in jobs:
        job.status = JobStatus.QUEUED
        job.save(update_fields=["status", "updated_at"])
        tasks.transcription_send(job=job)
    return len(jobs)


@transaction.atomic
def consent_record(
    *, conversation: Conversation, person: Person, actor=None, request=None, **fields
) -> Consent:
    """Create or replace what `person` agreed to for `conversation`; a transcription that
    waited for this consent is queued."""
    check_same_team(conversation.team_id, [person], field="person", label="a person")
    if not conversation.participants.filter(pk=person.pk).exists():
        raise ValidationError({"person": "Add this person as a participant first."})
    if fields.get("given") and not fields.get("obtained_at"):
        fields["obtained_at"] = timezone.now()
    consent = Consent.objects.filter(conversation=conversation, person=person).first()
    if consent is None:
        consent = Consent(team=conversation.team, conversation=conversation, person=person)
    was_withdrawn = consent.withdrawn_at is not None
    fields.setdefault("withdrawn_at", None)
    consent = model_save(consent, **fields)
    if was_withdrawn and consent.withdrawn_at is None:
        masked_copies_refresh_on_commit(conversation=conversation)
    scopes = ", ".join(consent.scope_labels) if consent.given else "refused"
    audit_record(
        kind=AuditKind.CONSENT,
        summary=f"Consent recorded for participant {person.uid} of conversation "
        f"{conversation.uid}: {scopes or 'nothing'}",
        team=conversation.team,
        actor=actor,
        target=consent.uid,
        request=request,
    )
    voice_profile_consent_check(consent=consent)
    waiting_jobs_release(conversation=conversation)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor=None, request=None) -> Consent:
    """From now on the person's audio, lines and quotes in the conversation are hidden."""
    model_save(consent, withdrawn_at=timezone.now())
    audit_record(
        kind=AuditKind.CONSENT,
        summary=f"Consent withdrawn for participant {consent.person.uid} of conversation "
        f"{consent.conversation.uid}",
        team=consent.team,
        actor=actor,
        target=consent.uid,
        request=request,
    )
    masked_copies_refresh_on_commit(conversation=consent.conversation)
    voice_profile_consent_check(consent=consent)
    return consent
