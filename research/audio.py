"""Probe, validate and normalise audio files with ffmpeg.

Nothing here trusts a file name or lets ffmpeg guess a format. The container is
recognised from its first bytes (magic numbers) against an allowlist, and then
ffprobe/ffmpeg are run with that demuxer forced (``-f``) and only the ``file``
protocol allowed. A playlist, concat script or image sequence renamed ``.mp3``
is therefore refused before ffmpeg sees it, and no demuxer that can open other
files (hls, concat, image2, ...) is ever reachable.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

GIB = 1024**3
DEFAULT_MAX_BYTES = 2 * GIB
DEFAULT_MAX_SECONDS = 4 * 3600
SAMPLE_RATE = 16_000
PROBE_TIMEOUT = 120
NORMALISE_TIMEOUT = 3600

# Demuxer forced for each recognised container, and the audio codecs accepted in it.
ALLOWED_CODECS: dict[str, frozenset[str]] = {
    "mp3": frozenset({"mp3"}),
    "mov": frozenset({"aac", "mp3", "alac"}),
    "matroska": frozenset({"opus", "vorbis", "aac", "mp3", "flac"}),
    "ogg": frozenset({"opus", "vorbis", "flac"}),
    "wav": frozenset(
        {
            "pcm_s16le",
            "pcm_s24le",
            "pcm_s32le",
            "pcm_f32le",
            "pcm_f64le",
            "pcm_u8",
            "pcm_alaw",
            "pcm_mulaw",
        }
    ),
    "flac": frozenset({"flac"}),
}
ACCEPTED_FORMATS_TEXT = "MP3, M4A/MP4 (AAC), WebM or Ogg (Opus), WAV or FLAC"


class AudioError(Exception):
    """A file we refuse; ``message`` is safe to show to users."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyAudio(AudioError):
    status = 400


class CorruptAudio(AudioError):
    status = 400


class UnsupportedAudio(AudioError):
    status = 415


class AudioTooLarge(AudioError):
    status = 413


class AudioTooLong(AudioError):
    status = 413


@dataclass(frozen=True)
class AudioInfo:
    """What probing found: the forced demuxer, the audio codec and the length."""

    container: str
    codec: str
    channels: int
    sample_rate: int
    duration: float
    has_video: bool
    size: int


def sniff_container(head: bytes) -> str | None:
    """Name the demuxer for a file from its first bytes, or None if not allowed."""
    if head.startswith(b"fLaC"):
        return "flac"
    if head.startswith(b"OggS"):
        return "ogg"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "mov"
    if head.startswith(b"ID3"):
        return "mp3"
    # An MPEG audio frame header: 11 sync bits, then layer III (bits 01).
    is_frame_sync = len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
    if is_frame_sync and (head[1] >> 1) & 0x3 == 0x1:
        return "mp3"
    return None


def _input_args(path: Path, container: str) -> list[str]:
    return [
        "-protocol_whitelist",
        "file",
        "-f",
        container,
        "-i",
        f"file:{path.resolve()}",
    ]


def check_size(size: int, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse empty files and files over the cap (also usable while streaming)."""
    if size == 0:
        raise EmptyAudio("The file is empty.")
    if size > max_bytes:
        raise AudioTooLarge(f"The file is larger than the limit of {human_bytes(max_bytes)}.")


def probe(
    path: Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> AudioInfo:
    """Validate a stored file and describe it; raise an AudioError to refuse it."""
    path = Path(path)
    if not path.is_file():
        raise EmptyAudio("No audio was received.")
    size = path.stat().st_size
    check_size(size, max_bytes=max_bytes)
    with path.open("rb") as fh:
        head = fh.read(64)
    container = sniff_container(head)
    if container is None:
        raise UnsupportedAudio(
            f"This file is not an audio format we accept. Please upload {ACCEPTED_FORMATS_TEXT}."
        )
    data = _ffprobe_json(path, container)
    streams = data.get("streams") or []
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    if not audio:
        raise UnsupportedAudio("The file has no audio track.")
    stream = audio[0]
    codec = stream.get("codec_name") or "unknown"
    if codec not in ALLOWED_CODECS[container]:
        raise UnsupportedAudio(
            f"The audio codec ({codec}) is not one we accept. "
            f"Please upload {ACCEPTED_FORMATS_TEXT}."
        )
    duration = _float(stream.get("duration")) or _float(data.get("format", {}).get("duration"))
    if duration is None:
        # MediaRecorder webm (and some streams) carry no duration in the header.
        duration = measure_duration(path, container, stop_after=max_seconds)
    if duration > max_seconds:
        raise AudioTooLong(
            f"The recording is longer than the limit of {_human_seconds(max_seconds)}."
        )
    if duration <= 0:
        raise CorruptAudio("The file contains no audio we could read.")
    return AudioInfo(
        container=container,
        codec=codec,
        channels=int(stream.get("channels") or 0),
        sample_rate=int(stream.get("sample_rate") or 0),
        duration=duration,
        has_video=any(s.get("codec_type") == "video" for s in streams),
        size=size,
    )


def _ffprobe(path: Path, container: str, entries: str, output: str, *extra: str) -> list[str]:
    """An ffprobe command line for ``entries``, with the container's demuxer forced."""
    return [
        "ffprobe",
        "-v",
        "error",
        *_input_args(path, container),
        *extra,
        "-show_entries",
        entries,
        "-of",
        output,
    ]


def _ffprobe_json(path: Path, container: str) -> dict:
    entries = "format=duration:stream=codec_type,codec_name,channels,sample_rate,duration"
    cmd = _ffprobe(path, container, entries, "json")
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=PROBE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise CorruptAudio("The file took too long to read; it may be damaged.") from exc
    if done.returncode != 0:
        raise CorruptAudio("The file could not be read as audio; it may be damaged or truncated.")
    try:
        return json.loads(done.stdout or b"{}")
    except ValueError as exc:
        raise CorruptAudio("The file could not be read as audio.") from exc


def measure_duration(path: Path | str, container: str, *, stop_after: float | None = None) -> float:
    """Length of the first audio track from its packets, for headers without one.

    Reads packet timestamps as a stream and stops as soon as ``stop_after`` is
    passed, so a huge file over the cap is refused without reading all of it.
    """
    cmd = _ffprobe(
        Path(path), container, "packet=pts_time,duration_time", "csv=p=0", "-select_streams", "a:0"
    )
    first: float | None = None
    end = 0.0
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        for raw in proc.stdout:
            parts = raw.decode("ascii", "replace").strip().split(",")
            pts = _float(parts[0]) if parts else None
            if pts is None:
                continue
            dur = _float(parts[1]) if len(parts) > 1 else None
            first = pts if first is None else min(first, pts)
            end = max(end, pts + (dur or 0.0))
            if stop_after is not None and end - first > stop_after:
                proc.kill()
                break
        proc.wait(timeout=PROBE_TIMEOUT)
    return 0.0 if first is None else end - first


def normalise(
    src: Path | str,
    dst: Path | str,
    *,
    info: AudioInfo,
    channel: int | None = None,
    max_seconds: float = DEFAULT_MAX_SECONDS,
) -> Path:
    """Write 16 kHz mono 16-bit WAV for Whisper; ``channel`` picks one input channel.

    A truncated file yields what could be decoded; a file that yields nothing
    raises CorruptAudio. The output appears atomically (temp file, rename).
    """
    src, dst = Path(src), Path(dst)
    tmp = dst.with_name(dst.name + ".part")
    mix = f"pan=mono|c0=c{channel}" if channel is not None else "aresample=async=1"
    cmd = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-y",
        *_input_args(src, info.container),
        "-map",
        "0:a:0",
        "-vn",
        "-af",
        mix,
        "-ac",
        "1",
        "-ar",
        str(SAMPLE_RATE),
        "-c:a",
        "pcm_s16le",
        "-t",
        str(max_seconds),
        "-f",
        "wav",
        f"file:{tmp.resolve()}",
    ]
    try:
        subprocess.run(cmd, capture_output=True, timeout=NORMALISE_TIMEOUT, check=False)
        # ffmpeg exits non-zero on a truncated tail; what it decoded is still usable.
        if not tmp.exists() or tmp.stat().st_size <= 44:
            raise CorruptAudio("No audio could be decoded from the file; it may be damaged.")
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst


def remux_for_playback(src: Path | str, dst: Path | str, *, info: AudioInfo) -> Path | None:
    """Copy a MediaRecorder WebM's audio into a WebM with duration and cues, so that
    browsers can show its length and seek; the original stays untouched. None if
    there is nothing to fix or the copy fails (playback then uses the original)."""
    if info.container != "matroska":
        return None
    src, dst = Path(src), Path(dst)
    tmp = dst.with_name(dst.name + ".part")
    cmd = [
        "ffmpeg",
        "-nostdin",
        "-v",
        "error",
        "-y",
        *_input_args(src, info.container),
        "-map",
        "0:a:0",
        "-c",
        "copy",
        "-f",
        "webm",
        f"file:{tmp.resolve()}",
    ]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=NORMALISE_TIMEOUT, check=False)
        if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            return None
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst


def wav_duration(path: Path | str) -> float:
    """Seconds in a WAV written by ``normalise`` (16-bit mono)."""
    import wave

    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def _float(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result


def human_bytes(size: int) -> str:
    for unit, factor in (("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def _human_seconds(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
