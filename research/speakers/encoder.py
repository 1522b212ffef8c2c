"""The pretrained speaker encoder of resemblyzer 0.1.4, as a numpy forward pass.

Three LSTM layers (hidden 256) over 160 mel frames, then linear 256 + ReLU on the last
hidden state of the top layer, normalised to length 1. The weights are read once per process
from the ``resemblyzer`` package's ``pretrained.pt`` (installed without torch). Partials are
run in batches, so each LSTM step is one matrix product for many windows at once.
"""

from __future__ import annotations

import ctypes
import glob
import importlib.util
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import numpy as np

from research.speakers.frontend import PARTIAL_FRAMES, mel_spectrogram, normalise_volume
from research.speakers.weights import read_state

HIDDEN = 256
LAYERS = 3
EMBEDDING_SIZE = 256
BATCH = 64  # partials per forward pass: big enough for efficient products, small in memory

_lock = threading.Lock()
_encoder: VoiceEncoder | None = None


class EncoderNotFound(Exception):
    """The resemblyzer package (which ships the weights) is not installed."""


def weights_path() -> Path:
    spec = importlib.util.find_spec("resemblyzer")  # found, not imported: it would need torch
    if spec is None or not spec.submodule_search_locations:
        raise EncoderNotFound(
            "The speaker encoder's weights come from the resemblyzer package: "
            "pip install --no-deps resemblyzer==0.1.4"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained.pt"


def voice_encoder() -> VoiceEncoder:
    """The process's one encoder (weights read on first use)."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = VoiceEncoder(read_state(weights_path()))
        return _encoder


class VoiceEncoder:
    def __init__(self, state: dict[str, np.ndarray]) -> None:
        self.w_ih = [np.ascontiguousarray(state[f"lstm.weight_ih_l{i}"].T) for i in range(LAYERS)]
        self.w_hh = [np.ascontiguousarray(state[f"lstm.weight_hh_l{i}"].T) for i in range(LAYERS)]
        self.bias = [
            state[f"lstm.bias_ih_l{i}"] + state[f"lstm.bias_hh_l{i}"] for i in range(LAYERS)
        ]
        self.linear_w = np.ascontiguousarray(state["linear.weight"].T)
        self.linear_b = state["linear.bias"]

    def embed_mels(self, mels: np.ndarray, *, threads: int = 1) -> np.ndarray:
        """(n, frames, 40) mel partials to (n, 256) unit-length embeddings.

        Each batch runs on one thread with single-threaded BLAS: the products of one LSTM step
        are too small to split, and OpenBLAS's own threads on a busy machine made them ten
        times slower (measured: 130 ms against 18 ms per partial)."""
        out = np.zeros((len(mels), EMBEDDING_SIZE), dtype=np.float32)
        firsts = range(0, len(mels), BATCH)

        def run(first: int) -> None:
            _blas_single_thread()
            out[first : first + BATCH] = self._forward(mels[first : first + BATCH])

        if threads <= 1 or len(firsts) <= 1:
            for first in firsts:
                run(first)
        else:
            list(_pool(threads).map(run, firsts))
        return out

    def _forward(self, x: np.ndarray) -> np.ndarray:
        batch, steps, _ = x.shape
        seq = np.ascontiguousarray(x.transpose(1, 0, 2), dtype=np.float32)  # (steps, batch, in)
        h = np.zeros((batch, HIDDEN), dtype=np.float32)
        for layer in range(LAYERS):
            gates_in = (
                seq.reshape(steps * batch, -1) @ self.w_ih[layer] + self.bias[layer]
            ).reshape(steps, batch, 4 * HIDDEN)
            h = np.zeros((batch, HIDDEN), dtype=np.float32)
            c = np.zeros((batch, HIDDEN), dtype=np.float32)
            top = layer == LAYERS - 1
            outputs = None if top else np.empty((steps, batch, HIDDEN), dtype=np.float32)
            w_hh = self.w_hh[layer]
            gates = np.empty((batch, 4 * HIDDEN), dtype=np.float32)
            for t in range(steps):
                np.matmul(h, w_hh, out=gates)
                gates += gates_in[t]
                # PyTorch's gate order: input, forget, cell, output. sigmoid(x) = (1+tanh(x/2))/2
                s = np.tanh(gates * 0.5)
                s += 1.0
                s *= 0.5
                g = np.tanh(gates[:, 2 * HIDDEN : 3 * HIDDEN])
                c *= s[:, HIDDEN : 2 * HIDDEN]
                c += s[:, :HIDDEN] * g
                h = s[:, 3 * HIDDEN :] * np.tanh(c)
                if outputs is not None:
                    outputs[t] = h
            if outputs is not None:
                seq = outputs
        raw = np.maximum(h @ self.linear_w + self.linear_b, 0.0)
        norms = np.linalg.norm(raw, axis=1, keepdims=True)
        return raw / np.maximum(norms, 1e-9)


def partial_mels(audio: np.ndarray, *, rate: float = 1.3, min_coverage: float = 0.75) -> np.ndarray:
    """resemblyzer's partials of one utterance: 160-frame slices at `rate` per second."""
    samples_per_frame = 160
    n_frames = int(np.ceil((len(audio) + 1) / samples_per_frame))
    step = int(np.round((16_000 / rate) / samples_per_frame))
    starts = list(range(0, max(1, n_frames - PARTIAL_FRAMES + step + 1), step))
    last = starts[-1] * samples_per_frame
    coverage = (len(audio) - last) / (PARTIAL_FRAMES * samples_per_frame)
    if coverage < min_coverage and len(starts) > 1:
        starts = starts[:-1]
    need = (starts[-1] + PARTIAL_FRAMES) * samples_per_frame
    if need >= len(audio):
        audio = np.pad(audio, (0, need - len(audio)))
    mel = mel_spectrogram(audio)
    return np.stack([mel[s : s + PARTIAL_FRAMES] for s in starts])


def embed_utterance(audio: np.ndarray) -> np.ndarray:
    """One utterance's embedding: the normalised mean of its partials' (resemblyzer's way)."""
    partials = voice_encoder().embed_mels(partial_mels(normalise_volume(audio)))
    mean = partials.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)


@cache
def _pool(threads: int) -> ThreadPoolExecutor:
    """Threads kept for the process: new threads per call would each get a malloc arena that
    keeps its freed buffers (RSS grew by ~90 MB a minute on a 4-hour recording)."""
    return ThreadPoolExecutor(max_workers=threads, thread_name_prefix="voice-encoder")


@cache
def _openblas_local_threads():
    """OpenBLAS's per-thread thread count setter in numpy's bundled library, if there is one."""
    libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
    for path in glob.glob(os.path.join(libs, "libscipy_openblas*.so")):
        try:
            setter = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
        return setter
    return None


def _blas_single_thread() -> None:
    setter = _openblas_local_threads()
    if setter is not None:
        setter(1)
