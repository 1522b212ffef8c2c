"""A real worker process killed with SIGKILL mid-job: the reaper re-queues the job, marks the
dead worker's task failed in the task backend, and the recording ends with exactly one
transcript. Runs against SQLite and PostgreSQL."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from research.transcription.quality import word_error_rate
from tests.builders import speech_rounds

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 4  # of three clips and pauses: about 100 s of speech
SETUP = """
from django.contrib.auth import get_user_model
from research.models import Project
from research.services.teams import team_create
user = get_user_model().objects.create_user("kim", "kim@example.com", "pw-kim-12345")
team = team_create(name="Kill test", owner=user)
Project.objects.create(team=team, name="Kill", slug="kill")
"""


class Database:
    def __init__(self, url: str) -> None:
        self.url = url

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as conn:
            return conn.execute(sql).fetchall()


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    if request.param == "sqlite":
        yield Database(f"sqlite:///{tmp_path / 'kill.sqlite3'}")
        return
    psycopg = pytest.importorskip("psycopg")
    name = f"capture_kill_{uuid.uuid4().hex[:8]}"
    admin = "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
    except psycopg.OperationalError:
        pytest.skip("PostgreSQL is not reachable")
    yield Database(f"postgres://postgres@127.0.0.1:5432/{name}")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for(predicate, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_job_is_reaped_and_transcribed_once(database, tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "FIELDNOTES_VAR_DIR": str(tmp_path / "var"),
        "FIELDNOTES_JOB_LEASE_SECONDS": "3",
        "FIELDNOTES_REAPER_INTERVAL_SECONDS": "1",
        "SECRET_KEY": "kill-test",
        "DEBUG": "false",
    }

    def manage(*args):
        cmd = [sys.executable, "manage.py", *args]
        return subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, text=True)

    def worker():
        cmd = [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"]
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def job():
        rows = database.query("SELECT status, attempts FROM research_transcriptionjob")
        return rows[0] if rows else None

    manage("migrate", "--no-input")
    manage("shell", "-c", SETUP)
    folder = tmp_path / "import"
    folder.mkdir()
    reference = speech_rounds(folder / "speech.flac", ROUNDS)
    assert "1 imported" in manage("import_recordings", str(folder), "--project", "kill").stdout
    assert job() == ("queued", 0)

    def stage():
        return database.query("SELECT stage, progress FROM research_transcriptionjob")[0]

    first = worker()
    try:
        wait_for(lambda: job() == ("running", 1), 60, "the first worker to start the job")
        # The heartbeat writes the stage: the model loaded, transcription under way.
        wait_for(lambda: stage()[0] == "transcribing", 60, "the transcribing stage")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        first.kill()
    assert job() == ("running", 1)
    tasks = database.query(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%transcribe%'"
    )
    assert tasks == [("RUNNING",)]  # django-tasks-db alone would leave it like this forever

    second = worker()
    try:
        wait_for(lambda: job() and job()[0] in ("done", "failed"), 180, "the job to finish")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert job() == ("done", 2)
    tasks = database.query(
        "SELECT status FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE '%transcribe%' ORDER BY enqueued_at"
    )
    assert tasks == [("FAILED",), ("SUCCESSFUL",)]  # the dead worker's task is not RUNNING
    assert database.query("SELECT COUNT(*) FROM research_transcript") == [(1,)]
    lines = database.query("SELECT text FROM research_segment ORDER BY start")
    assert word_error_rate(reference, " ".join(t for (t,) in lines)) <= 0.10
