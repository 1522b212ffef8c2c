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
            held = {c.seq: c for c in recording.chunks.filter(seq__gte=seq - 1)}
            existing = held.get(seq)
            repeat = seq < recording.chunks_received and (
                existing is None or existing.sha256 == chunk.sha256
            )
            if recording.status != RecordingStatus.RECEIVING and not repeat:
                _reopen_or_refuse(recording, seq)
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


def _reopen_or_refuse(recording: Recording, seq: int) -> None:
    """A device that was offline longer than the idle time sends the rest of a recording the
    worker finished automatically: it is received again (and finished, and transcribed, again
    once the device is done). Any other finished recording takes no more pieces."""
    if not (recording.finished_automatically and seq == recording.chunks_received):
        raise ValidationError("This recording is already finished.")
    recording.status, recording.error = RecordingStatus.RECEIVING, ""
    recording.finished_automatically = False
    recording.save(update_fields=["status", "error", "finished_automatically", "updated_at"])


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
