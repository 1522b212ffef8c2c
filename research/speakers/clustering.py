"""Grouping window embeddings into speakers: spectral clustering with the speaker count from
the eigengap, then centroid refinement and merging of clusters that are one voice.

The affinity graph links each window to its p most similar windows; p is chosen per recording
as the one whose graph shows the clearest eigengap relative to p (the "normalised maximum
eigengap" of Park et al., 2019). Clusters with little speech are absorbed by their nearest
neighbour, every window goes to its nearest centroid (k-means on the unit sphere, a few
rounds), and clusters whose centroids are closer than ``SAME_VOICE`` are merged: the eigengap
alone splits one voice into pieces (pauses, laughter, a cough).

Voices recorded in one room are alike in the raw embeddings (cosine 0.81-0.89 between two
people at one AMI table), so all of that can end as one cluster. Then the recording's mean
embedding (the room and channel every window shares) is subtracted and the centred windows are
split in two from "blind seeds" (the two most distant windows, refined by centroid
reassignment). The split is kept when both sides have a real share of the speech and it follows
the conversation's turns: its labels change between neighbouring windows far less often than
the same labels shuffled would. One voice split this way flips back and forth (measured: jfk.flac
0.76 of the shuffled rate; two same-room AMI speakers 0.27 and 0.37).

Memory stays bounded on long recordings: at most ``MAX_LINKED`` windows, spread evenly over the
recording, enter the pairwise matrix; all windows are then assigned to the centroids.
"""

from __future__ import annotations

import numpy as np

MAX_LINKED = 800  # windows in the pairwise matrix and its eigendecomposition
SAME_VOICE = 0.80  # centroids closer than this are one speaker (tuned on benchmarks/speakers.py)
MIN_SHARE = 0.05  # a cluster with less of the speech than this is not a speaker of its own
MIN_SECONDS = 2.0  # ... nor one with less speech than this
MAX_SPEAKERS = 8
PRUNING = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4)
REFINE_ROUNDS = 5
SPLIT_MIN_WINDOWS = 6  # fewer windows than this say too little about turns
SPLIT_MIN_SHARE = 0.15  # each side of a same-room split holds at least this share of the speech
SEED_MIN_SECONDS = 0.6  # a seed window speaks for this long at least (not a click or a breath)
SPLIT_MAX_CHANGES = 0.5  # label changes of a kept split, relative to the same labels shuffled


def unit(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def cluster_windows(
    embeddings: np.ndarray,
    seconds: np.ndarray,
    *,
    same_voice: float = SAME_VOICE,
    max_speakers: int | None = None,
    num_speakers: int | None = None,
) -> np.ndarray:
    """A speaker index (0..k-1) for each window; `seconds` is how much speech each stands for.

    `num_speakers` forces the count; `max_speakers` bounds it."""
    n = len(embeddings)
    if n == 0:
        return np.zeros(0, dtype=int)
    embeddings = unit(embeddings.astype(np.float32))
    weights = np.maximum(seconds.astype(np.float64), 1e-3)
    picked = np.unique(np.linspace(0, n - 1, min(n, MAX_LINKED)).round().astype(int))
    limit = min(num_speakers or max_speakers or MAX_SPEAKERS, len(picked))
    groups = spectral(embeddings[picked], limit=limit, forced=num_speakers)
    if not num_speakers:
        groups = absorb_small(embeddings[picked], weights[picked], groups)
    centroids = _centroids(embeddings[picked], weights[picked], groups)
    labels = refine(embeddings, weights, centroids)
    if not num_speakers:
        labels = merge_same_voice(embeddings, weights, labels, same_voice)
        if labels.max() == 0 and (max_speakers is None or max_speakers >= 2):
            labels = split_same_room(embeddings, weights, picked)
    return labels


def split_same_room(embeddings: np.ndarray, weights: np.ndarray, picked: np.ndarray) -> np.ndarray:
    """Two speakers if the room-centred windows split into two sides that take turns, else one.

    `embeddings` are unit rows in time order; `picked` indexes the windows the seeds are chosen
    from (bounded, like the pairwise matrix)."""
    n = len(embeddings)
    one = np.zeros(n, dtype=int)
    if n < SPLIT_MIN_WINDOWS:
        return one
    mean = (embeddings * weights[:, None]).sum(axis=0) / weights.sum()
    centred = unit(embeddings - mean)
    candidates = picked[weights[picked] >= SEED_MIN_SECONDS]
    if len(candidates) < 2:
        return one
    labels = refine(centred, weights, _blind_seeds(centred[candidates], 2), rounds=10)
    if labels.max() != 1:
        return one
    shares = np.bincount(labels, weights=weights) / weights.sum()
    if shares.min() < SPLIT_MIN_SHARE:
        return one
    changes = int((labels[1:] != labels[:-1]).sum())
    share = labels.mean()
    shuffled = 2 * share * (1 - share) * (n - 1)  # expected changes in a random order
    return labels if changes < SPLIT_MAX_CHANGES * shuffled else one


def _blind_seeds(points: np.ndarray, k: int) -> np.ndarray:
    """k seed centroids: the two most distant points, then each the point farthest from those
    already chosen (no random start, so a recording always gives the same speakers)."""
    sim = points @ points.T
    first, second = divmod(int(np.argmin(sim)), len(points))
    chosen = [first, second]
    while len(chosen) < k:
        nearest = sim[:, chosen].max(axis=1)
        nearest[chosen] = np.inf
        chosen.append(int(np.argmin(nearest)))
    return points[chosen[:k]]


def spectral(embeddings: np.ndarray, *, limit: int, forced: int | None = None) -> np.ndarray:
    n = len(embeddings)
    if n < 3 or limit <= 1:
        return np.zeros(n, dtype=int)
    sim = embeddings @ embeddings.T
    order = np.argsort(-sim, axis=1)
    best = None
    for p in sorted({max(2, int(round(f * n))) for f in PRUNING}):
        if p >= n:
            continue
        graph = np.zeros_like(sim)
        np.put_along_axis(graph, order[:, 1 : p + 1], 1.0, axis=1)
        graph = (graph + graph.T) / 2
        values, vectors = np.linalg.eigh(np.diag(graph.sum(axis=1)) - graph)
        top = min(limit, n - 1)
        gaps = np.diff(values[: top + 1])
        k = forced or int(np.argmax(gaps)) + 1
        gap = gaps[min(k, len(gaps)) - 1] / max(values[-1], 1e-9)
        ratio = (p / n) / max(gap, 1e-9)
        if best is None or ratio < best[0]:
            best = (ratio, k, vectors[:, :k])
    if best is None:
        return np.zeros(n, dtype=int)
    _, k, vectors = best
    if k <= 1:
        return np.zeros(n, dtype=int)
    return _kmeans(unit(vectors), k)


def _kmeans(points: np.ndarray, k: int, *, tries: int = 5, rounds: int = 30) -> np.ndarray:
    rng = np.random.default_rng(0)  # the same recording always gives the same speakers
    best = None
    for _ in range(tries):
        centres = points[rng.choice(len(points), k, replace=False)]
        for _ in range(rounds):
            dist = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
            labels = np.argmin(dist, axis=1)
            centres = np.stack(
                [
                    points[labels == g].mean(axis=0) if (labels == g).any() else centres[g]
                    for g in range(k)
                ]
            )
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels)
    _, labels = np.unique(best[1], return_inverse=True)
    return labels


def _centroids(embeddings: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> np.ndarray:
    return np.stack(
        [
            unit((embeddings[labels == g] * weights[labels == g, None]).sum(axis=0))
            for g in np.unique(labels)
        ]
    )


def absorb_small(embeddings: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Give the windows of clusters with little speech to the nearest big cluster."""
    labels = labels.copy()
    total = float(weights.sum())
    while True:
        groups = np.unique(labels)
        if len(groups) < 2:
            break
        speech = {g: float(weights[labels == g].sum()) for g in groups}
        small = [g for g in groups if speech[g] < MIN_SECONDS or speech[g] < MIN_SHARE * total]
        if not small:
            break
        g = min(small, key=lambda s: speech[s])
        others = np.array([h for h in groups if h != g])
        centres = np.stack(
            [
                unit((embeddings[labels == h] * weights[labels == h, None]).sum(axis=0))
                for h in others
            ]
        )
        members = np.flatnonzero(labels == g)
        labels[members] = others[np.argmax(embeddings[members] @ centres.T, axis=1)]
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def refine(
    embeddings: np.ndarray, weights: np.ndarray, centroids: np.ndarray, rounds: int = REFINE_ROUNDS
) -> np.ndarray:
    """Assign each window to its nearest centroid, recompute centroids; a few rounds."""
    labels = np.argmax(embeddings @ centroids.T, axis=1)
    for _ in range(rounds):
        centroids = _centroids(embeddings, weights, labels)
        new = np.argmax(embeddings @ centroids.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    _, labels = np.unique(labels, return_inverse=True)
    return labels


def merge_same_voice(
    embeddings: np.ndarray, weights: np.ndarray, labels: np.ndarray, same_voice: float
) -> np.ndarray:
    """Join clusters whose centroids are closer than `same_voice`, closest first."""
    labels = labels.copy()
    while True:
        groups = np.unique(labels)
        if len(groups) < 2:
            break
        centres = _centroids(embeddings, weights, labels)
        sim = centres @ centres.T
        np.fill_diagonal(sim, -np.inf)
        i, j = divmod(int(np.argmax(sim)), len(groups))
        if sim[i, j] < same_voice:
            break
        labels[labels == groups[j]] = groups[i]
    _, labels = np.unique(labels, return_inverse=True)
    return labels
