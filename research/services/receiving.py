"""How a recording becomes stored: probed (its length decoded), marked stored with its job
created, or marked failed with the reason; and browser recordings left idle, finished by the
worker.

Shared by the web (``services.recordings``) and the worker's periodic round (``research.tasks``),
so it never sends a task itself: it creates the jobs and returns them, and the caller sends
them (as ``transcription.jobs`` does for the lease).
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from research import audio
from research.audio import store as audio_store
from research.models import Recording, RecordingStatus, TranscriptionJob
from research.selectors.consent import consent_missing
from research.transcription import jobs


def recording_probe(path) -> tuple[audio.AudioInfo, str]:
    """A stored file's description with its decoded length, and the reason it cannot be
    transcribed as it is ("" if it can). Over the duration cap is such a reason, not a
    refusal: the file is kept and its owner chooses what to transcribe. Other AudioErrors
    are raised."""
    try:
        return audio.probe(
            path, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
        ), ""
    except audio.AudioTooLong as error:
        info = audio.probe(
            path, max_bytes=audio_store.max_bytes(), max_seconds=math.inf, decode=False
        )
        whole = error.duration if error.duration is not None else info.duration
        return replace(info, duration=whole), over_cap_message(error.message)


def over_cap_message(reason: str) -> str:
    cap = audio.human_seconds(audio_store.max_seconds())
    return f"{reason} It is kept: transcribe its first {cap}, or split it into parts."


def recording_apply_info(recording: Recording, info: audio.AudioInfo, reason: str = "") -> None:
    recording.size_bytes = info.size
    recording.duration_seconds = info.duration
    recording.channels = info.channels
    recording.container = info.container
    recording.codec = info.codec
    recording.status = RecordingStatus.FAILED if reason else RecordingStatus.STORED
    recording.error = reason


def waits_for_consent(conversation) -> bool:
    """A transcription waits until every participant's consent covers it."""
    return bool(consent_missing(conversation=conversation, scope="may_transcribe"))


def recording_store_received(
    *,
    recording: Recording,
    created_by,
    split_channels: bool = False,
    idle_since: datetime | None = None,
) -> tuple[Recording, TranscriptionJob | None]:
    """Close a browser recording: stored with a new job (to be sent by the caller), or failed
    with the reason. The audio is kept either way; an unreadable file raises its AudioError
    after the recording is marked failed.

    ``idle_since``: the worker finishes it because no chunk came after that moment; if one
    did meanwhile, the recording is left receiving.
    """
    automatically = idle_since is not None
    try:
        info, reason = recording_probe(audio_store.path_of(recording))
    except audio.AudioError as error:
        with transaction.atomic():
            locked = Recording.objects.select_for_update().get(pk=recording.pk)
            if locked.status == RecordingStatus.RECEIVING and not _spoke_since(locked, idle_since):
                locked.status, locked.error = RecordingStatus.FAILED, error.message
                locked.finished_automatically = automatically
                locked.save()
        raise
    job = None
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if recording.status != RecordingStatus.RECEIVING or _spoke_since(recording, idle_since):
            return recording, None
        recording_apply_info(recording, info, reason)
        recording.finished_automatically = automatically
        recording.save()
        if not reason:
            job = jobs.job_create(
                recording=recording,
                created_by=created_by,
                split_channels=split_channels,
                waiting=waits_for_consent(recording.conversation),
            )
    # Browsers cannot seek in MediaRecorder's WebM (no duration, no cues): keep a seekable copy.
    audio.remux_for_playback(
        audio_store.path_of(recording), audio_store.playback_path(recording), info=info
    )
    return recording, job


def _spoke_since(recording: Recording, idle_since: datetime | None) -> bool:
    # A receiving recording is saved only when a chunk is appended, so updated_at is its
    # last chunk (or its start).
    return idle_since is not None and recording.updated_at >= idle_since


def recordings_idle(*, now: datetime | None = None) -> list[Recording]:
    """Browser recordings no chunk has reached for FIELDNOTES_RECORDING_IDLE_MINUTES."""
    cutoff = idle_cutoff(now)
    return list(
        Recording.objects.filter(status=RecordingStatus.RECEIVING, updated_at__lt=cutoff)
        .select_related("team", "created_by")
        .order_by("updated_at", "id")
    )


def idle_cutoff(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now - timedelta(minutes=settings.FIELDNOTES_RECORDING_IDLE_MINUTES)


def recordings_finish_idle(*, now: datetime | None = None) -> list[TranscriptionJob]:
    """Finish every idle browser recording (its tab closed or crashed): stored and marked
    finished automatically, or failed with the reason. Returns the jobs to send."""
    cutoff = idle_cutoff(now)
    created = []
    for recording in recordings_idle(now=now):
        try:
            _, job = recording_store_received(
                recording=recording, created_by=recording.created_by, idle_since=cutoff
            )
        except audio.AudioError:
            continue  # marked failed with the reason, shown on its page
        if job is not None:
            created.append(job)
    return created
