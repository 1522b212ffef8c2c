"""Test data of the same shape for every test: real audio clips and their references, uploads,
an interview with a transcript, a re-transcription, and signed-in clients."""

import shutil
import subprocess
import wave
from pathlib import Path

from django.test import Client
from django.urls import reverse

from research.models import (
    Consent,
    Conversation,
    Organization,
    Person,
    Project,
    Recording,
    RecordingStatus,
    Segment,
    Speaker,
    Transcript,
)
from research.services.speakers import speakers_ensure

FIXTURES = Path(__file__).parent / "fixtures" / "audio"
JFK = FIXTURES / "jfk.flac"
STEREO = FIXTURES / "stereo_diarization.wav"


def ref(name: str) -> str:
    """A clip's reference transcript (tests/fixtures/audio/ref)."""
    return (FIXTURES / "ref" / name).read_text()


def wav_duration(path: Path | str) -> float:
    """Seconds in a WAV, from its frame count."""
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / float(wav.getframerate())


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


LINES = [
    ("Ana", "Exporting to Excel takes me an hour every Monday."),
    ("Interviewer", "What do you do with the export?"),
    ("Ana", "I rebuild the same pivot table for my manager."),
    ("Ana", "If the report were scheduled I would never open Excel again."),
]


def words_for(text: str, start: float, end: float) -> list[list]:
    """Word timings as the transcription job stores them: [start, end, " word"]."""
    parts = text.split()
    step = (end - start) / len(parts)
    return [
        [round(start + i * step, 2), round(start + (i + 1) * step, 2), f" {w}"]
        for i, w in enumerate(parts)
    ]


def interview(team, owner, *, title="Interview with Ana", org_name="Globex", person_name="Ana"):
    """A conversation with one 40 s recording, a transcript of four 10 s segments with words;
    the participant's consent covers everything."""
    project, _ = Project.objects.get_or_create(team=team, slug="discovery", defaults={"name": "D"})
    org, _ = Organization.objects.get_or_create(team=team, name=org_name)
    person = Person.objects.create(team=team, name=person_name, organization=org)
    conversation = Conversation.objects.create(
        team=team,
        project=project,
        title=title,
        created_by=owner,
        notes="We talked about **weekly exports** and how long the pivot table takes.",
    )
    conversation.participants.add(person)
    # She agreed to everything (privacy tests take scopes away to see what they gate).
    agreed(team, conversation, person)
    recording = Recording.objects.create(
        team=team,
        conversation=conversation,
        original_name="ana.m4a",
        duration_seconds=40.0,
        status=RecordingStatus.STORED,
    )
    transcript = Transcript.objects.create(team=team, recording=recording, version=1)
    for index, (speaker, text) in enumerate(LINES):
        start, end = index * 10.0, index * 10.0 + 9.5
        Segment.objects.create(
            team=team,
            transcript=transcript,
            conversation=conversation,
            index=index,
            start=start,
            end=end,
            text=text,
            speaker=speaker,
            person=person if speaker == "Ana" else None,
            words=words_for(text, start, end),
        )
    Speaker.objects.create(team=team, transcript=transcript, label="Ana", name="Ana", person=person)
    Speaker.objects.create(
        team=team,
        transcript=transcript,
        label="Interviewer",
        name="Interviewer",
        is_interviewer=True,
        colour=1,
    )
    return conversation, transcript, person


def voice(seed: int, *, noise: float = 0.0, size: int = 256) -> list[float]:
    """A speaker embedding: one of a few distinct voices (by `seed`), optionally a little off."""
    import random

    base = random.Random(seed)
    jitter = random.Random(seed * 7919 + int(noise * 1000))
    return [base.gauss(0, 1) + noise * jitter.gauss(0, 1) for _ in range(size)]


def diarized(team, conversation, lines, *, voices=None, duration=None, version=1):
    """A transcript of `conversation` as speaker detection writes it: `lines` are (label, text),
    10 s each with words; `voices` {label: (embedding, seconds)} goes to Transcript.voices.
    Participants without a consent record agree to all but a voice profile (quotable)."""
    for person in conversation.participants.exclude(consents__conversation=conversation):
        agreed(team, conversation, person)
    recording = Recording.objects.create(
        team=team,
        conversation=conversation,
        original_name="call.m4a",
        duration_seconds=duration or 10.0 * len(lines),
        status=RecordingStatus.STORED,
    )
    transcript = Transcript.objects.create(
        team=team,
        recording=recording,
        version=version,
        voices={
            label: {"embedding": embedding, "seconds": seconds}
            for label, (embedding, seconds) in (voices or {}).items()
        },
    )
    for index, (label, text) in enumerate(lines):
        start, end = index * 10.0, index * 10.0 + 9.5
        Segment.objects.create(
            team=team,
            transcript=transcript,
            conversation=conversation,
            index=index,
            start=start,
            end=end,
            text=text,
            speaker=label,
            words=words_for(text, start, end),
        )
    speakers_ensure(transcript=transcript)
    return transcript


def retranscribe(transcript, replacements: dict[int, str]):
    """A new transcript version with some segments' text replaced (as re-transcribing does)."""
    new = Transcript.objects.create(
        team=transcript.team, recording=transcript.recording, version=transcript.version + 1
    )
    for segment in transcript.segments.order_by("index"):
        text = replacements.get(segment.index, segment.text)
        Segment.objects.create(
            team=segment.team,
            transcript=new,
            conversation=segment.conversation,
            index=segment.index,
            start=segment.start,
            end=segment.end,
            text=text,
            speaker=segment.speaker,
            person=segment.person,
            words=words_for(text, segment.start, segment.end),
        )
    speakers_ensure(transcript=new)
    return new


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def encode(tmp_path: Path, name: str, *args: str, src: Path = JFK) -> Path:
    out = tmp_path / name
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(src), *args, str(out)]
    subprocess.run(cmd, check=True)
    return out


def copy(tmp_path: Path, src: Path, name: str) -> Path:
    out = tmp_path / name
    shutil.copy(src, out)
    return out


def upload(client, conversation, *paths: Path, json: bool = False, **extra):
    url = reverse("research:recording_upload", args=[conversation.uid])
    handles = [p.open("rb") for p in paths]
    try:
        headers = {"HTTP_ACCEPT": "application/json"} if json else {}
        return client.post(url, {"audio": handles, **extra}, **headers)
    finally:
        for h in handles:
            h.close()


def speech_rounds(out: Path, rounds: int, pause: float = 1.5) -> str:
    """Rounds of jfk.flac and each stereo channel, `pause` seconds of silence after each, as FLAC at
    `out`; returns the reference transcript. (Varied speech with pauses: one sentence looped
    without them makes Whisper repeat itself.)"""
    clips = [
        (JFK, "pan=mono|c0=0.5*c0+0.5*c1", "jfk.txt"),
        (STEREO, "pan=mono|c0=c0", "stereo_diarization.left.txt"),
        (STEREO, "pan=mono|c0=c1", "stereo_diarization.right.txt"),
    ]
    inputs, chains, labels = [], [], []
    for i, (path, pan, _) in enumerate(clips):
        inputs += ["-i", str(path)]
        chains.append(f"[{i}:a]{pan},aresample=16000,apad=pad_dur={pause},asplit={rounds}")
        chains[-1] += "".join(f"[c{i}r{r}]" for r in range(rounds))
    labels = "".join(f"[c{i}r{r}]" for r in range(rounds) for i in range(len(clips)))
    graph = ";".join(chains) + f";{labels}concat=n={rounds * len(clips)}:v=0:a=1[out]"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-map", "[out]"]
        + [str(out)],
        check=True,
    )
    text = " ".join((FIXTURES / "ref" / ref).read_text() for _, _, ref in clips)
    return " ".join([text] * rounds)


def normalised(tmp_path: Path, src: Path, channel: int | None = None) -> Path:
    """`src` as the 16 kHz mono WAV the transcriber reads (one channel of it, if given)."""
    from research import audio

    info = audio.probe(src, max_bytes=2 * 1024**3, max_seconds=4 * 3600)
    out = tmp_path / f"{src.name}.{channel}.wav"
    return audio.normalise(src, out, info=info, channel=channel, max_seconds=info.duration + 1)


MEETING = FIXTURES / "meetings" / "dev00.flac"  # 30 s of a real AMI meeting, two speakers


def two_voices(out: Path) -> Path:
    """jfk.flac, a second of silence, then the left voice of stereo_diarization.wav: two real
    people one after the other (about 11 s and 5 s), as a 16 kHz mono WAV at `out`."""
    graph = (
        "[0:a]pan=mono|c0=0.5*c0+0.5*c1,aresample=16000,apad=pad_dur=1[a];"
        "[1:a]pan=mono|c0=c0,aresample=16000[b];[a][b]concat=n=2:v=0:a=1"
    )
    cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(JFK), "-i", str(STEREO)]
    cmd += ["-filter_complex", graph, "-ar", "16000", "-ac", "1", str(out)]
    subprocess.run(cmd, check=True)
    return out


def load_audio(path: Path, channel: int | None = None):
    """A clip as float32 16 kHz mono samples (one channel of it, if given)."""
    import numpy as np

    cmd = ["ffmpeg", "-v", "error", "-i", str(path)]
    cmd += ["-af", f"pan=mono|c0=c{channel}"] if channel is not None else []
    cmd += ["-ac", "1", "-ar", "16000", "-f", "s16le", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def piece_headers(chunk: bytes) -> dict:
    """What the recorder sends with each piece: its length and SHA-256."""
    import hashlib

    return {"X-Chunk-Length": str(len(chunk)), "X-Chunk-SHA256": hashlib.sha256(chunk).hexdigest()}


def agreed(team, conversation, person) -> Consent:
    """`person` agreed to be recorded, transcribed and quoted, inside and outside the team (not
    to a voice profile)."""
    return Consent.objects.create(
        team=team,
        conversation=conversation,
        person=person,
        given=True,
        may_record=True,
        may_transcribe=True,
        may_quote=True,
        may_quote_outside=True,
    )
