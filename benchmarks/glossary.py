"""What a team glossary buys transcription, and what it must not cost.

    python benchmarks/glossary.py

1. tests/fixtures/audio/glossary.flac (six espeak-ng sentences full of made-up names, reference
   in ref/glossary.txt) through the app's pipeline with the glossary off and on: the share of
   the names' occurrences the transcript spells right (recall) and the word error rate.
2. The AMI meeting excerpts (benchmarks/meetings.py) with the glossary off and on: words kept,
   longest repeated run, and how many glossary words leaked into transcripts (none is said in
   them, so every one is a hallucination; must be 0).

The last line is exactly
``recall_off=<..> recall_on=<..> wer_off=<..> wer_on=<..> meetings_leaked=<..>``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIP = ROOT / "tests" / "fixtures" / "audio" / "glossary.flac"
REFERENCE = ROOT / "tests" / "fixtures" / "audio" / "ref" / "glossary.txt"
TERMS = ["Zentrix", "Quorvel", "Blenport", "Trevanta", "Vostrel", "Mirelda"]
# A glossary for the meetings: made-up names none of them says.
MEETING_TERMS = TERMS + ["Plexomatic", "Darnley Sprocket", "Kivuto", "Ombrella Labs"]


def clip_text(hints: str) -> str:
    """The glossary clip's transcript by the app's pipeline, in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--child", "--hints", hints]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(hints: str) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
    django.setup()
    from research import audio
    from research.transcription.pipeline import transcribe

    with tempfile.TemporaryDirectory(prefix="fieldnotes-glossary-") as tmp:
        info = audio.probe(CLIP, max_bytes=2**31, max_seconds=3600)
        wav = audio.normalise(CLIP, Path(tmp) / "clip.wav", info=info, max_seconds=60)
        result = transcribe(wav, hints=hints or None)
    print(json.dumps(" ".join(line.text for line in result.lines)))


def recall(reference: str, text: str, terms: list[str]) -> float:
    """Occurrences of the terms in `text` (at most as many as in the reference) over theirs
    in the reference."""
    from research.transcription.quality import words_of

    ref, got = words_of(reference), words_of(text)
    wanted = found = 0
    for term in terms:
        key = words_of(term)
        said = _count(ref, key)
        wanted += said
        found += min(said, _count(got, key))
    return found / max(1, wanted)


def leaked(text: str, terms: list[str]) -> int:
    from research.transcription.quality import words_of

    words = words_of(text)
    return sum(_count(words, words_of(term)) for term in terms)


def _count(words: list[str], phrase: list[str]) -> int:
    n = len(phrase)
    return sum(words[i : i + n] == phrase for i in range(len(words) - n + 1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--hints", default="")
    args = parser.parse_args()
    if args.child:
        child(args.hints)
        return
    sys.path.insert(0, str(ROOT))
    from benchmarks import meetings
    from research.transcription.loops import text_run
    from research.transcription.quality import word_error_rate, words_of

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    reference = REFERENCE.read_text()
    hints = ", ".join(TERMS)
    off, on = clip_text(""), clip_text(hints)
    print(f"clip off: {off}\nclip on:  {on}")
    recall_off, recall_on = recall(reference, off, TERMS), recall(reference, on, TERMS)
    wer_off, wer_on = word_error_rate(reference, off), word_error_rate(reference, on)
    meeting_hints = ", ".join(MEETING_TERMS)
    plain = meetings.measure("app")
    hinted = meetings.measure("app", meeting_hints)
    total_leaked = 0
    for name in meetings.NAMES:
        a, b = plain[name], hinted[name]
        leaks = leaked(b, MEETING_TERMS)
        total_leaked += leaks
        print(
            f"meeting {name}: words off={len(words_of(a))} on={len(words_of(b))} "
            f"run off={text_run(a)} on={text_run(b)} leaked={leaks}"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(
        f"recall_off={recall_off:.3f} recall_on={recall_on:.3f} wer_off={wer_off:.4f} "
        f"wer_on={wer_on:.4f} meetings_leaked={total_leaked}"
    )


if __name__ == "__main__":
    main()
