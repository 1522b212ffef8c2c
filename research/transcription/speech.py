"""Where the speech is (voice activity), and the clips of it the decoder gets."""

from __future__ import annotations

import numpy as np

from research.transcription.lines import TimedLine
from research.transcription.windows import SAMPLE_RATE

MISSED_SECONDS = 3.0  # uncovered speech shorter than this is left alone


def speech_parts(audio: np.ndarray, *, longest: float = 30.0) -> list[tuple[float, float]]:
    """(start, end) seconds of each stretch of speech the VAD finds, none over `longest`."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    speech = get_speech_timestamps(
        audio, VadOptions(max_speech_duration_s=longest, min_silence_duration_ms=160)
    )
    return [(part["start"] / SAMPLE_RATE, part["end"] / SAMPLE_RATE) for part in speech]


def speech_clips(parts: list[tuple[float, float]], *, longest: float = 30.0) -> list[dict]:
    """Clips for the decoder: stretches of speech merged while they fit in `longest` seconds,
    the pauses between them kept.

    faster-whisper's own VAD path glues the speech of a 30 s chunk together without its
    pauses, and Whisper then often stops decoding before the chunk ends: on 10 minutes of the
    test recordings it dropped whole sentences (16.5 % word error rate with tiny.en, against
    3.2 % for these clips).
    """
    clips: list[dict] = []
    for start, end in parts:
        if clips and end - clips[-1]["start"] <= longest:
            clips[-1]["end"] = end
        else:
            clips.append({"start": start, "end": end})
    return clips


def missed_speech(
    parts: list[tuple[float, float]], lines: list[TimedLine], base: float = 0.0
) -> list[tuple[float, float]]:
    """Runs of speech, MISSED_SECONDS or more, that hardly any decoded word overlaps.

    Whisper sometimes ends a clip early even with its pauses kept; those runs are decoded
    again on their own, so a sentence is not silently lost. Shorter gaps are mostly word
    timings drawn too tight, and decoding a couple of seconds alone makes Whisper repeat the
    sentence around it.
    """
    words = sorted((w.start - base, w.end - base) for line in lines for w in line.words)
    runs: list[list[tuple[float, float]]] = []
    for start, end in parts:
        covered = sum(max(0.0, min(end, b) - max(start, a)) for a, b in words if b > start)
        if covered >= 0.3 * (end - start):
            continue
        if (
            runs
            and start - runs[-1][-1][1] <= 2.0
            and not _words_between(words, runs[-1][-1][1], start)
        ):
            runs[-1].append((start, end))
        else:
            runs.append([(start, end)])
    return [
        part
        for run in runs
        if sum(end - start for start, end in run) >= MISSED_SECONDS
        for part in run
    ]


def _words_between(words: list[tuple[float, float]], start: float, end: float) -> bool:
    return any(start < a < end for a, _ in words)


UNHEARD_SECONDS = 2.0  # a stretch without VAD speech shorter than this is a pause
LOUD_SECONDS = 0.5  # sound a stretch must hold to be worth decoding
QUIET_FLOOR_DB = -50.0  # frames quieter than this (dBFS) are silence
BELOW_SPEECH_DB = 20.0  # ... and so are frames this far below the window's speech
FRAME_SECONDS = 0.1


def unheard_stretches(
    audio: np.ndarray, parts: list[tuple[float, float]], *, longest: float = 30.0
) -> list[tuple[float, float]]:
    """Stretches the VAD called silence that hold sound about as loud as the speech.

    Silero misses far-field and overlapped meeting speech: on one AMI excerpt it found 3 s of
    speech in 30, where Whisper heard five turns. These stretches are decoded carefully with
    Whisper's own no-speech check (``research.transcription.decoding``) and never get the
    glossary as hints.
    """
    frame = int(FRAME_SECONDS * SAMPLE_RATE)
    count = len(audio) // frame
    if not count:
        return []
    level = 10 * np.log10(
        np.square(audio[: count * frame].reshape(count, frame)).mean(axis=1) + 1e-12
    )
    spoken = [level[int(s / FRAME_SECONDS) : int(e / FRAME_SECONDS)] for s, e in parts]
    spoken = np.concatenate(spoken) if spoken else np.zeros(0)
    floor = QUIET_FLOOR_DB
    if len(spoken):
        floor = max(floor, float(np.median(spoken)) - BELOW_SPEECH_DB)
    stretches: list[tuple[float, float]] = []
    edges = [0.0] + [t for part in parts for t in part] + [len(audio) / SAMPLE_RATE]
    for start, end in zip(edges[::2], edges[1::2], strict=True):
        if end - start < UNHEARD_SECONDS:
            continue
        loud = level[int(start / FRAME_SECONDS) : int(end / FRAME_SECONDS)] > floor
        if loud.sum() * FRAME_SECONDS < LOUD_SECONDS:
            continue
        while end - start > longest:
            stretches.append((start, start + longest))
            start += longest
        stretches.append((start, end))
    return stretches
