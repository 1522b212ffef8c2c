"""Photos of a visit: checked with Pillow, their GPS position removed unless the user keeps it,
stored privately beside the team's audio, attached once per device id."""

from __future__ import annotations

import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from PIL import Image, UnidentifiedImageError

from research.audio import store as audio_store
from research.models import Conversation, Photo

MAX_PHOTO_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 64_000_000
GPS_IFD = 0x8825
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}


class PhotoRefused(Exception):
    """A file we do not keep as a photo; ``message`` is fit for the user."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


def photo_path(photo: Photo) -> Path:
    return audio_store.root() / photo.stored_name


def clean_photo(data: bytes, *, keep_location: bool) -> CleanPhoto:
    """Check that ``data`` is a JPEG, PNG or WebP photo; drop its location unless kept.

    Without the location the image is written again with its EXIF minus the GPS block and
    without XMP (which can hold a position too); a JPEG keeps its quantisation (no loss).
    """
    if not data:
        raise PhotoRefused("The photo is empty.")
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoRefused("The photo is larger than 25 MiB.", 413)
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        kind = image.format
        if kind not in FORMATS:
            raise PhotoRefused("Send a JPEG, PNG or WebP photo.", 415)
        if image.width * image.height > MAX_PIXELS:
            raise PhotoRefused("The photo has too many pixels.", 413)
        content_type, extension = FORMATS[kind]
        if keep_location:
            return CleanPhoto(data, content_type, extension, image.width, image.height)
        exif = image.getexif()
        exif.pop(GPS_IFD, None)
        out = io.BytesIO()
        options: dict = {"exif": exif.tobytes()}
        if image.info.get("icc_profile"):
            options["icc_profile"] = image.info["icc_profile"]
        if kind == "JPEG":
            options["quality"] = "keep"
        elif kind == "WEBP":
            options["lossless"] = False
            options["quality"] = 90
        image.save(out, kind, **options)
    except PhotoRefused:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise PhotoRefused("This file is not a photo we can read (JPEG, PNG or WebP).") from None
    return CleanPhoto(out.getvalue(), content_type, extension, image.width, image.height)


def photo_attach(
    *,
    conversation: Conversation,
    data: bytes,
    name: str,
    client_id: str,
    keep_location: bool,
    created_by,
) -> tuple[Photo, bool]:
    """Attach a photo to a conversation; the same device id again returns the first one.

    Returns (photo, created). The file is written and fsynced before the row is committed,
    and removed if the row is not.
    """
    if client_id:
        existing = Photo.objects.filter(conversation=conversation, client_id=client_id).first()
        if existing:
            return existing, False
    clean = clean_photo(data, keep_location=keep_location)
    photo = Photo(
        team=conversation.team,
        conversation=conversation,
        uid=uuid.uuid4(),
        client_id=client_id,
        original_name=os.path.basename(name or "")[:255],
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        size_bytes=len(clean.data),
        kept_location=keep_location,
        created_by=created_by,
    )
    photo.stored_name = f"{conversation.team.uid}/photos/{photo.uid}.{clean.extension}"
    path = photo_path(photo)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write(clean.data)
        fh.flush()
        os.fsync(fh.fileno())
    try:
        with transaction.atomic():
            photo.full_clean()
            photo.save()
    except (IntegrityError, ValidationError):
        path.unlink(missing_ok=True)
        # The same photo sent twice at once: the other request kept it.
        existing = Photo.objects.filter(conversation=conversation, client_id=client_id).first()
        if not client_id or existing is None:
            raise
        return existing, False
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return photo, True


def photo_files_forget(*, conversation: Conversation) -> None:
    """Remove a conversation's photos from disk once its deletion commits (call inside the
    transaction that deletes it, so a failed delete never loses a photo)."""
    paths = [photo_path(p) for p in Photo.objects.filter(conversation=conversation)]
    transaction.on_commit(lambda: [path.unlink(missing_ok=True) for path in paths])
