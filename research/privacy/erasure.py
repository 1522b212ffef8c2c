"""Erasing a person end to end, previewed first.

What goes: recordings in which they are the only participant (audio files and transcripts);
in shared recordings their lines (text and words) and their voice, silenced in re-encoded
copies that replace the original and its derived copies; every highlight quoting them
(insights keep a "quote removed" count, their strength is computed from what is left); their
search index rows; their person record with their consents. What stays: a tombstone with who
erased, when and counts, and an audit event; neither holds personal data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Q

from research import search
from research.audio import store as audio_store
from research.models import (
    AuditKind,
    Conversation,
    ErasureTombstone,
    Highlight,
    Insight,
    Person,
    Recording,
    Segment,
    Speaker,
    Transcript,
)
from research.services.audit import audit_record

from .masking import masked_copies_refresh, silence_in_place, spoken_ranges


@dataclass
class SharedRecording:
    recording: Recording
    lines: int
    seconds: float


@dataclass
class ErasurePlan:
    person: Person
    sole_recordings: list[Recording] = field(default_factory=list)
    shared: list[SharedRecording] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    insights: int = 0
    lines: int = 0
    consents: int = 0
    conversations: list[Conversation] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "recordings_deleted": len(self.sole_recordings),
            "recordings_silenced": len(self.shared),
            "lines": self.lines,
            "highlights": len(self.highlights),
            "insights_touched": self.insights,
            "consents": self.consents,
            "conversations": len(self.conversations),
            "people": 1,
        }


def erasure_preview(*, person: Person) -> ErasurePlan:
    """Exactly what `person_erase` would remove."""
    plan = ErasurePlan(person=person)
    plan.conversations = list(
        Conversation.objects.filter(team_id=person.team_id, participants=person).order_by(
            "-occurred_at"
        )
    )
    through = Conversation.participants.through
    sizes = dict(
        through.objects.filter(conversation_id__in=[c.pk for c in plan.conversations])
        .values("conversation_id")
        .annotate(n=Count("id"))
        .values_list("conversation_id", "n")
    )
    sole_ids = [c.pk for c in plan.conversations if sizes.get(c.pk) == 1]
    plan.sole_recordings = list(
        Recording.objects.filter(conversation_id__in=sole_ids).select_related("conversation")
    )
    shared = (
        Recording.objects.filter(team_id=person.team_id, transcripts__segments__person=person)
        .exclude(conversation_id__in=sole_ids)
        .distinct()
        .select_related("conversation")
    )
    for recording in shared:
        ranges = spoken_ranges(recording, {person.pk})
        seconds = sum(b - a for a, b in ranges)
        plan.shared.append(SharedRecording(recording, len(ranges), seconds))
    plan.lines = Segment.objects.filter(
        Q(person=person) | Q(transcript__recording__conversation_id__in=sole_ids)
    ).count()
    plan.highlights = list(_highlights(person, sole_ids).select_related("conversation"))
    plan.insights = (
        Insight.objects.filter(
            Q(highlights__in=plan.highlights) | Q(contradicting_highlights__in=plan.highlights)
        )
        .distinct()
        .count()
    )
    plan.consents = person.consents.count()
    return plan


def _highlights(person: Person, sole_conversation_ids):
    return Highlight.objects.filter(team_id=person.team_id).filter(
        Q(person=person)
        | Q(conversation_id__in=sole_conversation_ids, transcript__isnull=False)
        | Q(conversation_id__in=sole_conversation_ids, start__isnull=False)
    )


def _count_removed_quotes(highlight_ids: list[int]) -> None:
    for through in (Insight.highlights.through, Insight.contradicting_highlights.through):
        removed = (
            through.objects.filter(highlight_id__in=highlight_ids)
            .values("insight_id")
            .annotate(n=Count("id"))
        )
        for row in removed:
            Insight.objects.filter(pk=row["insight_id"]).update(
                quotes_removed=F("quotes_removed") + row["n"]
            )


def _forget_voices(person: Person) -> None:
    """Drop the person's voices (embeddings) from the transcripts and their speaker rows (which
    carry their name). A line's speaker is its speaker's name; the voice is keyed by label."""
    labels: dict[int, set[str]] = {}
    for transcript_id, name in (
        Segment.objects.filter(person=person).values_list("transcript_id", "speaker").distinct()
    ):
        labels.setdefault(transcript_id, set()).add(name)
    speakers = Speaker.objects.filter(person=person)
    for transcript_id, label in speakers.values_list("transcript_id", "label"):
        labels.setdefault(transcript_id, set()).add(label)
    for transcript in Transcript.objects.filter(pk__in=labels):
        voices = dict(transcript.voices or {})
        if any([voices.pop(label, None) is not None for label in labels[transcript.pk]]):
            Transcript.objects.filter(pk=transcript.pk).update(voices=voices)
    speakers.delete()


def person_erase(*, person: Person, actor=None, request=None) -> ErasureTombstone:
    """Erase `person` as `erasure_preview` describes; returns the tombstone."""
    plan = erasure_preview(person=person)
    # Audio first: silencing the words of someone about to be erased is never wrong, and the
    # rows that say where they spoke are still there to read.
    for shared in plan.shared:
        silence_in_place(shared.recording, spoken_ranges(shared.recording, {person.pk}))
    team = person.team
    if connection.vendor == "sqlite":
        # Deleted rows are overwritten with zeros in the database file, not just unlinked.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
    with transaction.atomic():
        highlight_ids = [h.pk for h in plan.highlights]
        _count_removed_quotes(highlight_ids)
        Highlight.objects.filter(pk__in=highlight_ids).delete()
        _forget_voices(person)
        Segment.objects.filter(person=person).delete()
        sole = [r.pk for r in plan.sole_recordings]
        Recording.objects.filter(pk__in=sole).delete()
        person.delete()
        tombstone = ErasureTombstone.objects.create(
            team=team,
            erased_by=actor or (request.user if request else None),
            erased_by_name=(actor or request.user).get_username() if (actor or request) else "",
            counts=plan.counts,
        )
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in plan.counts.items())
        audit_record(
            kind=AuditKind.ERASURE,
            summary=f"Person erased ({counts})",
            team=team,
            actor=actor,
            target=tombstone.uid,
            request=request,
        )
        search.compact()
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:  # old page images leave the write-ahead log too
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for recording in plan.sole_recordings:
        audio_store.remove_recording_files(recording)
    for conversation in {s.recording.conversation for s in plan.shared}:
        masked_copies_refresh(conversation=conversation)
    return tombstone
