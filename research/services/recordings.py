"""Recordings: uploads attached, browser recordings received in chunks, transcription queued."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from research import audio, tasks
from research.audio import chunks as audio_chunks
from research.audio import store as audio_store
from research.audio.chunks import ReceivedChunk
from research.audio.uploads import StoredUpload
from research.models import (
    Conversation,
    JobStatus,
    Recording,
    RecordingChunk,
    RecordingStatus,
    TranscriptionJob,
)

MAX_CHUNK_BYTES = 50 * 1024 * 1024


def recording_attach_uploads(
    *,
    conversation: Conversation,
    uploads: Iterable[StoredUpload],
    created_by,
    split_channels: bool = False,
) -> list[Recording]:
    """Validate uploaded files and attach them all, queued for transcription, or none.

    The files are already on disk and fsynced (``DiskUploadHandler``). Each is
    probed first; any refusal raises AudioError and removes every file of the
    request. Rows are committed only after the files sit in their final place.
    """
    uploads = list(uploads)
    if not uploads:
        raise audio.EmptyAudio("Choose at least one audio file.")
    try:
        infos = [
            audio.probe(
                u.path, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
            )
            for u in uploads
        ]
    except audio.AudioError:
        for upload in uploads:
            upload.discard()
        raise
    recordings: list[Recording] = []
    try:
        with transaction.atomic():
            for upload, info in zip(uploads, infos, strict=True):
                recording = _recording_new(conversation, created_by, upload.name, info)
                recording.content_type = (upload.content_type or "")[:100]
                audio_store.move_into_place(upload.path, recording)
                recording.save()
                recordings.append(recording)
                tasks.transcription_enqueue(
                    recording=recording, created_by=created_by, split_channels=split_channels
                )
    except BaseException:
        for upload in uploads:
            upload.discard()
        for recording in recordings:
            audio_store.remove_recording_files(recording)
        raise
    return recordings


def _recording_new(conversation, created_by, name: str, info: audio.AudioInfo | None) -> Recording:
    recording = Recording(
        team=conversation.team,
        conversation=conversation,
        uid=uuid.uuid4(),
        original_name=os.path.basename(name or "")[:255],
        created_by=created_by,
    )
    recording.stored_name = audio_store.stored_name_for(recording)
    if info is not None:
        _apply_info(recording, info)
    return recording


def _apply_info(recording: Recording, info: audio.AudioInfo) -> None:
    recording.size_bytes = info.size
    recording.duration_seconds = info.duration
    recording.channels = info.channels
    recording.container = info.container
    recording.codec = info.codec
    recording.status = RecordingStatus.STORED
    recording.error = ""


def recording_start(*, conversation: Conversation, created_by, content_type: str) -> Recording:
    """Begin a browser recording: an empty private file that chunks are appended to."""
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    recording = _recording_new(conversation, created_by, f"Recording {stamp}", None)
    recording.content_type = content_type[:100]
    recording.status = RecordingStatus.RECEIVING
    path = audio_store.path_of(recording)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    audio_store.fsync_dir(path.parent)
    recording.save()
    return recording


def recording_chunk_store(*, recording: Recording, seq: int, chunk: ReceivedChunk) -> dict:
    """Store verified piece ``seq`` (0-based) of a browser recording; answer what is held.

    Pieces are appended in order. The same piece again (same digest) is a repeat and is stored
    once. The last piece sent again with another digest replaces it (its first copy cannot be
    trusted by the browser); an earlier one cannot be replaced (ValidationError). A gap means
    a piece was lost, which the browser retries, so it is refused rather than stored out of
    order. The incoming file is always removed.
    """
    try:
        with transaction.atomic():
            recording = Recording.objects.select_for_update().get(pk=recording.pk)
            if recording.status != RecordingStatus.RECEIVING:
                raise ValidationError("This recording is already finished.")
            held = {c.seq: c for c in recording.chunks.filter(seq__gte=seq - 1)}
            existing = held.get(seq)
            repeat = seq < recording.chunks_received and (
                existing is None or existing.sha256 == chunk.sha256
            )
            if not repeat:
                _chunk_write(recording, seq, chunk, existing)
    finally:
        chunk.discard()
    return {
        "seq": seq,
        "repeat": repeat,
        "received": recording.chunks_received,
        "bytes": recording.size_bytes,
    }


def _chunk_write(recording: Recording, seq: int, chunk: ReceivedChunk, existing) -> None:
    last = recording.chunks_received - 1
    if existing is not None and seq != last:
        raise ValidationError(f"Piece {seq} is already stored with other content.")
    if existing is None and seq != recording.chunks_received:
        raise ValidationError(f"Expected piece {recording.chunks_received}, got {seq}.")
    offset = existing.offset if existing is not None else recording.size_bytes
    limit = audio_store.max_bytes()
    if offset + chunk.size > limit:
        raise audio.AudioTooLarge(
            f"The recording reached the limit of {audio.human_bytes(limit)}; "
            "what was recorded before is kept."
        )
    audio_chunks.write_at(recording, chunk, offset=offset)
    if existing is None:
        RecordingChunk.objects.create(
            recording=recording, seq=seq, offset=offset, size=chunk.size, sha256=chunk.sha256
        )
        recording.chunks_received += 1
    else:
        existing.size, existing.sha256 = chunk.size, chunk.sha256
        existing.save(update_fields=["size", "sha256"])
    recording.size_bytes = offset + chunk.size
    recording.save(update_fields=["size_bytes", "chunks_received", "updated_at"])


def recording_finish(
    *, recording: Recording, created_by, split_channels: bool = False
) -> Recording:
    """Close a browser recording, validate it and queue it. The audio is kept even if
    refused: the recording is marked failed with the reason."""
    recording = Recording.objects.get(pk=recording.pk)
    if recording.status != RecordingStatus.RECEIVING:
        return recording
    try:
        info = audio.probe(
            audio_store.path_of(recording),
            max_bytes=audio_store.max_bytes(),
            max_seconds=audio_store.max_seconds(),
        )
    except audio.AudioError as error:
        Recording.objects.filter(pk=recording.pk, status=RecordingStatus.RECEIVING).update(
            status=RecordingStatus.FAILED, error=error.message, updated_at=timezone.now()
        )
        raise
    with transaction.atomic():
        recording = Recording.objects.select_for_update().get(pk=recording.pk)
        if recording.status != RecordingStatus.RECEIVING:
            return recording
        _apply_info(recording, info)
        recording.save()
        tasks.transcription_enqueue(
            recording=recording, created_by=created_by, split_channels=split_channels
        )
    # Browsers cannot seek in MediaRecorder's WebM (no duration, no cues): keep a seekable copy.
    audio.remux_for_playback(
        audio_store.path_of(recording), audio_store.playback_path(recording), info=info
    )
    return recording


def recording_retranscribe(
    *, recording: Recording, created_by, model_path: str = "", split_channels: bool = False
) -> TranscriptionJob:
    if recording.status != RecordingStatus.STORED:
        raise ValidationError("Only a stored recording can be transcribed.")
    if recording.jobs.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists():
        raise ValidationError("A transcription of this recording is already under way.")
    with transaction.atomic():
        return tasks.transcription_enqueue(
            recording=recording,
            created_by=created_by,
            model_path=model_path,
            split_channels=split_channels,
        )


def recording_files_forget(*, conversation: Conversation) -> None:
    """Remove a conversation's audio from disk once its deletion commits.

    Call inside the transaction that deletes the conversation: the files go only
    if the rows are really gone, so a failed delete never loses audio.
    """
    recordings = list(Recording.objects.filter(conversation=conversation))
    transaction.on_commit(
        lambda: [audio_store.remove_recording_files(recording) for recording in recordings]
    )
