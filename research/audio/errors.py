"""Why a file is refused, in words fit for the user, with the HTTP status that says it."""

GIB = 1024**3


class AudioError(Exception):
    """A file we refuse; ``message`` is safe to show to users."""

    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EmptyAudio(AudioError):
    status = 400


class CorruptAudio(AudioError):
    status = 400


class UnsupportedAudio(AudioError):
    status = 415


class AudioTooLarge(AudioError):
    status = 413


class AudioTooLong(AudioError):
    """Longer than the duration cap; ``duration`` is the whole length, when measured."""

    status = 413

    def __init__(self, message: str, *, duration: float | None = None) -> None:
        super().__init__(message)
        self.duration = duration


def human_bytes(size: int) -> str:
    for unit, factor in (("GiB", GIB), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def human_seconds(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:g} h"
    if seconds >= 60:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
