"""Voices as stored on a transcript ({label: {"embedding": [...], "seconds": s}}), compared
with each other and folded into a person's voice profile."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from research.speakers.diarize import Diarization


def voice_similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two voice embeddings (1.0 = the same direction)."""
    x, y = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if x.shape != y.shape or not x.size:
        raise ValueError("Voice embeddings must have the same, non-zero length.")
    norms = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y / norms) if norms else 0.0


def voice_profile_update(
    old_embedding: Sequence[float] | None,
    old_seconds: float,
    new_embedding: Sequence[float],
    new_seconds: float,
) -> tuple[list[float], float]:
    """A profile's embedding after hearing `new_seconds` more of the voice: the mean of both,
    weighted by seconds of speech, normalised to length 1; and the total seconds."""
    new = np.asarray(new_embedding, dtype=np.float64)
    total = max(float(old_seconds), 0.0) + max(float(new_seconds), 0.0)
    if old_embedding is None or not len(old_embedding) or old_seconds <= 0:
        mixed = new
    else:
        old = np.asarray(old_embedding, dtype=np.float64)
        if old.shape != new.shape:
            raise ValueError("Voice embeddings must have the same length.")
        mixed = old * old_seconds + new * max(float(new_seconds), 0.0)
    norm = float(np.linalg.norm(mixed))
    mixed = mixed / norm if norm else mixed
    return [round(float(v), 6) for v in mixed], round(total, 2)


def voices_json(diarization: Diarization) -> dict[str, dict]:
    """What ``Transcript.voices`` stores."""
    return {
        label: {
            "embedding": [round(float(v), 6) for v in voice.embedding],
            "seconds": voice.seconds,
        }
        for label, voice in diarization.voices.items()
    }
