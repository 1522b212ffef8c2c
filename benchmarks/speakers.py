"""Speaker detection (diarization) quality, speed and memory on real voices.

    python benchmarks/speakers.py [--mixed 24] [--seed 7] [--hours 4] [--skip-long]

Scores, with DER (collar 0.25 s, overlapped speech scored, best one-to-one label mapping):

- the six 30 s AMI meeting excerpts in ../shared/audio/meetings (their RTTM references);
- ../shared/audio/stereo_diarization.wav mixed to mono; the reference turns come from each
  channel's energy (a 50 ms frame is a speaker's when that channel is loud);
- ``--mixed`` two- and three-person conversations mixed from real speech: turns cut from the
  meeting clips' single-speaker regions (per RTTM) and jfk.flac, pauses, some overlapping
  starts, a quiet speaker in some, background noise made by sox in some. Seeded.

Then the speaker step's real-time factor (CPU seconds of ``diarize_audio`` per audio second),
the peak memory of ``diarize`` on a ``--hours`` long concatenation of the mixed
conversations (in a fresh process, ru_maxrss), and voice-profile matching: a profile (mean
embedding) per speaker from some conversations, suggestions for the speakers of the others
at FIELDNOTES_VOICE_MATCH_THRESHOLD. The last line is exactly
``der_meetings=<median> der_mixed=<median> count_right=<share> rtf_diar=<..>``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
AUDIO = ROOT.parent / "shared" / "audio"
MEETINGS = ["dev00", "dev01", "sample", "tst00", "trn05", "trn07"]
RATE = 16_000


def load(path: Path, channel: int | None = None) -> np.ndarray:
    cmd = ["ffmpeg", "-v", "error", "-i", str(path)]
    cmd += ["-af", f"pan=mono|c0=c{channel}"] if channel is not None else []
    cmd += ["-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"]
    raw = subprocess.run(cmd, capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def meeting_cases():
    from research.speakers.scoring import read_rttm

    for name in MEETINGS:
        ref = read_rttm((AUDIO / "meetings" / f"{name}.rttm").read_text())
        yield name, load(AUDIO / "meetings" / f"{name}.wav"), ref


def stereo_case():
    """The two-channel clip mixed to mono; each channel's loud frames are its speaker's."""
    left, right = (load(AUDIO / "stereo_diarization.wav", c) for c in (0, 1))
    frame = RATE // 20
    ref = []
    for label, signal in (("left", left), ("right", right)):
        n = len(signal) // frame
        energy = np.sqrt(np.square(signal[: n * frame].reshape(n, frame)).mean(axis=1))
        loud = energy > max(0.01, 0.1 * energy.max())
        start = None
        for k, on in enumerate([*loud, False]):
            if on and start is None:
                start = k
            elif not on and start is not None:
                if k - start >= 4:
                    ref.append((start * 0.05, k * 0.05, label))
                start = None
    return "stereo_mono", (left + right) / 2, _joined(ref, 0.3)


def _joined(turns, gap):
    out = []
    for start, end, label in sorted(turns, key=lambda t: (t[2], t[0])):
        if out and out[-1][2] == label and start - out[-1][1] < gap:
            out[-1] = (out[-1][0], end, label)
        else:
            out.append((start, end, label))
    return sorted(out)


def voice_bank() -> dict[str, list[np.ndarray]]:
    """Single-speaker stretches (>= 1.2 s, nobody else talking) per speaker."""
    from research.speakers.scoring import read_rttm

    bank: dict[str, list[np.ndarray]] = {}
    for name in MEETINGS:
        audio = load(AUDIO / "meetings" / f"{name}.wav")
        ref = read_rttm((AUDIO / "meetings" / f"{name}.rttm").read_text())
        for start, end, label in ref:
            others = [(a, b) for a, b, lab in ref if lab != label and a < end and b > start]
            pieces, cursor = [], start
            for a, b in sorted(others):
                pieces.append((cursor, min(a, end)))
                cursor = max(cursor, b)
            pieces.append((cursor, end))
            for a, b in pieces:
                if b - a >= 1.2:
                    bank.setdefault(label, []).append(audio[int(a * RATE) : int(b * RATE)])
    bank["JFK"] = [load(AUDIO / "jfk.flac")[int(0.3 * RATE) : int(10.8 * RATE)]]
    return {k: v for k, v in bank.items() if sum(len(x) for x in v) >= 4 * RATE}


def noise(seconds: float, seed: int) -> np.ndarray:
    """Brown-ish room noise from sox (repeatable with -R), at unit RMS."""
    out = subprocess.run(
        [
            "sox",
            "-R",
            "-n",
            "-r",
            str(RATE),
            "-c",
            "1",
            "-b",
            "16",
            "-t",
            "raw",
            "-",
            "synth",
            f"{seconds:.2f}",
            "brownnoise",
            "vol",
            "0.5",
        ],
        capture_output=True,
        check=True,
    ).stdout
    signal = np.frombuffer(out, dtype="<i2").astype(np.float32)
    signal = np.roll(signal, seed * 997)
    return signal / max(float(np.sqrt(np.mean(signal**2))), 1e-9)


def mixed_cases(count: int, seed: int):
    rng = np.random.default_rng(seed)
    bank = voice_bank()
    names = sorted(bank)
    for c in range(count):
        people = list(rng.choice(names, size=2 if c % 2 == 0 else 3, replace=False))
        quiet = people[-1] if c % 4 == 1 else None
        noisy = c % 3 == 2
        turns, pieces, t, last = [], [], 0.5, None
        for _ in range(int(rng.integers(8, 13))):
            who = str(rng.choice([p for p in people if p != last]))
            stock = bank[who][int(rng.integers(len(bank[who])))]
            length = min(len(stock), int(rng.uniform(1.5, 5.0) * RATE))
            offset = int(rng.integers(0, len(stock) - length + 1))
            clip = stock[offset : offset + length]
            clip = clip / max(float(np.sqrt(np.mean(clip**2))), 1e-6) * 0.05
            if who == quiet:
                clip = clip * 0.25  # 12 dB quieter
            start = t - (rng.uniform(0.3, 0.6) if last and rng.random() < 0.15 else 0.0)
            pieces.append((start, clip))
            turns.append((start, start + len(clip) / RATE, who))
            t = start + len(clip) / RATE + rng.uniform(0.2, 1.0)
            last = who
        audio = np.zeros(int((t + 0.5) * RATE), dtype=np.float32)
        for start, clip in pieces:
            a = int(start * RATE)
            audio[a : a + len(clip)] += clip
        if noisy:
            hum = noise(len(audio) / RATE + 0.1, c)[: len(audio)]
            audio[: len(hum)] += 0.004 * hum
        tags = f"{len(people)}p" + ("-quiet" if quiet else "") + ("-noise" if noisy else "")
        yield f"mix{c:02d}-{tags}", audio.astype(np.float32), turns
