"""On SQLite the erased words are gone from the database file itself, not only from its
tables: deleted pages are zeroed (secure_delete) and the write-ahead log is checkpointed.
Runs the real app on a file database in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "zorbquexfile"

SCRIPT = f"""
from django.contrib.auth import get_user_model
from research.models import Conversation, Person, Project, Recording, Segment, Transcript
from research.privacy.erasure import person_erase
from research.services.teams import team_create
user = get_user_model().objects.create_user("olga", password="pw-olga-12345")
team = team_create(name="File team", owner=user)
project = Project.objects.create(team=team, name="P", slug="p")
petra = Person.objects.create(team=team, name="Petra", notes="said {TOKEN} twice " * 50)
other = Person.objects.create(team=team, name="Other")
c = Conversation.objects.create(team=team, project=project, title="Talk", created_by=user)
c.participants.add(petra, other)
r = Recording.objects.create(team=team, conversation=c, status="stored")
t = Transcript.objects.create(team=team, recording=r, version=1)
for i in range(200):
    Segment.objects.create(team=team, transcript=t, conversation=c, index=i, start=i, end=i + 1,
        text=f"line {{i}} " + ("{TOKEN}" if i % 2 else "plain"), person=petra if i % 2 else other,
        words=[[i, i + 1, " {TOKEN}" if i % 2 else " plain"]])
person_erase(person=petra, actor=user)
print("erased", Segment.objects.count())
"""


@pytest.mark.slow
def test_erased_words_are_not_in_the_database_file(tmp_path):
    db = tmp_path / "app.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "FIELDNOTES_VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "erasure-file-test",
    }
    run = [sys.executable, "manage.py"]
    subprocess.run([*run, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    done = subprocess.run(
        [*run, "shell", "-c", SCRIPT], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    assert "erased 100" in done.stdout  # the other speaker's lines stay
    files = [p for p in tmp_path.glob("app.sqlite3*") if p.is_file()]
    assert db in files
    raw = b"".join(p.read_bytes() for p in files)
    assert raw.count(b"plain") >= 100  # the other speaker's lines are really in the file
    assert raw.count(TOKEN.encode()) == 0  # her lines, words, notes and their index entries
    assert raw.count(b"Petra") == 0
