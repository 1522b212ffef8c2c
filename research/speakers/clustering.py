"""Grouping window embeddings into speakers: spectral clustering with the speaker count from
the eigengap, then centroid refinement and merging of clusters that are one voice.

The affinity graph links each window to its p most similar windows; p is chosen per recording
as the one whose graph shows the clearest eigengap relative to p (the "normalised maximum
eigengap" of Park et al., 2019). Clusters with little speech are absorbed by their nearest
neighbour, every window goes to its nearest centroid (k-means on the unit sphere, a few
rounds), and clusters whose centroids are closer than ``SAME_VOICE`` are merged: the eigengap
alone splits one voice into pieces (pauses, laughter, a cough).

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
    return labels


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


def refine(embeddings: np.ndarray, weights: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """Assign each window to its nearest centroid, recompute centroids; a few rounds."""
    labels = np.argmax(embeddings @ centroids.T, axis=1)
    for _ in range(REFINE_ROUNDS):
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
