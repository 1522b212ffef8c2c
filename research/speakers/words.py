"""Speakers for transcript lines: each word gets the speaker whose turn overlaps it most, and a
line is split where the speaker changes."""

from __future__ import annotations

from collections.abc import Sequence

from research.speakers.diarize import SpeakerTurn
from research.transcription.lines import TimedLine, Word

NEAR_SECONDS = 1.0  # a word in no turn takes the nearest turn's speaker within this


def speaker_at(start: float, end: float, turns: Sequence[SpeakerTurn]) -> str:
    """The speaker whose turns overlap [start, end] most ("" when none is near)."""
    overlap: dict[str, float] = {}
    for turn in turns:
        if turn.start < end and turn.end > start:
            shared = min(end, turn.end) - max(start, turn.start)
            overlap[turn.label] = overlap.get(turn.label, 0.0) + shared
    if overlap:
        return max(overlap, key=overlap.get)
    middle = (start + end) / 2
    nearest = min(
        turns, key=lambda t: min(abs(middle - t.start), abs(middle - t.end)), default=None
    )
    if nearest and min(abs(middle - nearest.start), abs(middle - nearest.end)) <= NEAR_SECONDS:
        return nearest.label
    return ""


def assign_words(
    lines: Sequence[TimedLine], turns: Sequence[SpeakerTurn]
) -> list[tuple[TimedLine, str]]:
    """(line, speaker) pairs: lines split where the speaker of their words changes.

    A lone word of another speaker inside a run (one word, shorter than half a second) stays
    with the run: that is a turn boundary drawn a little off, not a new speaker.
    """
    out: list[tuple[TimedLine, str]] = []
    for line in lines:
        if not line.words:
            out.append((line, speaker_at(line.start, line.end, turns)))
            continue
        speakers = [speaker_at(w.start, w.end, turns) for w in line.words]
        speakers = _fill_unknown(speakers)
        for i in range(1, len(speakers) - 1):
            word = line.words[i]
            if speakers[i - 1] == speakers[i + 1] != speakers[i] and word.end - word.start < 0.5:
                speakers[i] = speakers[i - 1]
        runs: list[tuple[str, list[Word]]] = []
        for word, speaker in zip(line.words, speakers, strict=True):
            if runs and runs[-1][0] == speaker:
                runs[-1][1].append(word)
            else:
                runs.append((speaker, [word]))
        for k, (speaker, words) in enumerate(runs):
            piece = TimedLine(
                start=line.start if k == 0 else words[0].start,
                end=line.end if k == len(runs) - 1 else words[-1].end,
                text="".join(w.word for w in words).strip(),
                words=words,
            )
            out.append((piece, speaker))
    return out


def _fill_unknown(speakers: list[str]) -> list[str]:
    """Words in no turn take the speaker of the word before (or after) them."""
    known = [s for s in speakers if s]
    if not known:
        return speakers
    filled, last = [], known[0]
    for s in speakers:
        last = s or last
        filled.append(last)
    return filled


def majority_speaker(start: float, end: float, words: Sequence, turns) -> str:
    """One speaker for a stored line (edited text keeps its line): most of its words' time."""
    spans = [(float(w[0]), float(w[1])) for w in words] or [(start, end)]
    time: dict[str, float] = {}
    for a, b in spans:
        speaker = speaker_at(a, b, turns)
        if speaker:
            time[speaker] = time.get(speaker, 0.0) + max(b - a, 0.01)
    return max(time, key=time.get) if time else ""
