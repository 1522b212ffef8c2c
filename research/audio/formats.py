"""Which containers and codecs are accepted, recognised from a file's first bytes."""

from pathlib import Path

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


def input_args(path: Path, container: str) -> list[str]:
    """ffmpeg/ffprobe input options: the recognised demuxer forced, only local files read."""
    return [
        "-protocol_whitelist",
        "file",
        "-f",
        container,
        "-i",
        f"file:{path.resolve()}",
    ]
