"""The audio view: HEAD, range forms it does not support, and audited downloads."""

import socket
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from research.models import AuditEvent, AuditKind, Recording
from tests.builders import JFK, client_for, upload

pytestmark = pytest.mark.django_db

SIZE = JFK.stat().st_size


@pytest.fixture
def recording(owner_client, conversation, audio_root):
    upload(owner_client, conversation, JFK)
    return Recording.objects.get()


def audio_url(recording, download=False):
    url = reverse("research:recording_audio", args=[recording.uid])
    return url + "?download=1" if download else url


def downloads():
    return list(AuditEvent.objects.filter(kind=AuditKind.AUDIO_DOWNLOAD))


def test_head_answers_the_headers_without_a_body(owner_client, recording):
    response = owner_client.head(audio_url(recording))
    assert response.status_code == 200
    assert (response["Content-Length"], response["Accept-Ranges"]) == (str(SIZE), "bytes")
    assert response["Content-Type"] == "audio/flac"
    assert response.content == b""
    ranged = owner_client.head(audio_url(recording), HTTP_RANGE="bytes=0-99")
    assert (ranged.status_code, ranged["Content-Range"]) == (206, f"bytes 0-99/{SIZE}")
    assert ranged["Content-Length"] == "100"
    assert owner_client.post(audio_url(recording)).status_code == 405
    assert downloads() == []


@pytest.mark.django_db(transaction=True)
def test_head_over_http_sends_no_body(live_server, owner, conversation, audio_root):
    """Over a real socket: the headers, then the connection ends without a byte of audio."""
    client = client_for(owner)
    upload(client, conversation, JFK)
    recording = Recording.objects.get()
    session = client.cookies["sessionid"].value
    host = urlparse(live_server.url)
    with socket.create_connection((host.hostname, host.port), timeout=10) as conn:
        conn.sendall(
            f"HEAD {audio_url(recording)} HTTP/1.0\r\nHost: {host.netloc}\r\n"
            f"Cookie: sessionid={session}\r\n\r\n".encode()
        )
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") or head.startswith(b"HTTP/1.0 200")
    assert f"Content-Length: {SIZE}".encode() in head
    assert body == b""


@pytest.mark.parametrize(
    "header", ["bytes=0-99,200-299", "bytes=0-0,-1", "items=0-99", "bytes=-", "bytes=abc"]
)
def test_range_forms_it_does_not_support_get_the_whole_file(owner_client, recording, header):
    response = owner_client.get(audio_url(recording), HTTP_RANGE=header)
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE) and not response.has_header("Content-Range")
    assert b"".join(response.streaming_content) == JFK.read_bytes()


def test_a_single_range_still_gets_206(owner_client, recording):
    response = owner_client.get(audio_url(recording), HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == JFK.read_bytes()[100:200]


def test_a_download_is_an_attachment_and_audited_once(owner, owner_client, recording):
    response = owner_client.get(audio_url(recording, download=True))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jfk.flac"'
    assert b"".join(response.streaming_content) == JFK.read_bytes()
    [event] = downloads()
    assert (event.team, event.actor, event.target) == (owner.team, owner, str(recording.uid))
    assert event.summary == "Downloaded the audio of Visit at the bakery"
    assert event.ip_address == "127.0.0.1"
    # A download manager resuming the same download is not a second download.
    resumed = owner_client.get(audio_url(recording, download=True), HTTP_RANGE="bytes=5000-")
    assert resumed.status_code == 206
    assert len(downloads()) == 1
    # Playback (whole or in ranges) and HEAD are not downloads.
    owner_client.get(audio_url(recording))
    owner_client.get(audio_url(recording), HTTP_RANGE="bytes=0-")
    owner_client.head(audio_url(recording, download=True))
    assert len(downloads()) == 1


def test_the_page_links_the_download(owner_client, conversation, recording):
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f'href="{audio_url(recording)}?download=1" download' in page


def test_outsiders_cannot_download_and_nothing_is_audited(recording, outsider):
    response = client_for(outsider).get(audio_url(recording, download=True))
    assert response.status_code == 404
    assert downloads() == []
