"""research.audio on real files with the real ffmpeg: what is accepted, what is refused."""

import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from research import audio
from tests.builders import FIXTURES, JFK, wav_duration

# The caps an app started with the default settings applies: 2 GiB and 4 hours.
MAX_SECONDS = 4 * 3600
CAPS = {"max_bytes": 2 * 1024**3, "max_seconds": MAX_SECONDS}


def encode(tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(JFK), *args, str(out)], check=True)
    return out


@pytest.mark.parametrize(
    ("name", "args", "container", "codec"),
    [
        ("a.mp3", ["-c:a", "libmp3lame"], "mp3", "mp3"),
        ("a.m4a", ["-c:a", "aac"], "mov", "aac"),
        ("a.webm", ["-c:a", "libopus"], "matroska", "opus"),
        ("a.ogg", ["-c:a", "libopus"], "ogg", "opus"),
        ("a.wav", [], "wav", "pcm_s16le"),
        ("a.flac", [], "flac", "flac"),
    ],
)
def test_accepted_formats_probe_and_normalise(tmp_path, name, args, container, codec):
    src = encode(tmp_path, name, *args)
    info = audio.probe(src, **CAPS)
    assert (info.container, info.codec) == (container, codec)
    assert info.duration == pytest.approx(11.0, abs=0.1)
    out = audio.normalise(src, tmp_path / "out.wav", info=info, max_seconds=MAX_SECONDS)
    assert wav_duration(out) == pytest.approx(11.0, abs=0.1)


def test_format_is_found_by_content_not_name(tmp_path):
    src = encode(tmp_path, "really-ogg.mp3", "-c:a", "libopus", "-f", "ogg")
    assert audio.probe(src, **CAPS).container == "ogg"


def test_video_gives_its_audio_track(tmp_path):
    out = tmp_path / "clip.mp4"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=64x48:rate=5",
            "-i",
            str(JFK),
            "-shortest",
            "-c:v",
            "libx264",
            "-c:a",
            "aac",
            str(out),
        ],
        check=True,
    )
    info = audio.probe(out, **CAPS)
    assert info.has_video and info.codec == "aac"
    wav = audio.normalise(out, tmp_path / "out.wav", info=info, max_seconds=MAX_SECONDS)
    assert wav_duration(wav) == pytest.approx(11.0, abs=0.2)


def test_webm_without_duration_header_is_measured_from_packets(tmp_path):
    # Written to a pipe like MediaRecorder output: no duration, no cues.
    out = tmp_path / "rec.webm"
    with out.open("wb") as fh:
        subprocess.run(
            [
                "ffmpeg",
                "-v",
                "error",
                "-i",
                str(JFK),
                "-c:a",
                "libopus",
                "-f",
                "webm",
                "pipe:1",
            ],
            stdout=fh,
            check=True,
        )
    header = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-show_entries",
            "format=duration",
            "-of",
            "csv=p=0",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert header.stdout.strip() == "N/A"
    assert audio.probe(out, **CAPS).duration == pytest.approx(11.0, abs=0.1)
    with pytest.raises(audio.AudioTooLong) as err:
        audio.probe(out, **{**CAPS, "max_seconds": 5})
    assert err.value.status == 413


def test_stereo_channels_are_split(tmp_path):
    src = FIXTURES / "stereo_diarization.wav"
    info = audio.probe(src, **CAPS)
    assert info.channels == 2
    left = audio.normalise(src, tmp_path / "l.wav", info=info, channel=0, max_seconds=MAX_SECONDS)
    right = audio.normalise(src, tmp_path / "r.wav", info=info, channel=1, max_seconds=MAX_SECONDS)
    assert left.read_bytes() != right.read_bytes()
    assert wav_duration(left) == pytest.approx(5.0, abs=0.05)


def fifo_has_reader(fifo: Path) -> bool:
    try:
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return False
    os.close(fd)
    return True


def watch_fifo(fifo: Path, seconds: float) -> list[bool]:
    """Poll in the background whether anything opened ``fifo`` for reading."""
    seen: list[bool] = []

    def run():
        end = time.monotonic() + seconds
        while time.monotonic() < end and not seen:
            if fifo_has_reader(fifo):
                seen.append(True)
            time.sleep(0.02)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return seen


PLAYLISTS = {
    "hls": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{ref}\n#EXT-X-ENDLIST\n",
    "concat": "ffconcat version 1.0\nfile {ref}\n",
}


def test_control_plain_ffprobe_does_open_what_a_concat_file_references(tmp_path):
    """Shows the FIFO watch detects a read: unguarded ffprobe follows the reference."""
    fifo = tmp_path / "secret.ts"
    os.mkfifo(fifo)
    fake = tmp_path / "song.mp3"
    fake.write_text(PLAYLISTS["concat"].format(ref=fifo))
    seen = watch_fifo(fifo, 5)
    proc = subprocess.Popen(["ffprobe", "-v", "quiet", "-safe", "0", str(fake)])
    time.sleep(1.5)
    proc.kill()
    proc.wait()
    assert seen == [True]


def bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, type, int]]:
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    text = tmp_path / "notes.mp3"
    text.write_text("These are meeting notes, not audio.\n" * 50)
    png = tmp_path / "photo.mp3"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 200)
    full = encode(tmp_path, "full.flac")
    cut = tmp_path / "cut.flac"
    cut.write_bytes(full.read_bytes()[:60])
    return {
        "empty": (empty, audio.EmptyAudio, 400),
        "text": (text, audio.UnsupportedAudio, 415),
        "png": (png, audio.UnsupportedAudio, 415),
        "header-only": (cut, audio.CorruptAudio, 400),
    }


@pytest.mark.parametrize("case", ["empty", "text", "png", "header-only"])
def test_bad_input_refused_with_status(tmp_path, case):
    path, error, status = bad_inputs(tmp_path)[case]
    with pytest.raises(error) as err:
        audio.probe(path, **CAPS)
    assert err.value.status == status
    assert err.value.message


@pytest.mark.parametrize("kind", sorted(PLAYLISTS))
def test_playlist_disguised_as_mp3_is_refused_and_never_reads_its_reference(tmp_path, kind):
    fifo = tmp_path / "segment.ts"
    os.mkfifo(fifo)
    fake = tmp_path / "song.mp3"
    fake.write_text(PLAYLISTS[kind].format(ref=fifo))
    seen = watch_fifo(fifo, 3)
    with pytest.raises(audio.UnsupportedAudio) as err:
        audio.probe(fake, **CAPS)
    assert err.value.status == 415
    assert "not an audio format" in err.value.message
    time.sleep(0.5)
    assert seen == []


def test_truncated_file_gives_what_can_be_decoded(tmp_path):
    full = encode(tmp_path, "full.mp3", "-c:a", "libmp3lame")
    cut = tmp_path / "cut.mp3"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    info = audio.probe(cut, **CAPS)
    wav = audio.normalise(cut, tmp_path / "out.wav", info=info, max_seconds=MAX_SECONDS)
    assert 4.0 < wav_duration(wav) < 7.0


def test_size_cap(tmp_path):
    with pytest.raises(audio.AudioTooLarge) as err:
        audio.probe(JFK, **{**CAPS, "max_bytes": 100_000})
    assert err.value.status == 413
    assert "97.6562 KiB" in err.value.message or "KiB" in err.value.message


def test_duration_cap(tmp_path):
    with pytest.raises(audio.AudioTooLong) as err:
        audio.probe(JFK, **{**CAPS, "max_seconds": 10})
    assert err.value.status == 413
    assert "10 s" in err.value.message


def test_normalise_leaves_no_partial_file_on_failure(tmp_path):
    src = tmp_path / "x.flac"
    shutil.copy(JFK, src)
    info = audio.probe(src, **CAPS)
    src.write_bytes(b"fLaC" + b"\0" * 100)
    with pytest.raises(audio.CorruptAudio):
        audio.normalise(src, tmp_path / "out.wav", info=info, max_seconds=MAX_SECONDS)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.flac"]
