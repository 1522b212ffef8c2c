"""Uploaded files streamed to disk in small pieces, fsynced, refused past the size cap."""

from __future__ import annotations

import os
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from .store import incoming_path


class StoredUpload(UploadedFile):
    """An uploaded file already written, fsynced, to ``path`` under AUDIO_ROOT/incoming."""

    def __init__(self, path: Path, name: str, content_type: str, size: int) -> None:
        super().__init__(None, name, content_type, size)
        self.path = path

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class DiskUploadHandler(FileUploadHandler):
    """Streams each uploaded file to AUDIO_ROOT/incoming and stops past the size cap.

    Memory stays at one piece per file whatever the upload's size. A file over
    the cap stops the upload; the view answers 413.
    """

    def __init__(self, request=None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.stored: list[StoredUpload] = []
        self._fh = None
        self._path: Path | None = None
        self._size = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self._path = incoming_path()
        self._fh = self._path.open("wb")
        self._size = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self._size += len(raw_data)
        if self._size > self.limit:
            self.too_large = True
            self.cleanup()
            raise StopUpload(connection_reset=True)
        self._fh.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> StoredUpload:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        self._fh = None
        upload = StoredUpload(self._path, self.file_name, self.content_type or "", self._size)
        self.stored.append(upload)
        return upload

    def cleanup(self) -> None:
        """Remove everything this request wrote (refused or failed uploads)."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self._path is not None:
            self._path.unlink(missing_ok=True)
        for upload in self.stored:
            upload.discard()

    def upload_interrupted(self) -> None:
        self.cleanup()
