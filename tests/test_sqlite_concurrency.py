"""Several processes writing one SQLite file at once (web + workers) never hit 'locked'."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent

WRITER = """
import django, os, sys
django.setup()
from django.db import transaction
from research.models import Organization, Team
team = Team.objects.get()
for i in range(40):
    with transaction.atomic():
        # read, then write: the pattern that fails with deferred SQLite transactions
        n = Organization.objects.filter(team=team).count()
        Organization.objects.create(team=team, name=f"w{sys.argv[1]}-{i}-{n}")
"""


@pytest.mark.slow
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite-only behaviour",
)
def test_concurrent_writers_on_one_sqlite_file(tmp_path):
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(FIELDNOTES_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="fieldnotes.settings")
    run = dict(cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], **run).returncode == 0
    setup = "import django; django.setup(); from research.models import Team; Team(name='t').save()"
    assert subprocess.run([sys.executable, "-c", setup], **run).returncode == 0

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(n)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    results = [(w.wait(timeout=300), w.stderr.read()) for w in writers]
    assert all(code == 0 for code, _ in results), [err[-500:] for _, err in results]
    count = (
        "import django; django.setup(); from research.models import Organization as O; "
        "print(O.objects.count())"
    )
    out = subprocess.run([sys.executable, "-c", count], **run).stdout.strip()
    assert out == "160"
