"""Privacy test data: a recording with real audio in the store, lines for chosen people."""

import json
import subprocess
from pathlib import Path

from research.audio import store as audio_store
from research.models import Recording, RecordingStatus, Segment, Transcript
from tests.builders import JFK, words_for


def stored_recording(conversation, tmp_path: Path, *, title: str = "", src: Path = JFK):
    """A stored FLAC recording of real speech (jfk.flac, 11 s), `title` in its metadata."""
    recording = Recording(
        team=conversation.team,
        conversation=conversation,
        original_name="visit.flac",
        status=RecordingStatus.STORED,
        container="flac",
        codec="flac",
        channels=1,
        duration_seconds=11.0,
    )
    recording.stored_name = audio_store.stored_name_for(recording)
    path = audio_store.path_of(recording)
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(src), "-ac", "1"]
    cmd += ["-metadata", f"title={title}", "-f", "flac", str(path)]
    subprocess.run(cmd, check=True)
    recording.size_bytes = path.stat().st_size
    recording.save()
    return recording


def transcript_of(recording, lines):
    """lines: (start, end, text, person or None) -> a transcript version with words."""
    transcript = Transcript.objects.create(team=recording.team, recording=recording, version=1)
    for i, (start, end, text, person) in enumerate(lines):
        Segment.objects.create(
            team=recording.team,
            transcript=transcript,
            conversation=recording.conversation,
            index=i,
            start=start,
            end=end,
            text=text,
            speaker=person.name if person else "Interviewer",
            person=person,
            words=words_for(text, start, end),
        )
    return transcript


def max_volume(path: Path, start: float, end: float) -> float:
    """The loudest sample in [start, end) seconds, in dB (-91 is digital silence)."""
    cmd = ["ffmpeg", "-v", "info", "-nostdin", "-ss", str(start), "-t", str(end - start)]
    cmd += ["-i", str(path), "-af", "volumedetect", "-f", "null", "-"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stderr
    for line in out.splitlines():
        if "max_volume:" in line:
            return float(line.split("max_volume:")[1].split()[0])
    # volumedetect prints nothing for all-zero input
    return -91.0 if "n_samples: 0" not in out else json.loads("null")
