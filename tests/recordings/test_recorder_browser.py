"""Real Chromium (headless, Playwright) against the real thing: a Django server process and a
``manage.py db_worker`` process sharing a SQLite file. Upload and watch the transcript
appear, record with Chromium's fake microphone, log a site visit, seek, use the keyboard and
edit a line. Screenshots at 375 and 1280 px go to test-artifacts/capture/."""

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.builders import JFK

pytestmark = [pytest.mark.slow, pytest.mark.browser]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "recordings"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
]
SETUP = """
import json
from django.contrib.auth import get_user_model
from research.models import Consent, Conversation, Person, Project
from research.services.teams import team_create
user = get_user_model().objects.create_user("olivia", "o@example.com", "pw-olivia-123")
team = team_create(name="Acme Research", owner=user)
project = Project.objects.create(team=team, name="Field study", slug="field-study")
ana = Person.objects.create(team=team, name="Ana Baker")
ids = {}
for title in ["Upload", "Record", "Refused"]:
    c = Conversation.objects.create(team=team, project=project, title=f"{title} at the bakery")
    c.participants.add(ana)
    Consent.objects.create(
        team=team, conversation=c, person=ana, given=True, may_record=True, may_transcribe=True
    )
    ids[title] = c.get_absolute_url()
print(json.dumps(ids))
"""


class App:
    def __init__(self, tmp: Path) -> None:
        self.db = tmp / "app.sqlite3"
        self.audio = tmp / "var" / "audio"
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{self.db}",
            "FIELDNOTES_VAR_DIR": str(tmp / "var"),
            "SECRET_KEY": "browser-tests",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.manage("migrate", "--no-input")
        self.pages = json.loads(self.manage("shell", "-c", SETUP).stdout.strip().splitlines()[-1])
        self.server = self.spawn("runserver", f"127.0.0.1:{port}", "--noreload")
        self.worker = self.spawn("db_worker", "--no-startup-delay", "--interval", "0.2")
        _wait_for_port(port)

    def manage(self, *args):
        cmd = [sys.executable, "manage.py", *args]
        return subprocess.run(
            cmd, cwd=ROOT, env=self.env, check=True, capture_output=True, text=True
        )

    def spawn(self, *args):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def query(self, sql: str, *params) -> list[tuple]:
        with sqlite3.connect(self.db, timeout=20) as conn:
            return conn.execute(sql, params).fetchall()

    def stop(self) -> None:
        for proc in (self.server, self.worker):
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int) -> None:
    end = time.monotonic() + 30
    while time.monotonic() < end:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = App(tmp_path_factory.mktemp("app"))
    yield app
    app.stop()


@pytest.fixture
def fake_mic(tmp_path):
    wav = tmp_path / "mic.wav"
    cmd = ["ffmpeg", "-v", "error", "-i", str(JFK), "-ac", "1", "-ar", "48000", str(wav)]
    subprocess.run(cmd, check=True)
    return wav


@pytest.fixture
def browser_page(app):
    """Open Chromium signed in; call with extra flags and a width."""
    from playwright.sync_api import sync_playwright

    opened = []

    def open_page(*extra_args, width=1280):
        manager = sync_playwright().start()
        browser = manager.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium",
            headless=True,
            args=CHROMIUM_ARGS + list(extra_args),
        )
        opened.append((manager, browser))
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.set_default_timeout(30_000)
        page.goto(app.url + "/accounts/login/")
        page.fill("#id_username", "olivia")
        page.fill("#id_password", "pw-olivia-123")
        page.click("button[type=submit], input[type=submit]")
        page.wait_for_load_state()
        return page

    yield open_page
    for manager, browser in opened:
        browser.close()
        manager.stop()


def shoot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def player_time(page) -> float:
    return page.evaluate("document.querySelector('[data-player]').currentTime")


def test_upload_then_transcript_appears_seek_and_edit(app, browser_page):
    page = browser_page()
    page.goto(app.url + app.pages["Upload"])
    page.click("text=Upload audio files")
    page.set_input_files("#upload-audio", str(JFK))
    page.click("form[enctype] button[type=submit]")
    # Progress shows without a reload, then the transcript appears on its own.
    page.locator("[data-job-state]").first.wait_for()
    line = page.locator(".line", has_text="ask not what your country can do for you")
    line.wait_for(timeout=90_000)
    assert app.query("SELECT status, attempts FROM research_transcriptionjob") == [("done", 1)]
    shoot(page, "conversation-transcript")
    # Click a line to play from there; the line being played is highlighted.
    page.locator(".line .ts").first.click()
    page.wait_for_function("() => document.querySelector('[data-player]').currentTime > 0.5")
    page.locator(".line.current").first.wait_for()
    page.keyboard.press("k")
    assert page.evaluate("document.querySelector('[data-player]').paused")
    before = player_time(page)
    page.keyboard.press("l")
    assert player_time(page) == pytest.approx(before + 5, abs=0.5)
    # Edit a line in place; the edit is attributed.
    page.locator("[data-edit]").first.click()
    page.fill(".line textarea", "And so, my fellow Americans, ask not!")
    page.keyboard.press("Enter")
    page.locator(".line .edited", has_text="edited by olivia").wait_for()
    rows = app.query("SELECT text, edited_by_id IS NOT NULL FROM research_segment")
    assert rows == [("And so, my fellow Americans, ask not!", 1)]
    page.reload()
    expect(page.locator(".line .edited", has_text="edited by olivia")).to_have_count(1)


def test_record_with_fake_microphone(app, browser_page, fake_mic):
    page = browser_page(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={fake_mic}",
    )
    page.goto(app.url + app.pages["Record"])
    page.click("[data-record]")
    page.locator("[data-record-label]", has_text="Stop").wait_for()
    page.wait_for_timeout(12_500)
    received = app.query(
        "SELECT r.chunks_received FROM research_recording r JOIN research_conversation c "
        "ON c.id = r.conversation_id WHERE c.title = 'Record at the bakery'"
    )
    assert received[0][0] >= 3  # chunks arrive while recording, every few seconds
    page.click("[data-record]")
    try:
        page.locator(".line", has_text="your country").first.wait_for(timeout=120_000)
    except Exception as error:
        jobs = app.query("SELECT status, attempts, progress, error FROM research_transcriptionjob")
        page_text = page.inner_text("main")[:2000]
        raise AssertionError(f"no transcript; jobs={jobs}; page={page_text}") from error
    rows = app.query(
        "SELECT r.container, r.codec, r.duration_seconds, COUNT(t.id) FROM research_recording r "
        "JOIN research_conversation c ON c.id = r.conversation_id "
        "JOIN research_transcript t ON t.recording_id = r.id "
        "WHERE c.title = 'Record at the bakery' GROUP BY r.id"
    )
    assert rows[0][:2] == ("matroska", "opus") and rows[0][2] > 11 and rows[0][3] == 1


def test_log_a_site_visit_on_a_phone(app, browser_page, fake_mic):
    page = browser_page(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={fake_mic}",
        width=375,
    )
    page.goto(app.url + "/visits/new/")
    shoot(page, "site-visit")
    page.fill("#id_title", "Visit at the mill")
    page.select_option("#id_project", label="Field study")
    page.check("text=Ana Baker")
    page.fill("#id_location", "Leeds")
    page.check("#id_verbal_consent")
    page.click("[data-record]")
    page.locator("[data-record-label]", has_text="Stop").wait_for()
    page.wait_for_timeout(5_000)
    page.click("[data-record]")
    page.locator("[data-rec-state]", has_text="Saved").wait_for()
    page.fill("#id_notes", "Loud machines; ask about exports.")
    page.fill("#id_tags", "site, exports")
    page.click("button[type=submit]:has-text('Save visit')")
    page.locator("h1", has_text="Visit at the mill").wait_for()
    visit = app.query(
        "SELECT kind, location, notes FROM research_conversation WHERE title = 'Visit at the mill'"
    )
    assert visit == [("site_visit", "Leeds", "Loud machines; ask about exports.")]
    rows = app.query(
        "SELECT r.status, r.duration_seconds FROM research_recording r JOIN "
        "research_conversation c ON c.id = r.conversation_id WHERE c.title = 'Visit at the mill'"
    )
    assert len(rows) == 1 and rows[0][0] == "stored" and rows[0][1] > 3
    # The participants column comes after the main one: wait for it, not just the heading.
    expect(page.locator("a", has_text="Ana Baker").first).to_be_visible()
    page.locator(".line").first.wait_for(timeout=90_000)
    shoot(page, "conversation-after-visit")


def test_refused_upload_explains_why(app, browser_page, tmp_path):
    page = browser_page()
    bogus = tmp_path / "notes.mp3"
    bogus.write_text("not audio\n" * 20)
    page.goto(app.url + app.pages["Refused"])
    page.click("text=Upload audio files")
    page.set_input_files("#upload-audio", str(bogus))
    page.click("form[enctype] button[type=submit]")
    page.locator("h1", has_text="The recording was not saved").wait_for()
    expect(page.get_by_text("not an audio format").first).to_be_visible()
    shoot(page, "upload-refused")
    assert not list((app.audio / "incoming").glob("*"))
