"""What a stored file holds: its container, audio codec, channels and length.

The length recorded for a recording is measured by decoding it (``decoded_duration``): a header
can claim more than the file holds (a truncated MP3 keeps its header's 20 s when 7.4 s decode),
and MediaRecorder's WebM has no length in its header at all. Without decoding (``decode=False``,
for a worker re-reading a file already measured) lengths come from the stream header or, where
it has none, from the packets themselves.
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
COUNT_RATE = 8000  # samples per second decoded to count a length (one byte each)
PIPE_PIECE = 16 * 1024  # two seconds: decoding stops within that of the cap


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
    decode: bool = True,
) -> AudioInfo:
    """Validate a stored file and describe it; raise an AudioError to refuse it.

    ``decode`` measures the length by decoding the audio (stopping soon after ``max_seconds``);
    without it the header's length is trusted.
    """
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
    if decode:
        duration = decoded_duration(path, container, stop_after=max_seconds)
    else:
        duration = _float(stream.get("duration")) or _float(data.get("format", {}).get("duration"))
    if duration is None:
        # MediaRecorder webm (and some streams) carry no duration in the header.
        duration = measure_duration(path, container, stop_after=max_seconds)
    if duration > max_seconds:
        # Decoding stopped at the cap: the packets tell the whole length without decoding.
        whole = max(duration, measure_duration(path, container))
        raise AudioTooLong(
            f"The recording is longer than the limit of {human_seconds(max_seconds)}.",
            duration=whole,
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


def decoded_duration(path: Path | str, container: str, *, stop_after: float | None = None) -> float:
    """Seconds of audio the first audio track really decodes to (samples counted).

    ffmpeg decodes to 8 kHz mono bytes on a pipe, which are counted: a truncated file counts
    what decodes, whatever its header says. ffmpeg's own ``time=`` progress is not used: it
    reports the last packet's timestamp, which overstates a damaged tail. Stops reading once
    ``stop_after`` is passed, so a file over the cap is not decoded to its end.
    """
    cmd = ["ffmpeg", "-nostdin", "-v", "quiet", *input_args(Path(path), container)]
    cmd += ["-map", "0:a:0", "-vn", "-ac", "1", "-ar", str(COUNT_RATE), "-f", "u8", "pipe:1"]
    samples = 0
    limit = None if stop_after is None else (stop_after + 1) * COUNT_RATE
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) as proc:
        assert proc.stdout is not None
        while piece := proc.stdout.read1(PIPE_PIECE):
            samples += len(piece)
            if limit is not None and samples > limit:
                proc.kill()
                break
        proc.wait(timeout=PROBE_TIMEOUT)
    return samples / COUNT_RATE


def _float(value: object) -> float | None:
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(result) else result
