"""A browser recording's pieces: received whole and verified, then appended in order.

A piece is read to the end into AUDIO_ROOT/incoming while its SHA-256 is computed, and only a
piece whose length and digest match what the browser declared is ever appended: a connection
cut mid-upload leaves a short body, which is refused, and the retry is stored instead.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import AudioError, AudioTooLarge, human_bytes
from .store import PIECE, incoming_path, path_of

SHA256_RE = re.compile(r"^[0-9a-f]{64}$")


class BadChunk(AudioError):
    status = 400


@dataclass(frozen=True)
class ReceivedChunk:
    path: Path
    size: int
    sha256: str

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def declared(length: str | None, digest: str | None, content_length: str | None) -> tuple[int, str]:
    """The length and digest the browser declared for a piece; BadChunk if either is missing."""
    try:
        size = int(length or "")
    except ValueError:
        raise BadChunk("Send the piece's byte length in X-Chunk-Length.") from None
    digest = (digest or "").strip().lower()
    if not SHA256_RE.match(digest):
        raise BadChunk("Send the piece's SHA-256 (hex) in X-Chunk-SHA256.")
    if size <= 0:
        raise BadChunk("The piece is empty.")
    if content_length is not None and content_length != str(size):
        raise BadChunk(f"The body is {content_length} bytes but the piece is {size} bytes.")
    return size, digest


def receive(stream, *, size: int, sha256: str, limit: int) -> ReceivedChunk:
    """Read a whole piece from ``stream`` to a fsynced incoming file and verify it.

    Raises BadChunk (nothing kept) if fewer or more bytes arrive than declared, or the digest
    differs; AudioTooLarge if the piece is over ``limit``.
    """
    if size > limit:
        raise AudioTooLarge(f"A piece may be at most {human_bytes(limit)}.")
    path = incoming_path()
    digest = hashlib.sha256()
    got = 0
    try:
        with path.open("wb") as fh:
            while piece := stream.read(min(PIECE, size + 1 - got)):
                got += len(piece)
                if got > size:
                    break
                digest.update(piece)
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        if got != size:
            raise BadChunk(f"Received {got} of {size} bytes; send the piece again.")
        if digest.hexdigest() != sha256:
            raise BadChunk("The piece arrived damaged (its SHA-256 differs); send it again.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ReceivedChunk(path=path, size=size, sha256=sha256)


def write_at(recording, chunk: ReceivedChunk, *, offset: int) -> None:
    """Put ``chunk`` at ``offset`` of the recording's file, dropping anything after it.

    The file is cut to ``offset`` first: bytes past what the database says is stored (a crash
    between writing and committing, or a replaced last piece) never stay in the recording.
    """
    path = path_of(recording)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("r+b" if path.exists() else "w+b") as out, chunk.path.open("rb") as src:
        out.truncate(offset)
        out.seek(offset)
        while piece := src.read(PIECE):
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
