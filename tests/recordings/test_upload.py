"""Uploading recordings: real files through the view, and the bad-input table."""

import os

import pytest
from django.test import Client
from django.urls import reverse

from research.models import Conversation, JobStatus, Recording, RecordingStatus, TranscriptionJob
from tests.builders import JFK, client_for, encode, files_under, upload

pytestmark = pytest.mark.django_db


def test_upload_stores_privately_and_queues(owner_client, conversation, audio_root):
    response = upload(owner_client, conversation, JFK)
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.STORED
    assert (recording.original_name, recording.container, recording.codec) == (
        "jfk.flac",
        "flac",
        "flac",
    )
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.05)
    assert recording.channels == 2
    stored = audio_root / recording.stored_name
    assert stored.read_bytes() == JFK.read_bytes()
    assert "jfk" not in recording.stored_name
    assert files_under(audio_root) == [recording.stored_name]
    job = TranscriptionJob.objects.get()
    assert (job.recording, job.status, job.attempts) == (recording, JobStatus.QUEUED, 0)


def test_several_files_in_one_upload(owner_client, conversation, audio_root, tmp_path):
    mp3 = encode(tmp_path, "interview.mp3", "-c:a", "libmp3lame")
    m4a = encode(tmp_path, "phone.m4a", "-c:a", "aac")
    response = upload(owner_client, conversation, mp3, m4a, json=True)
    assert response.status_code == 201
    assert [r["name"] for r in response.json()["recordings"]] == ["interview.mp3", "phone.m4a"]
    assert sorted(Recording.objects.values_list("container", flat=True)) == ["mov", "mp3"]
    assert TranscriptionJob.objects.count() == 2


def bad_files(tmp_path):
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    text = tmp_path / "minutes.mp3"
    text.write_text("Meeting minutes, not audio.\n" * 40)
    secret = tmp_path / "secret.ts"
    secret.write_bytes(b"\x47" * 188 * 4)
    hls = tmp_path / "playlist.mp3"
    hls.write_text(f"#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10.0,\n{secret}\n#EXT-X-ENDLIST\n")
    concat = tmp_path / "concat.mp3"
    concat.write_text(f"ffconcat version 1.0\nfile {secret}\n")
    cut = tmp_path / "cut.flac"
    cut.write_bytes(JFK.read_bytes()[:80])
    silent_video = tmp_path / "novoice.mp4"
    os.system(
        f"ffmpeg -v error -f lavfi -i testsrc=size=32x24:rate=5 -t 1 -c:v libx264 {silent_video}"
    )
    return {
        "empty": (empty, 400, "empty"),
        "text": (text, 415, "not an audio format"),
        "hls playlist": (hls, 415, "not an audio format"),
        "concat file": (concat, 415, "not an audio format"),
        "truncated": (cut, 400, "damaged or truncated"),
        "video without sound": (silent_video, 415, "no audio track"),
    }


@pytest.mark.parametrize(
    "case",
    ["empty", "text", "hls playlist", "concat file", "truncated", "video without sound"],
)
def test_bad_input_refused_with_nothing_left(
    owner_client, conversation, audio_root, tmp_path, case
):
    path, status, message = bad_files(tmp_path)[case]
    response = upload(owner_client, conversation, path)
    assert response.status_code == status
    assert message in response.content.decode()
    assert Recording.objects.count() == 0 and TranscriptionJob.objects.count() == 0
    assert files_under(audio_root) == []


def test_json_clients_get_an_error_object(owner_client, conversation, audio_root, tmp_path):
    path, status, message = bad_files(tmp_path)["text"]
    response = upload(owner_client, conversation, path, json=True)
    assert response.status_code == 415
    assert message in response.json()["error"]


def test_size_cap_while_streaming(owner_client, conversation, audio_root, settings):
    settings.FIELDNOTES_MAX_UPLOAD_BYTES = 100_000
    response = upload(owner_client, conversation, JFK, json=True)
    assert response.status_code == 413
    assert "larger than the limit of 97.6562 KiB" in response.json()["error"]
    assert Recording.objects.count() == 0 and files_under(audio_root) == []


def test_size_cap_from_content_length_before_reading(owner_client, conversation, audio_root):
    url = reverse("research:recording_upload", args=[conversation.uid])
    response = owner_client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        HTTP_ACCEPT="application/json",
        CONTENT_LENGTH=str(5 * 1024**3),
    )
    assert response.status_code == 413


def test_a_file_over_the_duration_cap_is_kept_with_a_choice(
    owner_client, conversation, audio_root, settings
):
    settings.FIELDNOTES_MAX_DURATION_SECONDS = 10
    response = upload(owner_client, conversation, JFK)
    assert response.status_code == 302
    recording = Recording.objects.get()
    assert recording.status == RecordingStatus.FAILED
    assert recording.error.startswith("The recording is longer than the limit of 10 s.")
    assert recording.duration_seconds == pytest.approx(11.0, abs=0.05)
    assert files_under(audio_root) == [recording.stored_name]
    assert TranscriptionJob.objects.count() == 0
    page = owner_client.get(response["Location"]).content.decode()
    assert "jfk.flac: The recording is longer than the limit of 10 s." in page
    assert 'value="first_part"' in page and 'value="split"' in page


def test_one_bad_file_is_named_and_the_good_ones_are_kept(
    owner_client, conversation, audio_root, tmp_path
):
    path, _, _ = bad_files(tmp_path)["text"]
    response = upload(owner_client, conversation, JFK, path)
    assert response.status_code == 302
    body = owner_client.get(response["Location"]).content.decode()
    assert "Saved 1 recording" in body
    assert f"Not saved: {path.name}." in body
    assert [r.original_name for r in Recording.objects.all()] == ["jfk.flac"]
    assert not [f for f in files_under(audio_root) if f.startswith("incoming")]


def test_an_upload_of_only_bad_files_names_each(owner_client, conversation, audio_root, tmp_path):
    files = bad_files(tmp_path)
    text, empty = files["text"][0], files["empty"][0]
    response = upload(owner_client, conversation, text, empty)
    body = response.content.decode()
    assert response.status_code in (400, 415)
    assert f"{text.name}:" in body and f"{empty.name}:" in body
    assert Recording.objects.count() == 0 and files_under(audio_root) == []


def test_viewer_and_outsider_cannot_upload(conversation, audio_root, viewer, outsider):
    assert upload(client_for(viewer), conversation, JFK).status_code == 403
    assert upload(client_for(outsider), conversation, JFK).status_code == 404
    assert Recording.objects.count() == 0 and files_under(audio_root) == []


def test_csrf_is_checked_and_leaves_nothing(owner, conversation, audio_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = upload(client, conversation, JFK)
    assert response.status_code == 403
    assert Recording.objects.count() == 0 and files_under(audio_root) == []


def test_deleted_conversation_takes_its_audio_along(
    owner_client, conversation, audio_root, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from research.services.recordings import recording_files_forget

    upload(owner_client, conversation, JFK)
    assert files_under(audio_root)
    uid = conversation.uid
    try:
        with transaction.atomic():
            recording_files_forget(conversation=conversation)
            conversation.delete()
            raise RuntimeError("the delete fails after all")
    except RuntimeError:
        pass
    assert files_under(audio_root)  # nothing lost when the delete rolls back
    conversation = Conversation.objects.get(uid=uid)
    with django_capture_on_commit_callbacks(execute=True):
        recording_files_forget(conversation=conversation)
        conversation.delete()
    assert files_under(audio_root) == []
