"""Diarization error rate (DER) against reference turns, and RTTM in and out.

DER = (missed speech + false alarm + speaker confusion) / reference speech, scored on a 10 ms
grid, with a collar around each reference boundary left unscored and overlapped speech scored:
where two people talk at once, a system that names one of them misses the other. Hypothesis
labels are mapped to reference labels one to one, the mapping that maximises matched time
(Hungarian method).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

STEP = 0.01


def rttm_lines(name: str, turns: Iterable) -> list[str]:
    """RTTM SPEAKER lines for turns that have start, end and label."""
    return [
        f"SPEAKER {name} 1 {t.start:.3f} {t.end - t.start:.3f} <NA> <NA> "
        f"{t.label.replace(' ', '_')} <NA> <NA>"
        for t in turns
    ]


def read_rttm(text: str) -> list[tuple[float, float, str]]:
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 8 and parts[0] == "SPEAKER":
            start, duration = float(parts[3]), float(parts[4])
            out.append((start, start + duration, parts[7]))
    return out


def _grid(turns, labels: list[str], frames: int) -> np.ndarray:
    grid = np.zeros((len(labels), frames), dtype=bool)
    index = {label: i for i, label in enumerate(labels)}
    for start, end, label in turns:
        a, b = int(round(start / STEP)), int(round(end / STEP))
        grid[index[label], max(0, a) : min(frames, b)] = True
    return grid


def der(
    reference: list[tuple[float, float, str]],
    hypothesis: list[tuple[float, float, str]],
    *,
    collar: float = 0.25,
    duration: float | None = None,
) -> float:
    end = max([e for _, e, _ in reference + hypothesis] + [duration or 0.0])
    frames = int(np.ceil(end / STEP)) + 1
    ref_labels = sorted({lab for *_, lab in reference})
    hyp_labels = sorted({lab for *_, lab in hypothesis})
    ref = _grid(reference, ref_labels, frames)
    hyp = _grid(hypothesis, hyp_labels, frames)
    scored = np.ones(frames, dtype=bool)
    c = int(round(collar / STEP))
    for start, stop, _ in reference:
        for t in (start, stop):
            k = int(round(t / STEP))
            scored[max(0, k - c) : k + c] = False
    ref, hyp = ref[:, scored], hyp[:, scored]
    n_ref, n_hyp = ref.sum(axis=0), hyp.sum(axis=0)
    total = float(n_ref.sum())
    if total == 0:
        return 0.0 if n_hyp.sum() == 0 else 1.0
    overlap = ref.astype(np.int32) @ hyp.T.astype(np.int32)  # matched frames per label pair
    pairs = hungarian(-overlap.astype(float)) if len(ref_labels) and len(hyp_labels) else []
    matched = np.zeros(ref.shape[1], dtype=np.int32)
    for r, h in pairs:
        matched += ref[r] & hyp[h]
    # Per frame: errors = max(n_ref, n_hyp) - correct (NIST md-eval's definition)
    errors = np.maximum(n_ref, n_hyp) - matched
    return float(errors.sum()) / total


def hungarian(cost: np.ndarray) -> list[tuple[int, int]]:
    """Row-column pairs of least total cost (rectangular allowed; O(n³) Kuhn-Munkres)."""
    cost = np.asarray(cost, dtype=float)
    transposed = cost.shape[0] > cost.shape[1]
    if transposed:
        cost = cost.T
    n, m = cost.shape
    u, v = np.zeros(n + 1), np.zeros(m + 1)
    p, way = np.zeros(m + 1, dtype=int), np.zeros(m + 1, dtype=int)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, np.inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta, j1 = np.inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1, j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = [(p[j] - 1, j - 1) for j in range(1, m + 1) if p[j]]
    return [(c, r) for r, c in pairs] if transposed else pairs
