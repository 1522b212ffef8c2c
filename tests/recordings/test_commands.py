"""manage.py transcribe_file and import_recordings with real files."""

import io
import shutil

import pytest
from django.core.management import CommandError, call_command

from research.models import Conversation, JobStatus, Project, Recording
from tests.builders import FIXTURES, JFK, STEREO

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_transcribe_file_prints_srt_and_wer():
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "transcribe_file",
        str(JFK),
        "--format",
        "srt",
        "--reference",
        str(FIXTURES / "ref" / "jfk.txt"),
        stdout=out,
        stderr=err,
    )
    lines = out.getvalue().splitlines()
    assert lines[0] == "1" and lines[1].startswith("00:00:00,000 --> 00:00:1")
    assert "ask not what your country can do for you" in out.getvalue()
    assert "WER 0.000" in err.getvalue() and "tiny.en" in err.getvalue()


def test_transcribe_file_refuses_non_audio(tmp_path):
    bogus = tmp_path / "x.mp3"
    bogus.write_text("hello")
    with pytest.raises(CommandError, match="not an audio format"):
        call_command("transcribe_file", str(bogus))


def test_import_recordings(team, audio_root, tmp_path):
    Project.objects.create(team=team, name="Archive", slug="archive")
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(JFK, folder / "kennedy_speech.flac")
    shutil.copy(STEREO, folder / "two_readers.wav")
    (folder / "readme.txt").write_text("not audio")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_recordings", str(folder), "--project", "archive", stdout=out, stderr=err)
    assert "2 imported, 1 skipped" in out.getvalue()
    assert "skipped readme.txt: This file is not an audio format" in err.getvalue()
    titles = sorted(Conversation.objects.values_list("title", flat=True))
    assert titles == ["kennedy speech", "two readers"]
    recording = Recording.objects.get(original_name="kennedy_speech.flac")
    assert (audio_root / recording.stored_name).read_bytes() == JFK.read_bytes()
    assert recording.jobs.get().status == JobStatus.QUEUED
    assert not list((audio_root / "incoming").iterdir())
    with pytest.raises(CommandError, match="No project"):
        call_command("import_recordings", str(folder), "--project", "nope")
