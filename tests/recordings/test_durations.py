"""A recording's length is what decodes, not what its header claims."""

import subprocess

import pytest
from django.urls import reverse

from research import audio
from research.models import Recording, RecordingStatus
from tests.builders import JFK, piece_headers, upload

pytestmark = pytest.mark.django_db

CAPS = {"max_bytes": 2 * 1024**3, "max_seconds": 4 * 3600}


@pytest.fixture
def truncated_mp3(tmp_path):
    """jfk.flac padded to 20 s as an MP3 (its Xing header counts every frame), then cut to its
    first 37 % of bytes, as an interrupted copy would be: the header still says 20 s."""
    full = tmp_path / "full.mp3"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(JFK), "-af", "apad=whole_dur=20"]
        + ["-c:a", "libmp3lame", str(full)],
        check=True,
    )
    data = full.read_bytes()
    cut = tmp_path / "interview.mp3"
    cut.write_bytes(data[: int(len(data) * 0.37)])
    return cut


def header_duration(path) -> float:
    done = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout)


def test_the_header_overstates_what_decodes(truncated_mp3):
    assert header_duration(truncated_mp3) == pytest.approx(20.0, abs=0.1)
    assert audio.decoded_duration(truncated_mp3, "mp3") == pytest.approx(7.4, abs=0.15)
    info = audio.probe(truncated_mp3, **CAPS)
    assert info.duration == pytest.approx(7.4, abs=0.15)
    # Without decoding (a worker re-reading a stored file), the header is what there is.
    assert audio.probe(truncated_mp3, **CAPS, decode=False).duration == pytest.approx(20, abs=0.1)


def test_decoding_stops_soon_after_the_cap(truncated_mp3):
    whole = truncated_mp3.with_name("full.mp3")
    assert audio.decoded_duration(whole, "mp3") == pytest.approx(20.0, abs=0.1)
    assert 3.0 <= audio.decoded_duration(whole, "mp3", stop_after=2.0) <= 5.1
    with pytest.raises(audio.AudioTooLong) as err:
        audio.probe(truncated_mp3, **{**CAPS, "max_seconds": 5})
    assert "longer than the limit of 5 s" in err.value.message
    assert err.value.duration > 5


def test_an_upload_is_stored_with_the_length_that_decodes(
    owner_client, conversation, audio_root, truncated_mp3
):
    assert upload(owner_client, conversation, truncated_mp3).status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert recording.duration_seconds == pytest.approx(7.4, abs=0.15)
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "0:07" in page and "0:20" not in page


def test_a_browser_recording_is_stored_with_the_length_that_decodes(
    owner_client, conversation, audio_root, truncated_mp3
):
    start = reverse("research:recording_start", args=[conversation.uid])
    urls = owner_client.post(start, {"mime": "audio/mpeg"}).json()
    data = truncated_mp3.read_bytes()
    for seq, i in enumerate(range(0, len(data), 20_000)):
        response = owner_client.post(
            f"{urls['chunk_url']}?seq={seq}",
            data[i : i + 20_000],
            content_type="application/octet-stream",
            headers=piece_headers(data[i : i + 20_000]),
        )
        assert response.status_code == 200
    response = owner_client.post(urls["finish_url"], HTTP_ACCEPT="application/json")
    assert response.json()["status"] == "stored"
    recording = Recording.objects.get()
    assert recording.duration_seconds == pytest.approx(7.4, abs=0.15)
