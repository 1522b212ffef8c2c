"""glibc malloc settings for the speech decoder's large, short-lived buffers.

CTranslate2 allocates its attention and output buffers (up to tens of MB) afresh for every
layer of every clip. With glibc's defaults, blocks over 32 MB are mapped and unmapped each
time, and the per-thread arenas hand freed memory back, so the kernel zeroes the same pages
again and again: 1.7 million page faults for 10 minutes of speech, about 15 % of the CPU time.
One arena that keeps what it frees brings that down to 0.15 million faults, with a lower peak.
``release_freed_memory`` gives the memory back once a recording is done.

``share_one_arena`` must come before other threads start (the worker command calls it), else
threads that already have an arena keep it. ``keep_freed_memory`` comes after the model is
loaded: loading allocates packed weights in large blocks whose tails are never written, and in
mapped blocks those pages are never made resident, while carved from a heap that earlier
loading steps had already written they are (about 100 MB more for tiny.en on an MKL build).
Elsewhere than glibc these are no-ops.
"""

from __future__ import annotations

import ctypes
import platform
import threading

M_TRIM_THRESHOLD = -1
M_MMAP_MAX = -4
M_ARENA_MAX = -8
KEEP_BYTES = 2**31 - 1  # the largest trim threshold (an int): freed memory is kept

_lock = threading.Lock()
_kept = False
_one_arena = False


def _glibc():
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL("libc.so.6")
    except OSError:  # pragma: no cover - glibc without the usual soname
        return None


def share_one_arena() -> bool:
    """Every thread started from now on allocates from one arena; True where it took effect."""
    global _one_arena
    with _lock:
        if not _one_arena:
            libc = _glibc()
            _one_arena = libc is not None and libc.mallopt(M_ARENA_MAX, 1) == 1
        return _one_arena


def keep_freed_memory() -> bool:
    """No mmapped blocks and no trimming from now on; True where it took effect."""
    global _kept
    with _lock:
        if _kept:
            return True
        libc = _glibc()
        if libc is None:
            return False
        _kept = all(
            libc.mallopt(option, value) == 1
            for option, value in ((M_MMAP_MAX, 0), (M_TRIM_THRESHOLD, KEEP_BYTES))
        )
        return _kept


def release_freed_memory() -> None:
    """Hand memory the decoder freed back to the system (between recordings)."""
    libc = _glibc()
    if libc is not None and _kept:
        libc.malloc_trim(0)
