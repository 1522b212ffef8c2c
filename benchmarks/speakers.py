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
at the team's default voice match threshold. The last line is exactly
``der_meetings=<median> der_mixed=<median> count_right=<share> rtf_diar=<..>``.

Against tuning to the test: settings are chosen on one half (the meetings in ``TUNE``, the
mixed conversations of seed 7) and the other half is reported too (the meetings in
``HELD_OUT`` on the line before the last; the mixed conversations of ``--seed 8``).
``der_mixed_noisy`` is the median over the mixes with room noise: in the others the pauses
between turns are digital silence, which no real recording has.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fieldnotes.settings")
AUDIO = ROOT.parent / "shared" / "audio"
MEETINGS = ["dev00", "dev01", "sample", "tst00", "trn05", "trn07"]
TUNE = ("dev00", "sample", "tst00")  # settings are chosen on these (2, 2 and 4 speakers)
HELD_OUT = ("dev01", "trn05", "trn07")  # ... and checked on these (2, 4 and 4)
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


def diarized(cases):
    """(name, duration, reference, diarization, cpu seconds, wall seconds) per case."""
    from research.speakers.diarize import diarize_audio

    for name, audio, ref in cases:
        cpu, wall = time.process_time(), time.perf_counter()
        found = diarize_audio(audio)
        yield (
            name,
            len(audio) / RATE,
            ref,
            found,
            time.process_time() - cpu,
            (time.perf_counter() - wall),
        )


def score(rows, label: str):
    from research.speakers.scoring import der

    out = []
    for name, duration, ref, found, cpu, wall in rows:
        hyp = [(t.start, t.end, t.label) for t in found.turns]
        error = der(ref, hyp, duration=duration)
        right = len(found.voices) == len({lab for *_, lab in ref})
        print(
            f"{label:8s} {name:22s} der={error:.3f} speakers={len(found.voices)}"
            f"/{len({lab for *_, lab in ref})} {'ok' if right else 'WRONG'} "
            f"cpu_rtf={cpu / duration:.4f} wall_rtf={wall / duration:.4f}"
        )
        out.append((name, duration, ref, found, error, right, cpu, wall))
    return out


def owner_of(label: str, found, ref) -> str | None:
    """The reference speaker who talks most during a hypothesis label's turns."""
    time_with: dict[str, float] = {}
    for turn in found.turns:
        if turn.label != label:
            continue
        for start, end, who in ref:
            shared = min(end, turn.end) - max(start, turn.start)
            if shared > 0:
                time_with[who] = time_with.get(who, 0.0) + shared
    return max(time_with, key=time_with.get) if time_with else None


def profile_matching(scored, thresholds):
    """Profiles from the first half of the mixed conversations, suggestions in the second."""
    from research.speakers.voices import voice_profile_update, voice_similarity

    half = len(scored) // 2
    profiles: dict[str, tuple[list[float], float]] = {}
    for _, _, ref, found, *_ in scored[:half]:
        for label, voice in found.voices.items():
            who = owner_of(label, found, ref)
            if who:
                old, seconds = profiles.get(who, (None, 0.0))
                profiles[who] = voice_profile_update(old, seconds, voice.embedding, voice.seconds)
    trials = []
    for _, _, ref, found, *_ in scored[half:]:
        for label, voice in found.voices.items():
            who = owner_of(label, found, ref)
            best = max(profiles, key=lambda p: voice_similarity(profiles[p][0], voice.embedding))
            trials.append((who, best, voice_similarity(profiles[best][0], voice.embedding)))
    print(
        f"profiles: {len(profiles)} people from {half} conversations; "
        f"{len(trials)} speakers in {len(scored) - half} others"
    )
    for threshold in thresholds:
        suggested = [(who, best) for who, best, sim in trials if sim >= threshold]
        correct = sum(who == best for who, best in suggested)
        known = sum(who in profiles for who, _, _ in trials)
        precision = correct / len(suggested) if suggested else 1.0
        recall = correct / known if known else 0.0
        print(
            f"voice_match threshold={threshold:.2f} suggestions={len(suggested)} "
            f"precision={precision:.3f} recall={recall:.3f}"
        )


LONG_RUN = """
import json, resource, sys, time
import django
django.setup()
from research.speakers.diarize import diarize
cpu, wall = time.process_time(), time.perf_counter()
found = diarize(sys.argv[1])
print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "speakers": len(found.voices), "turns": len(found.turns)}))
"""


def long_recording(mixed, hours: float, workdir: Path) -> dict:
    """The mixed conversations over and over with 2 s pauses, `hours` long, written as a WAV
    piece by piece; ``diarize`` runs on it in a fresh process."""
    import json

    path = workdir / "long.wav"
    target = int(hours * 3600 * RATE)
    written = 0
    pause = np.zeros(2 * RATE, dtype="<i2").tobytes()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        while written < target:
            for _, audio, _ in mixed:
                pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2")[: target - written]
                out.writeframes(pcm.tobytes() + pause)
                written += len(pcm) + 2 * RATE
                if written >= target:
                    break
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-c", LONG_RUN, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["seconds"] = written / RATE
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mixed", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--hours", type=float, default=4.0)
    parser.add_argument("--skip-long", action="store_true")
    args = parser.parse_args()
    import django

    django.setup()
    from research.models import Team

    meetings = score(diarized(meeting_cases()), "meeting")
    stereo = score(diarized([stereo_case()]), "stereo")
    mixed_audio = list(mixed_cases(args.mixed, args.seed))
    print(
        f"mixed: {args.mixed} conversations (seed {args.seed}) of turns cut from the meeting "
        "clips' single-speaker regions and jfk.flac"
    )
    mixed = score(diarized(mixed_audio), "mixed")
    everything = meetings + stereo + mixed
    audio_seconds = sum(row[1] for row in everything)
    rtf_diar = sum(row[6] for row in everything) / audio_seconds
    wall_rtf = sum(row[7] for row in everything) / audio_seconds
    print(
        f"speaker step on {audio_seconds:.0f} s of audio: cpu_rtf={rtf_diar:.4f} "
        f"(CPU seconds of all threads per audio second) wall_rtf={wall_rtf:.4f}"
    )
    threshold = Team._meta.get_field("voice_match_threshold").default
    profile_matching(mixed, sorted({0.75, 0.8, 0.85, 0.9, threshold}))
    print(f"default team voice_match_threshold={threshold}")
    if not args.skip_long:
        with tempfile.TemporaryDirectory(prefix="fieldnotes-speakers-") as tmp:
            long = long_recording(mixed_audio, args.hours, Path(tmp))
        print(
            f"long recording: {long['seconds'] / 3600:.2f} h of the mixed conversations "
            f"repeated with 2 s pauses: peak_rss_mb={long['peak_rss_mb']:.0f} "
            f"cpu_rtf={long['cpu'] / long['seconds']:.4f} "
            f"wall_rtf={long['wall'] / long['seconds']:.4f} speakers={long['speakers']}"
        )
    der_meetings = float(np.median([row[4] for row in meetings]))
    der_mixed = float(np.median([row[4] for row in mixed]))
    halves = {
        half: float(np.median([row[4] for row in meetings if row[0] in names]))
        for half, names in (("tune", TUNE), ("held_out", HELD_OUT))
    }
    noisy = float(np.median([row[4] for row in mixed if "noise" in row[0]]))
    print(
        f"der_meetings_tune={halves['tune']:.3f} ({','.join(TUNE)}) "
        f"der_meetings_held_out={halves['held_out']:.3f} ({','.join(HELD_OUT)}) "
        f"der_mixed_noisy={noisy:.3f} (seed {args.seed})"
    )
    count_right = float(np.mean([row[5] for row in meetings + stereo + mixed]))
    print(
        f"der_meetings={der_meetings:.3f} der_mixed={der_mixed:.3f} "
        f"count_right={count_right:.2f} rtf_diar={rtf_diar:.4f}"
    )


if __name__ == "__main__":
    main()
