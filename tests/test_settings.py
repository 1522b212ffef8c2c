"""Settings come from the environment, strictly; production settings pass the deploy check."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!q" + "k2m9Vr4tLp8Zw3Nc6Hb1Jd5Fg0Ys-Ue" * 2,
    "ALLOWED_HOSTS": "fieldnotes.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SESSION_COOKIE_SECURE": "true",
    "CSRF_COOKIE_SECURE": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
}


def manage(*args, env_extra: dict, tmp_path) -> subprocess.CompletedProcess:
    dropped = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update({"FIELDNOTES_VAR_DIR": str(tmp_path)}, **env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_settings(tmp_path):
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_without_them(tmp_path):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={"DEBUG": "true"},
        tmp_path=tmp_path,
    )
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr  # DEBUG on


def test_a_typo_in_a_boolean_is_an_error(tmp_path):
    result = manage("check", env_extra={"DEBUG": "ture"}, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_env_example_lists_every_variable():
    settings_source = (ROOT / "fieldnotes" / "settings.py").read_text()
    used = set(re.findall(r'env(?:\.\w+|_path)\(\s*"([A-Z_]+)"', settings_source))
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert used, "no variables found in settings"
    assert used - listed == set(), f"missing from .env.example: {used - listed}"


@pytest.mark.django_db
def test_no_pending_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.django_db
def test_checks_of_this_database_pass_without_warnings():
    # Database checks (as migrate and runserver run them) catch what the engine lacks, such as
    # SQLite ignoring an index's non-key columns.
    call_command("check", "--database", "default", "--fail-level", "WARNING", verbosity=0)


def test_sqlite_is_tuned_for_concurrent_writers(settings):
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("PostgreSQL run")
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
