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
