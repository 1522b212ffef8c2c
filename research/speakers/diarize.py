"""Who speaks when in a mono recording: speech regions, window embeddings, clustering, turns.

The 16 kHz mono WAV is read a block at a time (the transcriber's windows, cut at quiet
moments), so a four-hour recording never sits in memory whole. In each block Silero VAD finds
the speech, joined by stretches whose speech-band energy stands well above the block's floor:
Silero hears little of a voice far from the microphone (AMI trn07: 4.8 of its 11.4 s of
speech, one speaker at under 10 %), while its energy still stands out. Each stretch of speech
is covered by 1.6 s windows (what the encoder was trained on) every ``HOP_SECONDS``; a window
speaks for the time around its centre. The windows' embeddings are clustered
(``clustering``), short flips are smoothed away, and neighbouring pieces of one speaker become
a turn.
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from research.speakers import clustering
from research.speakers.encoder import voice_encoder
from research.speakers.frontend import (
    PARTIAL_FRAMES,
    SAMPLE_RATE,
    mel_spectrogram,
    normalise_volume,
)

WINDOW_SECONDS = PARTIAL_FRAMES / 100  # 1.6 s
HOP_SECONDS = 0.8
JOIN_GAP = 0.5  # pieces of one speaker closer than this make one turn
BLOCK_SECONDS = 60  # Silero VAD's buffers grow with the block: +50 MB at 1 min, +120 at 5
LOUD_FRAME = 480  # 30 ms frames for the energy detector
LOUD_BAND = (300.0, 3400.0)  # the speech band, Hz: hum and rumble below, hiss above
LOUD_MARGIN_DB = 20.0  # a frame this far above the block's quiet frames (10th percentile) is loud
LOUD_SILENT_DB = -100.0  # digital silence (padding, a muted input) is not the room's floor
LOUD_JOIN = 0.3  # loud stretches closer than this are one
LOUD_MIN_SECONDS = 0.8  # shorter loud stretches are clicks, knocks and breaths


@dataclass(frozen=True)
class SpeakerTurn:
    start: float
    end: float
    label: str


@dataclass
class Voice:
    embedding: np.ndarray  # unit length, 256 floats
    seconds: float


@dataclass
class Diarization:
    turns: list[SpeakerTurn] = field(default_factory=list)
    voices: dict[str, Voice] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        return list(self.voices)


@dataclass
class _Windows:
    starts: list[float] = field(default_factory=list)  # the time each window speaks for
    ends: list[float] = field(default_factory=list)
    regions: list[int] = field(default_factory=list)  # which stretch of speech it is in
    embeddings: list[np.ndarray] = field(default_factory=list)


def speech_regions(audio: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of speech in `audio`: Silero VAD (tight padding) or loud."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    if len(audio) < SAMPLE_RATE // 10:
        return []
    found = get_speech_timestamps(
        audio,
        VadOptions(
            threshold=0.2, min_silence_duration_ms=200, speech_pad_ms=80, min_speech_duration_ms=200
        ),
    )
    silero = [(p["start"] / SAMPLE_RATE, p["end"] / SAMPLE_RATE) for p in found]
    return _union(silero, loud_regions(audio))


def loud_regions(audio: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds where the speech band is LOUD_MARGIN_DB above the block's floor."""
    frames = len(audio) // LOUD_FRAME
    if frames < 10:
        return []
    spectrum = np.fft.rfft(
        audio[: frames * LOUD_FRAME].reshape(frames, LOUD_FRAME) * np.hanning(LOUD_FRAME), axis=1
    )
    freqs = np.fft.rfftfreq(LOUD_FRAME, 1 / SAMPLE_RATE)
    band = (freqs >= LOUD_BAND[0]) & (freqs <= LOUD_BAND[1])
    # the band's mean square in dB re full scale (Parseval, Hann window)
    power = 2 * (np.abs(spectrum[:, band]) ** 2).sum(axis=1) / (LOUD_FRAME * _hann_power())
    level = 10 * np.log10(power + 1e-12)
    heard = level[level > LOUD_SILENT_DB]
    if len(heard) < 10:
        return []
    loud = level > np.percentile(heard, 10) + LOUD_MARGIN_DB
    edges = np.flatnonzero(np.diff(np.concatenate([[0], loud.astype(np.int8), [0]])))
    step = LOUD_FRAME / SAMPLE_RATE
    stretches: list[list[float]] = []
    for first, last in zip(edges[::2], edges[1::2], strict=True):
        start, end = first * step, last * step
        if stretches and start - stretches[-1][1] < LOUD_JOIN:
            stretches[-1][1] = end
        else:
            stretches.append([start, end])
    return [(a, b) for a, b in stretches if b - a >= LOUD_MIN_SECONDS]


def _hann_power() -> float:
    return float((np.hanning(LOUD_FRAME) ** 2).sum())


def _union(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for start, end in sorted(a + b):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(start, end) for start, end in out]


def diarize(
    wav_path: Path | str,
    *,
    num_speakers: int | None = None,
    max_speakers: int | None = None,
    progress: Callable[[float], None] | None = None,
    threads: int = 2,
) -> Diarization:
    """Speaker turns and voices of a 16 kHz mono WAV, read a block at a time."""
    from research.transcription import windows as wav_windows

    found = _Windows()
    with wave.open(str(wav_path), "rb") as wav:
        if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
            raise ValueError("diarize() expects 16 kHz mono WAV from audio.normalise()")
        total = wav.getnframes()
        size = BLOCK_SECONDS * SAMPLE_RATE
        for offset, block in wav_windows.read_windows(wav, total, size):
            _embed_block(block, offset / SAMPLE_RATE, found, threads)
            if progress and total:
                progress(min(1.0, (offset + len(block)) / total))
    return _label(found, num_speakers, max_speakers)


def diarize_audio(
    audio: np.ndarray,
    *,
    num_speakers: int | None = None,
    max_speakers: int | None = None,
    threads: int = 2,
) -> Diarization:
    """The same for float32 samples already in memory (short clips, tests)."""
    found = _Windows()
    _embed_block(np.asarray(audio, dtype=np.float32), 0.0, found, threads)
    return _label(found, num_speakers, max_speakers)


def _embed_block(block: np.ndarray, base: float, found: _Windows, threads: int) -> None:
    win = int(WINDOW_SECONDS * SAMPLE_RATE)
    mels: list[np.ndarray] = []
    first_region = (found.regions[-1] + 1) if found.regions else 0
    for r, (start, end) in enumerate(speech_regions(block)):
        centres = _centres(start, end, len(block) / SAMPLE_RATE)
        bounds = [start, *((a + b) / 2 for a, b in zip(centres, centres[1:], strict=False)), end]
        for k, centre in enumerate(centres):
            lo = int(round((centre - WINDOW_SECONDS / 2) * SAMPLE_RATE))
            lo = max(0, min(lo, len(block) - win))
            piece = block[lo : lo + win]
            if len(piece) < win:
                piece = np.pad(piece, (0, win - len(piece)))
            mels.append(mel_spectrogram(normalise_volume(piece))[:PARTIAL_FRAMES])
            found.starts.append(base + bounds[k])
            found.ends.append(base + bounds[k + 1])
            found.regions.append(first_region + r)
    if mels:
        found.embeddings.append(voice_encoder().embed_mels(np.stack(mels), threads=threads))


def _centres(start: float, end: float, length: float) -> list[float]:
    """Window centres covering [start, end]: one in the middle of a short stretch."""
    half = WINDOW_SECONDS / 2
    if end - start <= WINDOW_SECONDS:
        return [(start + end) / 2]
    centres = list(np.arange(start + half, end - half, HOP_SECONDS)) or [start + half]
    if end - half - centres[-1] > HOP_SECONDS / 4:
        centres.append(end - half)
    return [float(c) for c in centres]


def _label(found: _Windows, num_speakers: int | None, max_speakers: int | None) -> Diarization:
    if not found.starts:
        return Diarization()
    embeddings = np.concatenate(found.embeddings)
    starts, ends = np.array(found.starts), np.array(found.ends)
    seconds = ends - starts
    labels = clustering.cluster_windows(
        embeddings,
        seconds,
        max_speakers=max_speakers,
        num_speakers=num_speakers,
    )
    labels = smooth(labels, starts, ends)
    return _turns_and_voices(labels, starts, ends, embeddings)


def smooth(labels: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """A lone window between two of another speaker, with no pause around it, is that speaker."""
    labels = labels.copy()
    for i in range(1, len(labels) - 1):
        joined = starts[i] - ends[i - 1] < JOIN_GAP and starts[i + 1] - ends[i] < JOIN_GAP
        if joined and labels[i - 1] == labels[i + 1] != labels[i]:
            labels[i] = labels[i - 1]
    return labels


def _turns_and_voices(
    labels: np.ndarray, starts: np.ndarray, ends: np.ndarray, embeddings: np.ndarray
) -> Diarization:
    order: dict[int, str] = {}
    for g in labels:
        order.setdefault(int(g), f"Speaker {len(order) + 1}")
    turns: list[list] = []
    for g, start, end in zip(labels, starts, ends, strict=True):
        label = order[int(g)]
        if turns and turns[-1][2] == label and start - turns[-1][1] < JOIN_GAP:
            turns[-1][1] = max(turns[-1][1], end)
        else:
            turns.append([float(start), float(end), label])
    voices: dict[str, Voice] = {}
    seconds = ends - starts
    for g, label in order.items():
        members = labels == g
        centroid = (embeddings[members] * seconds[members, None]).sum(axis=0)
        voices[label] = Voice(
            embedding=clustering.unit(centroid).astype(np.float32),
            seconds=round(float(seconds[members].sum()), 2),
        )
    return Diarization(
        turns=[SpeakerTurn(round(a, 3), round(b, 3), lab) for a, b, lab in turns], voices=voices
    )
