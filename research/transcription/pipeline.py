"""``transcribe``: a 16 kHz mono WAV to timed lines, with progress.

The WAV (written by ``research.audio``'s ``normalise``) is read in windows, so a four-hour
recording never sits in memory whole; each window's speech is found by VAD, cut into clips of
up to 30 s and decoded in batches (``research.transcription.decoding``).
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

from research.transcription import allocator, windows
from research.transcription.config import WhisperConfig
from research.transcription.decoding import ProgressCallback, Run
from research.transcription.lines import TimedLine
from research.transcription.model import load_model, model_label


@dataclass
class Result:
    lines: list[TimedLine]
    language: str
    duration: float
    model: str


def transcribe(
    wav_path: Path | str,
    *,
    config: WhisperConfig | None = None,
    language: str | None = None,
    progress: ProgressCallback | None = None,
    hints: str | None = None,
) -> Result:
    """Transcribe a 16 kHz mono WAV; ``progress`` gets the fraction of audio done.

    ``language`` (or the configured one) forces a language on a multilingual
    model; otherwise it is detected. English-only models ignore it. Progress is
    reported from the calling thread, so a callback may raise to stop the work.
    ``hints`` (a team's glossary terms) are given to Whisper as hotwords for clips of speech.
    """
    config = config or WhisperConfig.from_settings()
    model = load_model(config)
    multilingual = bool(model.model.is_multilingual)
    lang = (language or config.language) if multilingual else None
    try:
        with wave.open(str(wav_path), "rb") as wav:
            if wav.getframerate() != windows.SAMPLE_RATE or wav.getnchannels() != 1:
                raise ValueError("transcribe() expects 16 kHz mono WAV from audio.normalise()")
            total = wav.getnframes()
            duration = total / windows.SAMPLE_RATE
            run = Run(model, config, duration, progress, hints)
            size = windows.WINDOW_SECONDS * windows.SAMPLE_RATE
            numbered = enumerate(windows.read_windows(wav, total, size))
            if multilingual and lang is None:
                # The first window alone finds the language the others are told.
                first = next(numbered, None)
                if first is not None:
                    lang = run.all(iter([first]), lang, decoders=1) or lang
            detected = run.all(numbered, lang, decoders=config.decoders)
    finally:
        allocator.release_freed_memory()
    if progress:
        progress(1.0)
    return Result(
        lines=run.in_order(),
        language=(lang or detected or "en") if multilingual else "en",
        duration=duration,
        model=model_label(config.model),
    )
