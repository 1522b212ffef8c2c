"""Peak memory of the web process while it receives a 1 GB upload.

    python benchmarks/upload_memory.py [--gigabytes 1]

Writes a WAV of that size (noise, 48 kHz stereo, about 1.5 h per GB), starts
``manage.py runserver --noreload`` on a throwaway SQLite database, signs in,
and POSTs the file to the conversation's upload URL as a stream (the client
never holds it whole either). The server's peak RSS is read from
/proc/<pid>/status (VmHWM) before and after. Last line:
``upload_mb=<..> status=<..> seconds=<..> web_peak_rss_mb=<..> baseline_rss_mb=<..>``.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookies
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETUP = """
import json
from django.contrib.auth import get_user_model
from research.models import Conversation, Project
from research.services.teams import team_create
user = get_user_model().objects.create_user("bench", "bench@example.com", "pw-bench-12345")
team = team_create(name="Bench", owner=user)
project = Project.objects.create(team=team, name="Bench", slug="bench")
c = Conversation.objects.create(team=team, project=project, title="Upload")
print(json.dumps({"url": c.get_absolute_url(), "uid": str(c.uid)}))
"""
PIECE = 1024 * 1024


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def make_wav(path: Path, gigabytes: float) -> None:
    seconds = gigabytes * 1024**3 / (48_000 * 2 * 2)
    subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            "anoisesrc=r=48000:a=0.05:c=white",
            "-ac",
            "2",
            "-t",
            f"{seconds:.2f}",
            "-c:a",
            "pcm_s16le",
            str(path),
        ],
        check=True,
    )


class Session:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie(header)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        conn.close()
        return response.status, data

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def stream_multipart(path: Path, csrf: str, boundary: str):
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f'{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name="audio"; '
        f'filename="{path.name}"\r\nContent-Type: audio/wav\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + path.stat().st_size + len(tail)

    def body():
        yield head
        with path.open("rb") as fh:
            while piece := fh.read(PIECE):
                yield piece
        yield tail

    return body(), length


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gigabytes", type=float, default=1.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="fieldnotes-upload-") as tmp:
        tmp = Path(tmp)
        wav = tmp / "big.wav"
        make_wav(wav, args.gigabytes)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "FIELDNOTES_VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": "bench",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
        }
        run = dict(cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input"], **run)
        out = subprocess.run([sys.executable, "manage.py", "shell", "-c", SETUP], **run).stdout
        conversation = json.loads(out.strip().splitlines()[-1])
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            session = Session(port)
            for _ in range(100):
                try:
                    session.request("GET", "/accounts/login/")
                    break
                except OSError:
                    time.sleep(0.2)
            form = "username=bench&password=pw-bench-12345&csrfmiddlewaretoken=" + session.csrf()
            session.request(
                "POST",
                "/accounts/login/",
                form,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{port}/accounts/login/",
                },
            )
            session.request("GET", conversation["url"])
            baseline = peak_rss_mb(server.pid)
            boundary = uuid.uuid4().hex
            body, length = stream_multipart(wav, session.csrf(), boundary)
            started = time.perf_counter()
            status, _ = session.request(
                "POST",
                f"/conversations/{conversation['uid']}/recordings/upload/",
                body,
                {
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                    "Content-Length": str(length),
                    "Accept": "application/json",
                    "X-CSRFToken": session.csrf(),
                    "Referer": f"http://127.0.0.1:{port}{conversation['url']}",
                },
            )
            seconds = time.perf_counter() - started
            peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"upload_mb={length / 1024**2:.0f} status={status} seconds={seconds:.1f} "
        f"web_peak_rss_mb={peak:.0f} baseline_rss_mb={baseline:.0f}"
    )


if __name__ == "__main__":
    main()
