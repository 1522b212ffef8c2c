"""Where recordings live on disk, and how bytes get there safely.

Audio sits under ``settings.AUDIO_ROOT`` (never a public URL) at
``<team uid>/<recording uid>/original``; the uploaded file name is display text
only. Uploads stream straight into ``AUDIO_ROOT/incoming`` in small pieces and
are fsynced, then renamed into place, so a 2xx always means the bytes are on
disk. Normalised WAVs for Whisper are derived files kept beside the original.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from django.conf import settings

PIECE = 256 * 1024


def root() -> Path:
    return Path(settings.AUDIO_ROOT)


def max_bytes() -> int:
    return settings.FIELDNOTES_MAX_UPLOAD_BYTES


def max_seconds() -> float:
    return float(settings.FIELDNOTES_MAX_DURATION_SECONDS)


def stored_name_for(recording) -> str:
    return f"{recording.team.uid}/{recording.uid}/original"


def path_of(recording) -> Path:
    return root() / recording.stored_name


def derived_path(recording, name: str) -> Path:
    return path_of(recording).with_name(name)


def playback_path(recording) -> Path:
    return derived_path(recording, "playback.webm")


def masked_path(recording) -> Path:
    """A copy with the words of people who withdrew consent silenced (served instead)."""
    return derived_path(recording, "masked")


def playback_file(recording) -> Path:
    """What the audio view serves: the masked copy while one exists, else a seekable copy if
    one was made, else the original."""
    for copy in (masked_path(recording), playback_path(recording)):
        if copy.is_file():
            return copy
    return path_of(recording)


def audio_files(recording) -> list[Path]:
    """Every file of the recording that holds its sound: the original and derived copies."""
    if not recording.stored_name or not path_of(recording).parent.is_dir():
        return []
    return sorted(p for p in path_of(recording).parent.iterdir() if p.is_file())


def incoming_path() -> Path:
    directory = root() / "incoming"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{uuid.uuid4().hex}.part"


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def move_into_place(src: Path, recording) -> None:
    """Rename an fsynced incoming file to the recording's private path, durably."""
    dst = path_of(recording)
    dst.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, dst)
    fsync_dir(dst.parent)


def remove_recording_files(recording) -> None:
    if recording.stored_name:
        shutil.rmtree(path_of(recording).parent, ignore_errors=True)
