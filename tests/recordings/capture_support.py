"""For the capture browser tests: the app as processes with its own settings, a TCP proxy that
cuts connections where told, Chromium with a fake microphone, and decoded lengths."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.recordings.test_recorder_browser import SETUP, _free_port, _wait_for_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "capture"
SAMPLE_RATE = 16_000


class Server:
    """runserver (no worker: these tests check what is stored, not transcripts) on SQLite."""

    def __init__(self, tmp: Path, like: Server | None = None, **settings: str) -> None:
        self.db = tmp / "app.sqlite3"
        self.audio = tmp / "var" / "audio"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db}",
            "FIELDNOTES_VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": "capture-tests",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            **settings,
        }
        if like is None:
            self.manage("migrate", "--no-input")
            out = self.manage("shell", "-c", SETUP).stdout.strip().splitlines()[-1]
            self.pages = json.loads(out)
        else:  # the same users and pages as ``like``, without migrating again
            with sqlite3.connect(like.db) as src, sqlite3.connect(self.db) as dst:
                src.backup(dst)
            self.pages = like.pages
        self.proc = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port)

    def manage(self, *args):
        cmd = [sys.executable, "manage.py", *args]
        return subprocess.run(
            cmd, cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.db, timeout=20) as conn:
            return conn.execute(sql, params).fetchall()

    def recordings(self, title: str) -> list[tuple]:
        return self.query(
            "SELECT r.status, r.stored_name, r.chunks_received, r.error FROM research_recording r "
            "JOIN research_conversation c ON c.id = r.conversation_id WHERE c.title = ? "
            "ORDER BY r.id",
            title,
        )

    def wait_stored(self, title: str, timeout: float = 60) -> Path:
        end = time.monotonic() + timeout
        rows: list[tuple] = []
        while time.monotonic() < end:
            rows = self.recordings(title)
            if rows and rows[-1][0] != "receiving":
                break
            time.sleep(0.25)
        assert rows and rows[-1][0] == "stored", rows
        assert len(rows) == 1, rows
        return self.audio / rows[0][1]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def decoded_seconds(path: Path) -> float:
    """The length of what is stored, by decoding all of it to PCM and counting samples."""
    cmd = ["ffmpeg", "-v", "error", "-i", str(path), "-ac", "1", "-ar", str(SAMPLE_RATE)]
    count = 0
    with subprocess.Popen([*cmd, "-f", "s16le", "pipe:1"], stdout=subprocess.PIPE) as proc:
        assert proc.stdout is not None
        while piece := proc.stdout.read(1 << 20):
            count += len(piece)
    assert proc.returncode == 0, f"ffmpeg could not decode {path}"
    return count / 2 / SAMPLE_RATE


CHUNK_REQUEST = re.compile(rb"^POST [^ ]*/chunk/\?seq=(\d+) ")


class CuttingProxy:
    """An asyncio TCP proxy in a thread in front of the app that understands just enough HTTP
    to count requests: for the piece numbers in ``cut_body`` it forwards the headers and half
    the body, then closes both sides; for those in ``drop_answer`` it forwards the whole
    request and closes before the answer reaches the browser. Each is done once."""

    def __init__(self, target_port: int, cut_body=(), drop_answer=()) -> None:
        self.target_port = target_port
        self.cut_body = set(cut_body)
        self.drop_answer = set(drop_answer)
        self.done: list[str] = []
        self.blocked = False  # set: every connection is closed at once, as with no network
        self.open: set = set()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.loop = asyncio.new_event_loop()
        started = threading.Event()
        self.thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self.thread.start()
        started.wait(10)

    def _run(self, started) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", self.port)
        )
        started.set()
        self.loop.run_forever()
        server.close()

    def block(self, blocked: bool = True) -> None:
        def apply() -> None:
            self.blocked = blocked
            if blocked:
                for writer in list(self.open):
                    writer.close()

        self.loop.call_soon_threadsafe(apply)

    async def _serve(self, reader, writer) -> None:
        if self.blocked:
            writer.close()
            return
        self.open.add(writer)
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        hold = asyncio.Event()  # set: answers are not passed on
        back = asyncio.ensure_future(self._pipe_back(up_reader, writer, hold))
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                match = re.search(rb"\r\ncontent-length: *(\d+)", head, re.IGNORECASE)
                length = int(match.group(1)) if match else 0
                body = await reader.readexactly(length)
                seq_match = CHUNK_REQUEST.match(head)
                seq = int(seq_match.group(1)) if seq_match else None
                if seq in self.cut_body:
                    self.cut_body.discard(seq)
                    self.done.append(f"cut body of piece {seq}")
                    hold.set()
                    up_writer.write(head + body[: length // 2])
                    await up_writer.drain()
                    up_writer.write_eof()
                    await asyncio.sleep(0.3)
                    break
                dropping = seq in self.drop_answer
                if dropping:
                    hold.set()
                up_writer.write(head + body)
                await up_writer.drain()
                if dropping:
                    self.drop_answer.discard(seq)
                    self.done.append(f"dropped the answer to piece {seq}")
                    await asyncio.sleep(0.5)  # the server stores it; the browser never hears
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            back.cancel()
            self.open.discard(writer)
            for w in (writer, up_writer):
                w.close()

    async def _pipe_back(self, up_reader, writer, hold) -> None:
        try:
            while piece := await up_reader.read(65536):
                if hold.is_set():
                    return
                writer.write(piece)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass

    def stop(self) -> None:
        async def close() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()
