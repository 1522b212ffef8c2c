"""Recordings: uploads attached, browser recordings received in chunks, transcription queued."""

from __future__ import annotations

import math
import os
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from research import audio, tasks
from research.audio import store as audio_store
from research.audio.uploads import StoredUpload
from research.models import Conversation, JobStatus, Recording, RecordingStatus, TranscriptionJob

from . import receiving
from .consent import consent_require
from .receiving import waits_for_consent

MAX_CHUNK_BYTES = 50 * 1024 * 1024


def recording_attach_uploads(
    *,
    conversation: Conversation,
    uploads: Iterable[StoredUpload],
    created_by,
    split_channels: bool = False,
) -> list[Recording]:
    """Validate uploaded files and attach them all, or none; queue those that can be
    transcribed as they are.

    The files are already on disk and fsynced (``DiskUploadHandler``). Each is probed first
    (its length decoded); any refusal raises AudioError and removes every file of the request.
    A file over the duration cap is kept, marked failed with the choice to offer (its first
    part or split). Rows are committed only after the files sit in their final place.
    """
    uploads = list(uploads)
    _require_recording_consent(conversation, uploads)
    if not uploads:
        raise audio.EmptyAudio("Choose at least one audio file.")
    try:
        infos = [_probe(u) for u in uploads]
    except audio.AudioError:
        for upload in uploads:
            upload.discard()
        raise
    return _attach(conversation, uploads, infos, created_by, split_channels)


def recording_attach_good_uploads(
    *,
    conversation: Conversation,
    uploads: Iterable[StoredUpload],
    created_by,
    split_channels: bool = False,
) -> tuple[list[Recording], list[tuple[str, audio.AudioError]]]:
    """Several files at once: the good ones are attached, each bad one is named with why it
    was refused (and removed). Only when no file is good is the upload refused as a whole:
    AudioError naming every file."""
    uploads = list(uploads)
    _require_recording_consent(conversation, uploads)
    if not uploads:
        raise audio.EmptyAudio("Choose at least one audio file.")
    good, infos, refused = [], [], []
    for upload in uploads:
        try:
            infos.append(_probe(upload))
            good.append(upload)
        except audio.AudioError as error:
            upload.discard()
            refused.append((upload.name or "a file", error))
    if not good:
        first = refused[0][1]
        raise type(first)(refused_text(refused))
    return _attach(conversation, good, infos, created_by, split_channels), refused


def _require_recording_consent(conversation: Conversation, uploads: list[StoredUpload]) -> None:
    """Refused (ValidationError, the files removed) unless everyone agreed to be recorded."""
    try:
        consent_require(conversation=conversation, scope="may_record")
    except ValidationError:
        for upload in uploads:
            upload.discard()
        raise


def refused_text(refused: list[tuple[str, audio.AudioError]]) -> str:
    return " ".join(f"{name}: {error.message}" for name, error in refused)


def _probe(upload: StoredUpload) -> tuple[audio.AudioInfo, str]:
    """The file's info (length decoded) and, when it is over the duration cap, why."""
    return receiving.recording_probe(upload.path)


def _attach(conversation, uploads, infos, created_by, split_channels) -> list[Recording]:
    recordings: list[Recording] = []
    try:
        with transaction.atomic():
            for upload, (info, reason) in zip(uploads, infos, strict=True):
                recording = _recording_new(conversation, created_by, upload.name)
                receiving.recording_apply_info(recording, info, reason)
                recording.content_type = (upload.content_type or "")[:100]
                audio_store.move_into_place(upload.path, recording)
                recording.save()
                recordings.append(recording)
                if not reason:
                    tasks.transcription_enqueue(
                        recording=recording,
                        created_by=created_by,
                        split_channels=split_channels,
                        waiting=waits_for_consent(conversation),
                    )
    except BaseException:
        for upload in uploads:
            upload.discard()
        for recording in recordings:
            audio_store.remove_recording_files(recording)
        raise
    return recordings


def _recording_new(conversation, created_by, name: str) -> Recording:
    recording = Recording(
        team=conversation.team,
        conversation=conversation,
        uid=uuid.uuid4(),
        original_name=os.path.basename(name or "")[:255],
        created_by=created_by,
    )
    recording.stored_name = audio_store.stored_name_for(recording)
    return recording


def recording_start(*, conversation: Conversation, created_by, content_type: str) -> Recording:
    """Begin a browser recording: an empty private file that chunks are appended to.
    Refused (ValidationError) unless every participant's consent covers recording."""
    consent_require(conversation=conversation, scope="may_record")
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    recording = _recording_new(conversation, created_by, f"Recording {stamp}")
    recording.content_type = content_type[:100]
    recording.status = RecordingStatus.RECEIVING
    path = audio_store.path_of(recording)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    audio_store.fsync_dir(path.parent)
    recording.save()
    # The reaper's round finishes this recording if its tab dies: make sure one is waiting.
    transaction.on_commit(tasks.reaper_schedule)
    return recording


def recording_append_chunk(*, recording: Recording, seq: int, stream) -> Recording:
    """Append chunk ``seq`` (0-based) durably; a repeated chunk is accepted and ignored.

    Chunks arrive in order from one tab; a gap means a lost chunk, which the
    client retries, so it is refused (ValidationError) rather than stored out of order.
    """
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if recording.status != RecordingStatus.RECEIVING:
            raise ValidationError("This recording is already finished.")
        if seq < recording.chunks_received:
            return recording
        if seq > recording.chunks_received:
            raise ValidationError(f"Expected chunk {recording.chunks_received}, got {seq}.")
        limit = min(audio_store.max_bytes(), recording.size_bytes + MAX_CHUNK_BYTES)
        written = audio_store.append_stream(recording, stream, limit=limit)
        recording.size_bytes += written
        recording.chunks_received += 1
        recording.save(update_fields=["size_bytes", "chunks_received", "updated_at"])
    return recording


def recording_finish(
    *, recording: Recording, created_by, split_channels: bool = False
) -> Recording:
    """Close a browser recording, validate it and queue it. The audio is kept even if
    refused: the recording is marked failed with the reason (AudioError raised), or, over the
    duration cap, failed with the choice of what to transcribe (returned, not raised)."""
    recording = Recording.objects.get(pk=recording.pk)
    if recording.status != RecordingStatus.RECEIVING:
        return recording
    recording, job = receiving.recording_store_received(
        recording=recording, created_by=created_by, split_channels=split_channels
    )
    if job is not None:
        tasks.transcription_send(job=job)
    return recording


def recording_retranscribe(
    *, recording: Recording, created_by, model_path: str = "", split_channels: bool = False
) -> TranscriptionJob:
    if recording.status != RecordingStatus.STORED:
        raise ValidationError("Only a stored recording can be transcribed.")
    active = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.WAITING]
    if recording.jobs.filter(status__in=active).exists():
        raise ValidationError("A transcription of this recording is already under way.")
    with transaction.atomic():
        return tasks.transcription_enqueue(
            recording=recording,
            waiting=waits_for_consent(recording.conversation),
            created_by=created_by,
            model_path=model_path,
            split_channels=split_channels,
        )


def _over_cap_locked(recording: Recording) -> Recording:
    locked = Recording.objects.select_for_update().get(pk=recording.pk)
    if not locked.awaits_choice:
        raise ValidationError("Only a recording kept for being too long offers this choice.")
    return locked


def recording_transcribe_first_part(*, recording: Recording, created_by) -> TranscriptionJob:
    """Transcribe a too-long recording up to the duration cap; the whole audio stays."""
    with transaction.atomic():
        recording = _over_cap_locked(recording)
        recording.status, recording.error = RecordingStatus.STORED, ""
        recording.save(update_fields=["status", "error", "updated_at"])
        return tasks.transcription_enqueue(recording=recording, created_by=created_by)


def recording_split(*, recording: Recording, created_by) -> list[Recording]:
    """Split a too-long recording into parts of equal time, each under the duration cap,
    each a recording of the same conversation queued for transcription; the original goes.

    The audio is copied, not re-encoded. Nothing changes unless every part is stored.
    """
    recording = Recording.objects.select_related("conversation", "team").get(pk=recording.pk)
    if not recording.awaits_choice:
        raise ValidationError("Only a recording kept for being too long offers this choice.")
    cap = audio_store.max_seconds()
    if recording.duration_seconds <= cap:
        raise ValidationError("This recording is short enough to be transcribed whole.")
    source = audio_store.path_of(recording)
    # Equal parts a little under the cap: the cut falls on the packet nearest each boundary.
    count = math.ceil(recording.duration_seconds / (cap * 0.99))
    work = audio_store.incoming_path().with_suffix("")
    parts: list[Recording] = []
    try:
        info = audio.probe(source, max_bytes=math.inf, max_seconds=math.inf, decode=False)
        info = replace(info, duration=recording.duration_seconds)
        pieces = audio.split(source, work, info=info, parts=count)
        probed = [receiving.recording_probe(piece) for piece in pieces]
        if any(reason for _, reason in probed):
            raise audio.CorruptAudio("The recording could not be split into short enough parts.")
        stem = recording.original_name.rsplit(".", 1)[0] or "Recording"
        with transaction.atomic():
            _over_cap_locked(recording)
            for i, (piece, (piece_info, _)) in enumerate(zip(pieces, probed, strict=True)):
                name = f"{stem} (part {i + 1} of {len(pieces)})"
                part = _recording_new(recording.conversation, created_by, name)
                receiving.recording_apply_info(part, piece_info)
                part.content_type = recording.content_type
                audio_store.move_into_place(piece, part)
                part.save()
                parts.append(part)
                tasks.transcription_enqueue(recording=part, created_by=created_by)
            recording.delete()
            transaction.on_commit(lambda: audio_store.remove_recording_files(recording))
    except BaseException:
        for part in parts:
            audio_store.remove_recording_files(part)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for part, (piece_info, _) in zip(parts, probed, strict=True):
        # Segment-muxed WebM has no duration in its header: a seekable copy, as for recordings.
        path = audio_store.path_of(part)
        audio.remux_for_playback(path, audio_store.playback_path(part), info=piece_info)
    return parts


def recording_files_forget(*, conversation: Conversation) -> None:
    """Remove a conversation's audio from disk once its deletion commits.

    Call inside the transaction that deletes the conversation: the files go only
    if the rows are really gone, so a failed delete never loses audio.
    """
    recordings = list(Recording.objects.filter(conversation=conversation))
    transaction.on_commit(
        lambda: [audio_store.remove_recording_files(recording) for recording in recordings]
    )
