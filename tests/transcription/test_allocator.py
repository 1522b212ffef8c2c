"""glibc malloc settings for the decoder, measured in fresh interpreters."""

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)

# 20 rounds of a 48 MB block, written and freed as the decoder does with its attention scores
# (through malloc itself: numpy asks for huge pages); then 200 MB of 1 MB blocks freed, and
# the resident size before and after release_freed_memory().
PROGRAM = """
import ctypes, json, resource, sys
from research.transcription import allocator

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.memset.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_size_t]
kept = allocator.keep_freed_memory() if sys.argv[1] == "keep" else False

def written(size):
    block = libc.malloc(size)
    libc.memset(block, 1, size)
    return block

before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(20):
    libc.free(written(48 * 2**20))
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20

for block in [written(2**20) for _ in range(200)]:
    libc.free(block)
held = rss()
allocator.release_freed_memory()
print(json.dumps({"kept": kept, "faults": faults, "held": held, "released": rss()}))
"""


def run_fresh(program: str, mode: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", program, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )


def run(mode: str) -> dict:
    return json.loads(run_fresh(PROGRAM, mode).stdout)


def test_kept_memory_is_not_faulted_in_again_and_is_released_after_a_run():
    default, kept = run("default"), run("keep")
    assert kept["kept"] is True
    # 48 MB is 12,288 pages: faulted in 20 times by default, about once when kept.
    assert default["faults"] > 200_000
    assert kept["faults"] < default["faults"] / 5
    assert kept["held"] - kept["released"] > 100  # MB handed back by release_freed_memory()


# Threads that each allocate while the others hold their blocks; malloc_stats() (to stderr)
# lists one "Arena N:" per arena in use.
THREADS_PROGRAM = """
import ctypes, sys, threading
from research.transcription import allocator

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
shared = allocator.share_one_arena() if sys.argv[1] == "one" else False
barrier = threading.Barrier(4)

def allocate():
    libc.malloc(2**20)
    barrier.wait()

threads = [threading.Thread(target=allocate) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(shared)
sys.stdout.flush()
libc.malloc_stats()
"""


def arenas(mode: str) -> tuple[bool, int]:
    out = run_fresh(THREADS_PROGRAM, mode)
    return out.stdout.strip() == "True", out.stderr.count("Arena ")


def test_threads_started_after_share_one_arena_allocate_from_one_arena():
    assert arenas("default") == (False, 5)  # the main thread's and one per thread
    assert arenas("one") == (True, 1)


def test_the_worker_command_sets_up_malloc_before_running():
    assert get_commands()["db_worker"] == "research"
    command = load_command_class("research", "db_worker")
    assert isinstance(command, DbWorkerCommand)
