"""After consent is withdrawn: the person's audio is masked on playback (a silenced copy is
served), and the team may keep an anonymised transcript ("Participant 2") instead of erasing."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from research.audio import silence as audio_silence
from research.audio import store as audio_store
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

SILENCED_COPIES = {"playback.webm": "webm", "normalised.wav": "wav"}


def newest_transcripts(recordings) -> dict[int, int]:
    """Recording id -> id of its newest transcript."""
    ids = [r.pk for r in recordings]
    newest = (
        Transcript.objects.filter(recording_id__in=ids)
        .values("recording_id")
        .annotate(v=Max("version"))
        .values_list("recording_id", "v")
    )
    wanted = dict(newest)
    return {
        t.recording_id: t.pk
        for t in Transcript.objects.filter(recording_id__in=ids).only("recording_id", "version")
        if wanted.get(t.recording_id) == t.version
    }


def spoken_ranges(recording: Recording, people: set[int]) -> list[tuple[float, float]]:
    """When `people` speak in the recording, by any transcript version's lines."""
    if not people:
        return []
    return list(
        Segment.objects.filter(transcript__recording=recording, person_id__in=people)
        .values_list("start", "end")
        .order_by("start")
    )


def silence_in_place(recording: Recording, ranges) -> int:
    """Silence `ranges` in the original and in every derived copy, each replaced by a
    re-encoded one; the masked copy is removed (it is made again when needed). Files done."""
    done = 0
    if not ranges:
        return done
    for path in audio_store.audio_files(recording):
        if path.name == "original":
            container = recording.container or "wav"
        elif path.name in SILENCED_COPIES:
            container = SILENCED_COPIES[path.name]
        elif path.suffix == ".wav":
            container = "wav"
        else:
            path.unlink(missing_ok=True)
            continue
        audio_silence.silence(path, path, container=container, ranges=ranges)
        done += 1
    return done


def masked_copies_refresh(*, conversation: Conversation) -> int:
    """Make (or remove) each recording's masked copy: the words of everyone who withdrew
    consent silenced. Recordings that now have one are counted."""
    withdrawn = set(
        Consent.objects.filter(conversation=conversation, withdrawn_at__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    masked = 0
    for recording in Recording.objects.filter(conversation=conversation).exclude(stored_name=""):
        target = audio_store.masked_path(recording)
        ranges = spoken_ranges(recording, withdrawn)
        source = audio_store.path_of(recording)
        if ranges and source.is_file():
            audio_silence.silence(source, target, container=recording.container, ranges=ranges)
            masked += 1
        else:
            target.unlink(missing_ok=True)
    return masked


def masked_copies_refresh_on_commit(*, conversation: Conversation) -> None:
    transaction.on_commit(lambda: masked_copies_refresh(conversation=conversation))


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
