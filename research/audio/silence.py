"""Silencing stretches of a recording (erasure, withdrawn consent, redaction) in a re-encoded
copy: ffmpeg's volume filter with ``enable='between(t,a,b)'`` for each stretch."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from .errors import CorruptAudio
from .formats import input_args

SILENCE_TIMEOUT = 3600
# What each recognised container is written back as (the audio only).
OUTPUT_BY_CONTAINER = {
    "mp3": ("mp3", ["-c:a", "libmp3lame", "-q:a", "4"]),
    "mov": ("ipod", ["-c:a", "aac", "-b:a", "128k"]),
    "matroska": ("webm", ["-c:a", "libopus", "-b:a", "64k"]),
    "webm": ("webm", ["-c:a", "libopus", "-b:a", "64k"]),
    "ogg": ("ogg", ["-c:a", "libopus", "-b:a", "64k"]),
    "wav": ("wav", ["-c:a", "pcm_s16le"]),
    "flac": ("flac", ["-c:a", "flac"]),
}


def merged(ranges: Iterable[tuple[float, float]], pad: float = 0.05) -> list[tuple[float, float]]:
    """Overlapping or touching stretches joined, each widened by `pad` seconds."""
    out: list[list[float]] = []
    for start, end in sorted((max(0.0, a - pad), b + pad) for a, b in ranges if b > a):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(a, b) for a, b in out]


def volume_filter(ranges: Iterable[tuple[float, float]]) -> str:
    parts = [f"volume=0:enable='between(t,{a:.3f},{b:.3f})'" for a, b in merged(ranges)]
    return ",".join(parts) or "anull"


def silence(
    src: Path | str, dst: Path | str, *, container: str, ranges: Iterable[tuple[float, float]]
) -> Path:
    """Write `src` with `ranges` (seconds) silenced to `dst`, in `container`'s format; `dst`
    appears atomically and may be `src` itself (the original is then replaced)."""
    src, dst = Path(src), Path(dst)
    fmt, codec = OUTPUT_BY_CONTAINER.get(container, OUTPUT_BY_CONTAINER["wav"])
    tmp = dst.with_name(dst.name + ".silencing")
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", *input_args(src, container)]
    # No metadata is copied: tags may name people or hold what they said.
    cmd += ["-map", "0:a:0", "-map_metadata", "-1", "-vn", "-af", volume_filter(ranges)]
    cmd += [*codec, "-f", fmt]
    cmd += [f"file:{tmp.resolve()}"]
    try:
        done = subprocess.run(cmd, capture_output=True, timeout=SILENCE_TIMEOUT, check=False)
        if done.returncode != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            raise CorruptAudio("The audio could not be re-encoded to silence a part of it.")
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst
