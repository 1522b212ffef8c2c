"""Shared helpers for the capture tests: a private audio root, real clips, uploads."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from research.models import Conversation, Project

FIXTURES = Path(__file__).parent.parent / "fixtures" / "audio"
JFK = FIXTURES / "jfk.flac"
STEREO = FIXTURES / "stereo_diarization.wav"


@pytest.fixture
def audio_root(settings, tmp_path):
    root = tmp_path / "audio"
    root.mkdir()
    settings.AUDIO_ROOT = root
    return root


@pytest.fixture
def conversation(team, owner):
    project = Project.objects.create(team=team, name="Field study", slug="field-study")
    return Conversation.objects.create(
        team=team, project=project, title="Visit at the bakery", created_by=owner
    )


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
