"""Phrase loops: Whisper repeating a word or phrase over and over ("yeah, yeah, yeah, ...").

A clip decoded greedily in a batch has no temperature fallback; on overlapped meeting
speech it can loop for a whole 30 s clip (139 words of which over 100 were "yeah" on an AMI
excerpt, where plain faster-whisper kept 70 words of dialogue). A looped clip is found here
and decoded again carefully (``research.transcription.decoding``); a run that survives that is
trimmed, so no transcript line holds a phrase more than ``MAX_REPEATS`` times in a row.
"""

from __future__ import annotations

from research.transcription.lines import TimedLine
from research.transcription.quality import words_of

MAX_REPEATS = 3  # a phrase said more often than this in a row is almost always a loop
LONGEST_PHRASE = 8  # words in the longest phrase looked for
COMPRESSION_LIMIT = 2.4  # faster-whisper's own gzip-ratio threshold for a looping decode


def longest_run(words: list[str]) -> int:
    """How many times in a row the most repeated phrase (up to LONGEST_PHRASE words) occurs."""
    best = 1 if words else 0
    for size in range(1, LONGEST_PHRASE + 1):
        for i in range(len(words) - 2 * size + 1):
            reps, j = 1, i + size
            while words[j : j + size] == words[i : i + size] and j + size <= len(words):
                reps, j = reps + 1, j + size
            best = max(best, reps)
    return best


def text_run(text: str) -> int:
    """longest_run of a text, compared as lower-case words without punctuation."""
    return longest_run(words_of(text))


def looped(lines: list[TimedLine], compression_ratios: list[float]) -> bool:
    """Whether a clip's decoded lines are a loop: a phrase repeated too often, or text that
    compresses like one."""
    text = " ".join(line.text for line in lines)
    return text_run(text) > MAX_REPEATS or any(r > COMPRESSION_LIMIT for r in compression_ratios)


def trim_loops(line: TimedLine) -> TimedLine:
    """The line with every run of a phrase cut to MAX_REPEATS occurrences (its words too)."""
    if not line.words:
        return line
    keys = [" ".join(words_of(w.word)) for w in line.words]
    keep = list(range(len(keys)))
    changed = True
    while changed:
        changed = False
        seq = [keys[k] for k in keep]
        for size in range(1, LONGEST_PHRASE + 1):
            for i in range(len(seq) - size * (MAX_REPEATS + 1) + 1):
                phrase = seq[i : i + size]
                if not any(phrase):
                    continue
                j = i + size
                while seq[j : j + size] == phrase:
                    j += size
                if (j - i) // size > MAX_REPEATS:
                    cut = i + size * MAX_REPEATS
                    keep = keep[:cut] + keep[j:]
                    changed = True
                    break
            if changed:
                break
    if len(keep) == len(keys):
        return line
    words = [line.words[k] for k in keep]
    return TimedLine(
        start=line.start,
        end=line.end,
        text="".join(w.word for w in words).strip(),
        words=words,
    )
