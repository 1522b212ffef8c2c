"""Verified pieces: stored only when their length and SHA-256 match; repeats stored once; a
cut connection stores nothing; the byte cap refuses the piece and keeps what came before."""

import socket
from hashlib import sha256

import pytest
from django.conf import settings
from django.test import Client

from research.models import Recording, RecordingChunk
from tests.recordings.test_chunks import send, start
from tests.recordings.test_chunks import webm_chunks as webm_chunks  # the fixture

pytestmark = pytest.mark.django_db


def stored(audio_root) -> bytes:
    return (audio_root / Recording.objects.get().stored_name).read_bytes()


def post_raw(client, urls, seq, body, length, digest):
    return client.post(
        f"{urls['chunk_url']}?seq={seq}",
        body,
        content_type="application/octet-stream",
        headers={"X-Chunk-Length": str(length), "X-Chunk-SHA256": digest},
    )


def test_a_short_or_damaged_piece_is_refused_and_its_retry_stored(
    owner_client, conversation, audio_root, webm_chunks
):
    urls = start(owner_client, conversation).json()
    first = webm_chunks[0]
    digest = sha256(first).hexdigest()
    short = post_raw(owner_client, urls, 0, first[:9000], len(first), digest)
    assert short.status_code == 400 and "bytes" in short.json()["error"]
    damaged = bytearray(first)
    damaged[5000] ^= 0xFF
    bad = post_raw(owner_client, urls, 0, bytes(damaged), len(first), digest)
    assert bad.status_code == 400 and "SHA-256" in bad.json()["error"]
    assert stored(audio_root) == b"" and not RecordingChunk.objects.exists()
    assert not list((audio_root / "incoming").glob("*"))
    good = send(owner_client, urls, 0, first)
    assert good.json() == {"seq": 0, "repeat": False, "received": 1, "bytes": len(first)}
    assert stored(audio_root) == first


def test_a_piece_sent_twice_is_stored_once(owner_client, conversation, audio_root, webm_chunks):
    urls = start(owner_client, conversation).json()
    for seq, chunk in enumerate(webm_chunks[:3]):
        assert send(owner_client, urls, seq, chunk).json()["repeat"] is False
    again = send(owner_client, urls, 1, webm_chunks[1]).json()
    assert again == {
        "seq": 1,
        "repeat": True,
        "received": 3,
        "bytes": sum(map(len, webm_chunks[:3])),
    }
    assert stored(audio_root) == b"".join(webm_chunks[:3])


def test_the_last_piece_with_other_content_replaces_it_an_earlier_one_cannot(
    owner_client, conversation, audio_root, webm_chunks
):
    urls = start(owner_client, conversation).json()
    send(owner_client, urls, 0, webm_chunks[0])
    send(owner_client, urls, 1, webm_chunks[1][:500])
    answer = send(owner_client, urls, 1, webm_chunks[1]).json()
    assert answer["bytes"] == len(webm_chunks[0]) + len(webm_chunks[1])
    assert stored(audio_root) == webm_chunks[0] + webm_chunks[1]
    refused = send(owner_client, urls, 0, webm_chunks[2])
    assert refused.status_code == 409 and "already stored" in refused.json()["error"]
    assert stored(audio_root) == webm_chunks[0] + webm_chunks[1]


@pytest.mark.parametrize(
    "headers, message",
    [
        ({}, "X-Chunk-Length"),
        ({"X-Chunk-Length": "4"}, "X-Chunk-SHA256"),
        ({"X-Chunk-Length": "four", "X-Chunk-SHA256": "0" * 64}, "X-Chunk-Length"),
        ({"X-Chunk-Length": "5", "X-Chunk-SHA256": sha256(b"abcd").hexdigest()}, "body is 4"),
        ({"X-Chunk-Length": "4", "X-Chunk-SHA256": "xyz"}, "X-Chunk-SHA256"),
    ],
)
def test_a_piece_without_its_length_and_digest_is_refused(
    owner_client, conversation, audio_root, headers, message
):
    urls = start(owner_client, conversation).json()
    response = owner_client.post(
        f"{urls['chunk_url']}?seq=0",
        b"abcd",
        content_type="application/octet-stream",
        headers=headers,
    )
    assert response.status_code == 400 and message in response.json()["error"]
    assert stored(audio_root) == b""


def test_negative_piece_number_is_refused(owner_client, conversation, audio_root):
    urls = start(owner_client, conversation).json()
    assert send(owner_client, urls, -1, b"abcd").status_code == 400


def test_the_byte_cap_refuses_the_piece_and_keeps_the_rest(
    owner_client, conversation, audio_root, settings, webm_chunks
):
    settings.FIELDNOTES_MAX_UPLOAD_BYTES = 40_000
    urls = start(owner_client, conversation).json()
    assert urls["max_bytes"] == 40_000
    send(owner_client, urls, 0, webm_chunks[0])
    send(owner_client, urls, 1, webm_chunks[1])
    over = send(owner_client, urls, 2, webm_chunks[2])
    assert over.status_code == 413 and "is kept" in over.json()["error"]
    assert stored(audio_root) == webm_chunks[0] + webm_chunks[1]
    finished = owner_client.post(urls["finish_url"], HTTP_ACCEPT="application/json")
    assert finished.json()["status"] == "stored"


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_mid_piece_stores_nothing(live_server, owner, conversation, audio_root):
    """A real socket: the headers promise 20,000 bytes, 8,000 arrive, then the client stops
    sending. The server answers 400 and holds nothing; the whole piece is then stored."""
    client = Client()
    client.force_login(owner)
    urls = start(client, conversation).json()
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    body = bytes(range(256)) * 78 + b"x" * 32
    token = "a" * 32
    host, port = live_server.url.split("//")[1].split(":")
    head = (
        f"POST {urls['chunk_url']}?seq=0 HTTP/1.1\r\nHost: {host}:{port}\r\n"
        f"Cookie: {settings.SESSION_COOKIE_NAME}={session}; csrftoken={token}\r\n"
        f"X-CSRFToken: {token}\r\nReferer: {live_server.url}/\r\n"
        f"Content-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\n"
        f"X-Chunk-Length: {len(body)}\r\nX-Chunk-SHA256: {sha256(body).hexdigest()}\r\n"
        "Connection: close\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=20) as sock:
        sock.sendall(head + body[:8000])
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while piece := sock.recv(65536):
            answer += piece
    assert answer.startswith(b"HTTP/1.1 400"), answer[:200]
    assert b"Received 8000 of 20000 bytes" in answer
    assert stored(audio_root) == b""
    assert send(client, urls, 0, body).json()["bytes"] == len(body)
    assert stored(audio_root) == body
