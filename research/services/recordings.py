"""Recordings: uploads attached, browser recordings received in chunks, transcription queued."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from research import audio, tasks
from research.audio import store as audio_store
from research.audio.uploads import StoredUpload
from research.models import Conversation, JobStatus, Recording, RecordingStatus, TranscriptionJob

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


def refused_text(refused: list[tuple[str, audio.AudioError]]) -> str:
    return " ".join(f"{name}: {error.message}" for name, error in refused)


def _probe(upload: StoredUpload):
    return audio.probe(
        upload.path, max_bytes=audio_store.max_bytes(), max_seconds=audio_store.max_seconds()
    )


def _attach(conversation, uploads, infos, created_by, split_channels) -> list[Recording]:
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
