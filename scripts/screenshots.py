"""Screenshots of the main pages at phone and desktop width, on a fresh demo database.

    .venv/bin/python scripts/screenshots.py OUTDIR [PATH ...]

Starts the app on a throwaway SQLite database (the demo team), signs in with Debian's
chromium and saves OUTDIR/<page>-<width>.png for each path (default: the main pages).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765
WIDTHS = (375, 1280)


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    var = Path(tempfile.mkdtemp(prefix="fieldnotes-shots-"))
    env = {**os.environ, "FIELDNOTES_VAR_DIR": str(var), "DEBUG": "false"}
    env.pop("DATABASE_URL", None)
    python = sys.executable
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    seeded = subprocess.run(
        [*manage, "seed_demo", "--password", "shots-pass-123"],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert "shots-pass-123" in seeded.stdout
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{PORT}", "--noreload", "--insecure"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        shoot(base, out, sys.argv[2:])
    finally:
        server.terminate()
        shutil.rmtree(var, ignore_errors=True)


def shoot(base: str, out: Path, paths: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", "demo")
            page.fill("#id_password", "shots-pass-123")
            page.click("button[type=submit]")
            page.wait_for_url(base + "/")
            if not paths:
                html = page.content()
                conversation = re.search(r'href="(/conversations/[0-9a-f-]{36}/)"', html)
                paths = [
                    "/",
                    "/conversations/",
                    conversation.group(1),
                    "/insights/",
                    "/features/",
                    "/themes/",
                    "/search/?q=export",
                    "/visits/new/",
                    "/team/members/",
                    "/team/audit/",
                    "/account/",
                ]
            for path in paths:
                page.goto(base + path)
                name = re.sub(r"[^a-z0-9]+", "-", path.strip("/").lower())[:40] or "home"
                page.screenshot(path=str(out / f"{name}-{width}.png"), full_page=True)
                print(out / f"{name}-{width}.png")
        browser.close()


if __name__ == "__main__":
    main()
