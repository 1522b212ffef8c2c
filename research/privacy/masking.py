"""Silenced audio: a recording's masked copy (served instead of the original while people who
withdrew consent, or redacted words still in their undo window, would be heard) and silencing
in the files themselves (erasure, anonymisation, purged redactions)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from research.audio import silence as audio_silence
from research.audio import store as audio_store
from research.models import Consent, Conversation, Recording, Redaction, Segment, Transcript

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


def _withdrawn(conversation_id: int) -> set[int]:
    return set(
        Consent.objects.filter(
            conversation_id=conversation_id, withdrawn_at__isnull=False
        ).values_list("person_id", flat=True)
    )


def hidden_ranges(recording: Recording, withdrawn: set[int] | None = None) -> list:
    """What must not be heard: people who withdrew consent, words redacted (undo window)."""
    if withdrawn is None:
        withdrawn = _withdrawn(recording.conversation_id)
    return spoken_ranges(recording, withdrawn) + redacted_ranges(recording)


def mask_recording(recording: Recording, ranges=None) -> bool:
    """Make (or remove) one recording's masked copy; whether it has one now."""
    ranges = hidden_ranges(recording) if ranges is None else ranges
    target = audio_store.masked_path(recording)
    source = audio_store.path_of(recording)
    if ranges and recording.stored_name and source.is_file():
        audio_silence.silence(source, target, container=recording.container, ranges=ranges)
        return True
    target.unlink(missing_ok=True)
    return False


def masked_copies_refresh(*, conversation: Conversation) -> int:
    """Make (or remove) each recording's masked copy: the words of everyone who withdrew
    consent, and redacted words still in their undo window, silenced. Counts the recordings
    that now have one."""
    withdrawn = _withdrawn(conversation.pk)
    masked = 0
    for recording in Recording.objects.filter(conversation=conversation).exclude(stored_name=""):
        masked += mask_recording(recording, hidden_ranges(recording, withdrawn))
    return masked


def masked_copies_refresh_on_commit(*, conversation: Conversation) -> None:
    transaction.on_commit(lambda: masked_copies_refresh(conversation=conversation))


def redacted_ranges(recording: Recording) -> list[tuple[float, float]]:
    """Audio under redactions still in their undo window (silenced in the masked copy)."""
    rows = Redaction.objects.filter(
        segment__transcript__recording=recording, purged_at__isnull=True
    ).values_list("ranges", flat=True)
    return [(a, b) for ranges in rows for a, b in ranges]
