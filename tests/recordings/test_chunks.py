"""Browser recording protocol: start, append chunks in order (retries harmless), finish."""

import subprocess
from hashlib import sha256

import pytest
from django.urls import reverse

from research.models import JobStatus, Recording, RecordingStatus
from tests.builders import JFK, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def webm_chunks(tmp_path):
    """jfk.flac as MediaRecorder writes it (webm/Opus to a pipe, no duration), in pieces."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(JFK), "-c:a", "libopus", "-f", "webm", "pipe:1"],
        capture_output=True,
        check=True,
    )
    data = done.stdout
    return [data[i : i + 16_000] for i in range(0, len(data), 16_000)]


@pytest.fixture
def mp4_chunks(tmp_path):
    """jfk.flac as Safari's MediaRecorder writes it (fragmented MP4/AAC, 1 s fragments), in
    pieces cut at arbitrary bytes."""
    done = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(JFK), "-c:a", "aac", "-f", "mp4"]
        + ["-movflags", "frag_keyframe+empty_moov+default_base_moof"]
        + ["-frag_duration", "1000000", "pipe:1"],
        capture_output=True,
        check=True,
    )
    data = done.stdout
    return [data[i : i + 16_000] for i in range(0, len(data), 16_000)]


def start(client, conversation, mime="audio/webm;codecs=opus"):
    url = reverse("research:recording_start", args=[conversation.uid])
    return client.post(url, {"mime": mime})


def send(client, urls, seq, chunk):
    """One piece as the recorder sends it: its length and SHA-256 in headers."""
    return client.post(
        f"{urls['chunk_url']}?seq={seq}",
        chunk,
        content_type="application/octet-stream",
        headers={"X-Chunk-Length": str(len(chunk)), "X-Chunk-SHA256": sha256(chunk).hexdigest()},
    )


def test_chunks_then_finish(owner_client, conversation, audio_root, webm_chunks, tmp_path):
    response = start(owner_client, conversation)
    assert response.status_code == 201
    urls = response.json()
    recording = Recording.objects.get(uid=urls["uid"])
    assert recording.status == RecordingStatus.RECEIVING
    for seq, chunk in enumerate(webm_chunks):
        assert send(owner_client, urls, seq, chunk).status_code == 200
        if seq == 1:  # a retried chunk (the answer was lost) is accepted once
            assert send(owner_client, urls, seq, chunk).json()["received"] == 2
    assert send(owner_client, urls, len(webm_chunks) + 3, b"x").status_code == 409
    stored = audio_root / Recording.objects.get().stored_name
    assert stored.read_bytes() == b"".join(webm_chunks)
    response = owner_client.post(urls["finish_url"], HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "stored"
    recording.refresh_from_db()
    assert (recording.container, recording.codec) == ("matroska", "opus")
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.1)
    assert recording.jobs.get().status == JobStatus.QUEUED
    # The original stays as recorded; the player gets a seekable copy with a duration.
    assert stored.read_bytes() == b"".join(webm_chunks)
    served = owner_client.get(reverse("research:recording_audio", args=[recording.uid]))
    copy = tmp_path / "served.webm"
    copy.write_bytes(b"".join(served.streaming_content))
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(copy)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert float(probe.stdout) == pytest.approx(11.0, abs=0.1)
    assert send(owner_client, urls, len(webm_chunks), b"late").status_code == 409


def test_safari_mp4_chunks_are_stored_and_queued(
    owner_client, conversation, audio_root, mp4_chunks
):
    urls = start(owner_client, conversation, "audio/mp4").json()
    for seq, chunk in enumerate(mp4_chunks):
        assert send(owner_client, urls, seq, chunk).status_code == 200
    response = owner_client.post(urls["finish_url"], HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "stored"
    recording = Recording.objects.get()
    assert recording.codec == "aac"
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.2)
    assert recording.jobs.get().status == JobStatus.QUEUED
    assert (audio_root / recording.stored_name).read_bytes() == b"".join(mp4_chunks)


def test_interrupted_safari_recording_keeps_its_whole_fragments(
    owner_client, conversation, audio_root, mp4_chunks
):
    urls = start(owner_client, conversation, "audio/mp4").json()
    for seq, chunk in enumerate(mp4_chunks[:5]):  # the tab died mid-fragment
        send(owner_client, urls, seq, chunk)
    assert owner_client.post(urls["finish_url"]).status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert 1.0 < recording.duration_seconds < 11.0


def test_interrupted_recording_can_be_finished_later(
    owner_client, conversation, audio_root, webm_chunks
):
    urls = start(owner_client, conversation).json()
    for seq, chunk in enumerate(webm_chunks[:3]):
        send(owner_client, urls, seq, chunk)
    # The tab died here. The page offers to finish what was saved.
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Recording in progress or interrupted: 3 chunks" in page
    assert urls["finish_url"] in page
    assert owner_client.post(urls["finish_url"]).status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert 1.0 < recording.duration_seconds < 11.0


def test_finish_without_audio_is_refused_and_marked(owner_client, conversation, audio_root):
    urls = start(owner_client, conversation).json()
    response = owner_client.post(urls["finish_url"], HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "The file is empty."
    recording = Recording.objects.get()
    assert (recording.status, recording.error) == (RecordingStatus.FAILED, "The file is empty.")
    assert not recording.jobs.exists()


def test_chunk_size_cap(owner_client, conversation, audio_root, settings, webm_chunks):
    settings.FIELDNOTES_MAX_UPLOAD_BYTES = 20_000
    urls = start(owner_client, conversation).json()
    assert send(owner_client, urls, 0, webm_chunks[0]).status_code == 200
    assert send(owner_client, urls, 1, webm_chunks[1]).status_code == 413
    stored = audio_root / Recording.objects.get().stored_name
    assert stored.read_bytes() == webm_chunks[0]


def test_recording_needs_edit_rights(conversation, audio_root, viewer, outsider, owner_client):
    assert start(client_for(viewer), conversation).status_code == 403
    assert start(client_for(outsider), conversation).status_code == 404
    urls = start(owner_client, conversation).json()
    assert send(client_for(outsider), urls, 0, b"x").status_code == 404
    assert (
        send(owner_client, {"chunk_url": urls["chunk_url"].replace("?", "")}, "x", b"").status_code
        == 400
    )
