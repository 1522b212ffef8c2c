"""Run one recording through the app's job path and measure it.

A throwaway SQLite database and audio folder; ``manage.py import_recordings``
stores the file and queues the job exactly as an upload does; then a real
``manage.py db_worker --batch`` process runs it. The time is the job's own
(claimed -> transcript committed: probe, normalise, model load, transcribe,
write), and the memory is the worker process's peak RSS (``wait4``).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = """
from django.contrib.auth import get_user_model
from research.models import Project
from research.services.teams import team_create
user = get_user_model().objects.create_user("bench", "bench@example.com", "pw-bench-12345")
team = team_create(name="Bench", owner=user)
Project.objects.create(team=team, name="Bench", slug="bench")
"""


def measure(speech: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="fieldnotes-job-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{db}",
            "FIELDNOTES_VAR_DIR": str(Path(tmp) / "var"),
            "SECRET_KEY": "bench",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }

        def manage(*args: str) -> str:
            return subprocess.run(
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout

        manage("migrate", "--no-input")
        manage("shell", "-c", SETUP)
        folder = Path(tmp) / "in"
        folder.mkdir()
        os.link(speech, folder / speech.name) if _same_fs(speech, folder) else _copy(
            speech, folder / speech.name
        )
        manage("import_recordings", str(folder), "--project", "bench")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(worker.pid, 0)
        worker.returncode = os.waitstatus_to_exitcode(status)
        with sqlite3.connect(db) as conn:
            state, started, finished, error = conn.execute(
                "SELECT status, started_at, finished_at, error FROM research_transcriptionjob"
            ).fetchone()
            text = " ".join(
                line for (line,) in conn.execute("SELECT text FROM research_segment ORDER BY start")
            )
        if state != "done":
            raise RuntimeError(f"job ended {state}: {error}")
        seconds = (_when(finished) - _when(started)).total_seconds()
        return {
            "seconds": seconds,
            "worker_cpu_seconds": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "words": len(text.split()),
            "text": text,
        }


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _same_fs(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _copy(src: Path, dst: Path) -> None:
    import shutil

    shutil.copyfile(src, dst)
