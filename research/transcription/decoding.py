"""Decoding a recording's windows: their speech in batches of clips on parallel decoders.

Batches of clips go through ``BatchedInferencePipeline`` on two decoders at once, each its own
CTranslate2 replica with one thread per core share: on a 2-core machine two single-threaded
decoders keep both cores busy, where one 2-threaded decoder leaves a third of them idle (VAD,
features and word alignment run on one thread).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

import numpy as np

from research.transcription.config import WhisperConfig
from research.transcription.lines import (
    TimedLine,
    line_from_piece,
    split_sentences,
    spread_words,
)
from research.transcription.loops import looped, trim_loops
from research.transcription.speech import (
    missed_speech,
    speech_clips,
    speech_parts,
    unheard_stretches,
)
from research.transcription.windows import SAMPLE_RATE

PROGRESS_SECONDS = 0.5  # how often progress is reported while windows run
CAREFUL_BEAM = 5  # plain faster-whisper's beam: what a careful clip is decoded with
CAREFUL_LEAD = 1.0  # seconds of audio before a careful clip (VAD cuts speech onsets tight)

ProgressCallback = Callable[[float], None]


def take_batch(waiting: deque, batch: int, share: int = 1) -> tuple[object, list[dict]]:
    """Pop the next batch from `waiting` (a queue of (window, clip)): up to `batch` clips, all
    of the oldest window's, and no more than a `share`-th of the queue (at least one)."""
    size = min(batch, -(-len(waiting) // share))
    window, clip = waiting.popleft()
    clips = [clip]
    while waiting and len(clips) < size and waiting[0][0] is window:
        clips.append(waiting.popleft()[1])
    return window, clips


def clip_of(clips: list[dict], start: float) -> int:
    """The index of the last clip that starts before `start` (pieces start inside their clip)."""
    starts = [i for i, clip in enumerate(clips) if clip["start"] - 0.05 <= start]
    return starts[-1] if starts else 0


class Stopped(Exception):
    """A piece of the run ended early because another part of it failed."""


class PerClipEncoder:
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
class Window:
    index: int
    base: float  # seconds into the recording
    audio: np.ndarray
    parts: list[tuple[float, float]] = field(default_factory=list)
    lines: list[TimedLine] = field(default_factory=list)
    first_pass_clips: int = 0
    clips_done: int = 0  # of those, decoded (progress)
    waiting: int = 0  # its clips not yet handed to a decoder
    running: int = 0  # its batches being decoded
    second_pass: bool = False
    looped: list[dict] = field(default_factory=list)  # first-pass clips that looped

    @property
    def seconds(self) -> float:
        return len(self.audio) / SAMPLE_RATE


class Run:
    """One recording's windows, their speech decoded in batches by up to `decoders` threads.

    Work is handed out a batch at a time rather than a window at a time, so the decoders end
    together: once every window's speech is known, batches shrink to share what is left.
    At most `decoders` + 1 windows are in memory.
    """

    def __init__(
        self, model, config: WhisperConfig, duration: float, progress, hints: str | None = None
    ):
        self.model = PerClipEncoder(model) if config.device == "cpu" else model
        self.config, self.duration, self.progress = config, duration, progress
        self.hints = hints or None  # words to listen for: only for batches of VAD speech
        self.lines: dict[int, list[TimedLine]] = {}
        self.language: str | None = None
        self._finished_seconds = 0.0
        self._open: dict[int, Window] = {}
        self._stop = threading.Event()

    def all(self, windows: Iterator, language: str | None, *, decoders: int) -> str | None:
        """Transcribe every (index, (offset, audio)); the language used (or detected)."""
        self.language = language
        self._source, self._more = iter(windows), True
        self._waiting: deque[tuple[Window, dict]] = deque()  # clips not yet handed out
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

    def in_order(self) -> list[TimedLine]:
        return [line for index in sorted(self.lines) for line in self.lines[index]]

    def _next_work(self, running: dict, decoders: int) -> tuple[Window, list[dict]] | None:
        """The next window to find speech in, or batch of clips to decode; None: nothing yet."""
        finding = sum(not clips for _, clips in running.values())
        batch = self.config.batch_size
        enough = self._waiting and (finding or len(self._waiting) >= decoders * batch)
        if self._more and len(self._open) <= decoders and not enough:
            item = next(self._source, None)
            if item is not None:
                index, (offset, audio) = item
                self._open[index] = Window(index, offset / SAMPLE_RATE, audio)
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

    def _finished(self, window: Window, clips: list[dict], result: list) -> None:
        if not clips:
            window.parts = result
            found = speech_clips(window.parts)
            window.first_pass_clips = window.waiting = len(found)
            self._waiting.extend((window, clip) for clip in found)
        else:
            lines, loops = result
            window.lines.extend(lines)
            window.looped.extend(loops)
            window.running -= 1
            if not window.second_pass:
                window.clips_done += len(clips)
        self._settle(window)

    def _settle(self, window: Window) -> None:
        """After a window's decoded clips: look for missed speech once, or close it."""
        if window.waiting or window.running:
            return
        if not window.second_pass and self.config.word_timestamps:
            window.second_pass = True
            missed = self._second_pass_clips(window)
            if missed:
                window.waiting = len(missed)
                self._waiting.extendleft((window, clip) for clip in reversed(missed))
                return
        window.lines = [trim_loops(line) for line in window.lines]
        window.lines.sort(key=lambda line: (line.start, line.end))
        self.lines[window.index] = window.lines
        self._finished_seconds += window.seconds
        del self._open[window.index]

    def _second_pass_clips(self, window: Window) -> list[dict]:
        """Clips to decode again: looped clips and stretches the VAD did not hear, carefully;
        speech no decoded word covers, as before."""
        careful = [{**clip, "careful": True} for clip in window.looped]
        careful += [
            {"start": start, "end": end, "careful": True, "unheard": True}
            for start, end in unheard_stretches(window.audio, window.parts)
        ]
        redone = [(c["start"], c["end"]) for c in window.looped]
        parts = [
            (start, end)
            for start, end in window.parts
            if not any(a <= start and end <= b for a, b in redone)
        ]
        return careful + speech_clips(missed_speech(parts, window.lines, window.base))

    def _speech(self, window: Window) -> list[tuple[float, float]]:
        if self._stop.is_set():
            raise Stopped
        return speech_parts(window.audio)

    def _decode(self, window: Window, clips: list[dict]) -> tuple[list[TimedLine], list[dict]]:
        """Decode these clips of a window: the lines, and the clips that looped (their lines
        left out, to be decoded again carefully)."""
        from faster_whisper import BatchedInferencePipeline

        if self._stop.is_set():
            raise Stopped
        lines: list[TimedLine] = []
        for clip in clips:
            if clip.get("careful"):
                lines += self._decode_carefully(window, clip)
        quick = [{"start": c["start"], "end": c["end"]} for c in clips if not c.get("careful")]
        if not quick:
            return lines, []
        # One pipeline per call: it keeps per-call state (the last word's time).
        pieces, info = BatchedInferencePipeline(self.model).transcribe(
            window.audio,
            language=self.language,
            batch_size=len(quick),
            beam_size=self.config.beam_size,
            word_timestamps=self.config.word_timestamps,
            vad_filter=False,
            clip_timestamps=quick,  # never empty: none would mean "find speech yourself"
            hotwords=self.hints,
        )
        found: list[tuple[TimedLine, float]] = []
        for piece in pieces:
            if self._stop.is_set():
                raise Stopped
            found.append((line_from_piece(piece, window.base), piece.compression_ratio))
        if self.language is None:
            self.language = info.language  # a multilingual model's first batch found it
        # Each piece belongs to the last clip starting before it (VAD parts, padded, overlap).
        owners = [clip_of(quick, line.start - window.base) for line, _ in found]
        loops: list[dict] = []
        for i, clip in enumerate(quick):
            mine = [piece for piece, owner in zip(found, owners, strict=True) if owner == i]
            if window.second_pass or not looped([m[0] for m in mine], [m[1] for m in mine]):
                lines += [part for line, _ in mine for part in split_sentences(line)]
            else:
                loops.append(clip)
        return lines, loops

    def _decode_carefully(self, window: Window, clip: dict) -> list[TimedLine]:
        """One clip decoded the way plain faster-whisper decodes a file: a wider beam, the
        temperature fallback when the text loops or is unlikely, Whisper's own no-speech check,
        no word timestamps (words are timed by ``spread_words``), and no hints."""
        pieces, _ = self.model.transcribe(
            window.audio,
            language=self.language,
            beam_size=max(CAREFUL_BEAM, self.config.beam_size),
            word_timestamps=False,  # see lines.spread_words
            vad_filter=False,
            # Unheard stretches alone: the previous text made Whisper repeat a sentence at the
            # end of a quiet stretch. A looped clip keeps it, as plain decoding does.
            condition_on_previous_text=not clip.get("unheard"),
            clip_timestamps=[max(0.0, clip["start"] - CAREFUL_LEAD), clip["end"]],
            # No hints: with them the looped clip of an AMI excerpt kept 49 words, without 70.
        )
        lines: list[TimedLine] = []
        for piece in pieces:
            if self._stop.is_set():
                raise Stopped
            line = spread_words(line_from_piece(piece, window.base), math.exp(piece.avg_logprob))
            if line.end - window.base > clip["start"]:  # the lead's own words are decoded
                lines.extend(split_sentences(line))
        return lines

    def _report(self) -> None:
        if not self.progress:
            return
        seconds = self._finished_seconds + sum(
            window.seconds * window.clips_done / window.first_pass_clips
            for window in self._open.values()
            if window.first_pass_clips
        )
        self.progress(min(1.0, seconds / self.duration) if self.duration else 1.0)
