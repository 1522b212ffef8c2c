"""Timed lines and words as the decoder gives them, cut into lines a reader can follow."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Word:
    start: float
    end: float
    word: str
    probability: float


@dataclass
class TimedLine:
    """A stretch of decoded speech with its words (a transcript's Segment row, before saving)."""

    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)


def line_from_piece(piece, base: float) -> TimedLine:
    """A faster-whisper segment, its times moved by `base` seconds (the window's offset)."""
    words = [
        Word(
            start=round(base + float(w.start), 3),
            end=round(base + float(w.end), 3),
            word=w.word,
            probability=round(float(w.probability), 3),
        )
        for w in (piece.words or [])
    ]
    return TimedLine(
        start=round(base + float(piece.start), 3),
        end=round(base + float(piece.end), 3),
        text=piece.text.strip(),
        words=words,
    )


def split_sentences(line: TimedLine, *, longer_than: float = 8.0) -> list[TimedLine]:
    """Cut a long line at sentence ends (and, in long sentences, at commas) into lines.

    Batched decoding returns up to 30 s per segment; a transcript that follows the
    audio line by line needs shorter lines.
    """
    if line.end - line.start <= longer_than or len(line.words) < 2:
        return [line]
    lines: list[TimedLine] = []
    current: list[Word] = []
    for i, word in enumerate(line.words):
        current.append(word)
        last = i == len(line.words) - 1
        text = word.word.rstrip()
        long_enough = word.end - current[0].start >= longer_than
        if (
            last
            or text.endswith((".", "?", "!"))
            or (long_enough and text.endswith((",", ";", ":")))
        ):
            lines.append(
                TimedLine(
                    start=current[0].start if lines else line.start,
                    end=line.end if last else current[-1].end,
                    text="".join(w.word for w in current).strip(),
                    words=current,
                )
            )
            current = []
    return lines


def spread_words(line: TimedLine, probability: float) -> TimedLine:
    """The line with words timed by spreading its duration over them by their length.

    For text decoded without word timestamps (``research.transcription.decoding``'s careful
    clips): asking faster-whisper for word times changes where it resumes decoding, and on a
    meeting excerpt kept 64 words where the same decode without them kept plain's 71.
    """
    pieces = [" " + word for word in line.text.split()]
    total = sum(len(p) for p in pieces)
    if not total:
        return line
    words, at = [], line.start
    for piece in pieces:
        end = at + (line.end - line.start) * len(piece) / total
        words.append(Word(round(at, 3), round(end, 3), piece, round(probability, 3)))
        at = end
    return TimedLine(line.start, line.end, line.text, words)
