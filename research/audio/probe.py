"""What a stored file holds: its container, audio codec, channels and length.

Lengths come from the stream or, where the header has none (MediaRecorder's WebM), from the
packets themselves.
"""

from __future__ import annotations

import json
import math
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import (
    AudioTooLarge,
    AudioTooLong,
    CorruptAudio,
    EmptyAudio,
    UnsupportedAudio,
    human_bytes,
    human_seconds,
)
from .formats import ACCEPTED_FORMATS_TEXT, ALLOWED_CODECS, input_args, sniff_container

PROBE_TIMEOUT = 120


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


def check_size(size: int, *, max_bytes: int) -> None:
    """Refuse empty files and files over the cap (also usable while streaming)."""
    if size == 0:
        raise EmptyAudio("The file is empty.")
    if size > max_bytes:
        raise AudioTooLarge(f"The file is larger than the limit of {human_bytes(max_bytes)}.")


def probe(
    path: Path | str,
    *,
    max_bytes: int,
    max_seconds: float,
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
            f"The recording is longer than the limit of {human_seconds(max_seconds)}."
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
        *input_args(path, container),
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


def _float(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result
