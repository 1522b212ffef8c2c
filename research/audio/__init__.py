"""Audio files: recognised by their first bytes, probed and converted with ffmpeg, kept private.

Nothing here trusts a file name or lets ffmpeg guess a format. The container is recognised from
its first bytes (magic numbers) against an allowlist (``formats``), and then ffprobe/ffmpeg are
run with that demuxer forced (``-f``) and only the ``file`` protocol allowed (``probe``,
``convert``). A playlist, concat script or image sequence renamed ``.mp3`` is therefore refused
before ffmpeg sees it, and no demuxer that can open other files (hls, concat, image2, ...) is
ever reachable. ``store`` says where recordings live on disk; ``uploads`` streams uploaded files
there.
"""

from .convert import normalise, remux_for_playback, split
from .errors import (
    AudioError,
    AudioTooLarge,
    AudioTooLong,
    CorruptAudio,
    EmptyAudio,
    UnsupportedAudio,
    human_bytes,
    human_seconds,
)
from .formats import ACCEPTED_FORMATS_TEXT, ALLOWED_CODECS, sniff_container
from .probe import AudioInfo, check_size, decoded_duration, measure_duration, probe

__all__ = [
    "ACCEPTED_FORMATS_TEXT",
    "ALLOWED_CODECS",
    "AudioError",
    "AudioInfo",
    "AudioTooLarge",
    "AudioTooLong",
    "CorruptAudio",
    "EmptyAudio",
    "UnsupportedAudio",
    "check_size",
    "decoded_duration",
    "human_bytes",
    "human_seconds",
    "measure_duration",
    "normalise",
    "probe",
    "remux_for_playback",
    "sniff_container",
    "split",
]
