"""Converting stored audio: 16 kHz mono WAV for Whisper, a seekable WebM for playback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import CorruptAudio
from .formats import input_args
from .probe import AudioInfo

SAMPLE_RATE = 16_000
CONVERT_TIMEOUT = 3600


def _convert(src: Path, out: Path, info: AudioInfo, *options: str) -> int:
    """Run ffmpeg on the first audio track of `src` into `out`; its exit code."""
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-y", *input_args(src, info.container)]
    cmd += ["-map", "0:a:0", *options, f"file:{out.resolve()}"]
    return subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False).returncode


def normalise(
    src: Path | str,
    dst: Path | str,
    *,
    info: AudioInfo,
    channel: int | None = None,
    max_seconds: float,
) -> Path:
    """Write 16 kHz mono 16-bit WAV for Whisper; ``channel`` picks one input channel.

    A truncated file yields what could be decoded; a file that yields nothing
    raises CorruptAudio. The output appears atomically (temp file, rename).
    """
    src, dst = Path(src), Path(dst)
    mix = f"pan=mono|c0=c{channel}" if channel is not None else "aresample=async=1"
    options = ["-vn", "-af", mix, "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le"]
    options += ["-t", str(max_seconds), "-f", "wav"]
    tmp = dst.with_name(dst.name + ".part")
    try:
        _convert(src, tmp, info, *options)
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
    try:
        code = _convert(src, tmp, info, "-c", "copy", "-f", "webm")
        if code != 0 or not tmp.exists() or tmp.stat().st_size == 0:
            return None
        os.replace(tmp, dst)
    finally:
        tmp.unlink(missing_ok=True)
    return dst


# The muxer each container's audio is copied into when a recording is split.
SPLIT_FORMATS = {
    "mp3": "mp3",
    "flac": "flac",
    "ogg": "ogg",
    "wav": "wav",
    "matroska": "matroska",
    "mov": "mp4",
}


def split(src: Path | str, out_dir: Path | str, *, info: AudioInfo, parts: int) -> list[Path]:
    """Cut the first audio track into ``parts`` pieces of equal time: ``out_dir/part000`` and
    on. Raises CorruptAudio if none came out.

    Audio is copied without re-encoding by ffmpeg's segment muxer, which cuts at the packet
    nearest each boundary. FLAC is the exception: its frames carry their own sample numbers,
    so a copied (or segment-muxed) part still starts at 0:03 of an 0:11 stream in a browser;
    each FLAC part is encoded again, losslessly, by its own ffmpeg run.
    """
    src, out_dir = Path(src), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    bounds = [info.duration * k / parts for k in range(parts + 1)]
    base = ["ffmpeg", "-nostdin", "-v", "error", "-y"]
    if info.container == "flac":
        for k in range(parts):
            cut = ["-ss", f"{bounds[k]:.3f}"] + (
                ["-t", f"{bounds[k + 1] - bounds[k]:.3f}"] if k < parts - 1 else []
            )
            cmd = [*base, *cut, *input_args(src, info.container), "-map", "0:a:0", "-vn"]
            cmd += ["-c:a", "flac", "-f", "flac", f"file:{out_dir.resolve()}/part{k:03d}"]
            subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
    else:
        times = ",".join(f"{t:.3f}" for t in bounds[1:-1])
        options = ["-vn", "-c", "copy", "-f", "segment", "-segment_times", times]
        options += ["-segment_format", SPLIT_FORMATS[info.container], "-reset_timestamps", "1"]
        cmd = [*base, *input_args(src, info.container), "-map", "0:a:0", *options]
        cmd.append(f"file:{out_dir.resolve()}/part%03d")
        subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT, check=False)
    found = sorted(p for p in out_dir.glob("part[0-9][0-9][0-9]") if p.stat().st_size > 0)
    if not found:
        raise CorruptAudio("The recording could not be split; it may be damaged.")
    return found
