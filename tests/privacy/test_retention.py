"""Retention on a clock the test controls: audio after N days, whole conversations, project
overrides, protection, the preview page, the run's log, and the worker's daily task."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from research import tasks
from research.audio import store as audio_store
from research.models import (
    AuditEvent,
    AuditKind,
    Conversation,
    Project,
    Recording,
    RetentionAction,
    RetentionPolicy,
    RetentionRun,
    Segment,
)
from research.privacy import retention
from tests.builders import client_for

from .support import stored_recording, transcript_of

# Conversations are dated back from the real clock, so the pages (which run "now") agree with
# the services called with `now=NOW`.
NOW = timezone.now().replace(microsecond=0)


def day(n: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=n)


@pytest.fixture
def study(team, owner, audio_root, tmp_path):
    keep = Project.objects.create(team=team, name="Keep", slug="keep")
    short = Project.objects.create(team=team, name="Short", slug="short")

    def conversation(title, project, age, protected=False):
        c = Conversation.objects.create(
            team=team,
            project=project,
            title=title,
            occurred_at=day(age),
            created_by=owner,
            retention_protected=protected,
        )
        recording = stored_recording(c, tmp_path)
        transcript_of(recording, [(0.0, 3.0, f"{title} words", None)])
        return c

    return {
        "old": conversation("Old interview", keep, 100),
        "young": conversation("Young interview", keep, 20),
        "protected": conversation("Protected interview", keep, 400, protected=True),
        "short_old": conversation("Short-lived call", short, 40),
        "keep": keep,
        "short": short,
    }


@pytest.mark.django_db
def test_audio_rule_with_a_project_deleting_whole_conversations(study, team, owner, audio_root):
    retention.policy_set(team=team, action=RetentionAction.AUDIO, days=90)
    retention.policy_set(
        team=team, project=study["short"], action=RetentionAction.CONVERSATION, days=30
    )
    plan = retention.retention_preview(team=team, now=NOW)
    assert [r.conversation.title for r in plan.audio] == ["Old interview"]
    assert [c.title for c in plan.conversations] == ["Short-lived call"]
    assert plan.protected == 1
    # Eleven days earlier the 100-day-old conversation was 89 days old: not yet due.
    assert retention.retention_preview(team=team, now=day(11)).audio == []

    old_recording = Recording.objects.get(conversation=study["old"])
    old_file = audio_store.path_of(old_recording)
    short_dir = audio_store.path_of(Recording.objects.get(conversation=study["short_old"])).parent
    run = retention.retention_run(team=team, now=NOW)
    assert (run.audio_deleted, run.conversations_deleted, run.ran_at) == (1, 1, NOW)
    old_recording.refresh_from_db()
    assert old_recording.stored_name == "" and not old_file.exists()
    assert Segment.objects.filter(conversation=study["old"]).count() == 1  # transcript kept
    assert not Conversation.objects.filter(pk=study["short_old"].pk).exists()
    assert not short_dir.exists()
    for kept in ("young", "protected"):
        recording = Recording.objects.get(conversation=study[kept])
        assert audio_store.path_of(recording).is_file(), kept
    event = AuditEvent.objects.get(kind=AuditKind.RETENTION)
    assert "audio of 1 recordings deleted, 1 conversations deleted" in event.summary
    # The next run finds nothing more to do.
    again = retention.retention_run(team=team, now=NOW + datetime.timedelta(days=1))
    assert (again.audio_deleted, again.conversations_deleted) == (0, 0)
    # The audio view answers 404 for audio that retention deleted.
    response = client_for(owner).get(reverse("research:recording_audio", args=[old_recording.uid]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_retention_page_previews_and_owner_sets_rules(study, team, owner, teammate):
    client = client_for(owner)
    url = reverse("research:retention")
    assert b"Nothing is due for deletion" in client.get(url).content
    response = client.post(url, {"project": "", "action": "conversation", "days": "90"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Old interview" in page and "Young interview" not in page
    assert "1 protected conversation would be due but is kept" in page
    short = {"project": str(study["short"].uid), "days": "30"}
    assert client.post(url, {**short, "action": "conversation"}).status_code == 302
    assert "Short-lived call" in client.get(url).content.decode()
    assert client.post(url, {**short, "action": "keep"}).status_code == 302
    assert RetentionPolicy.objects.get(project=study["short"]).action == RetentionAction.KEEP
    assert "Short-lived call" not in client.get(url).content.decode()
    # Editors see the preview but cannot change the rules.
    assert client_for(teammate).get(url).status_code == 200
    assert client_for(teammate).post(url, {"action": "keep", "days": "1"}).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {"action": "audio", "days": "0"},
        {"action": "audio", "days": "-3"},
        {"action": "audio", "days": "many"},
        {"action": "burn", "days": "3"},
        {"action": "audio", "days": "3", "project": "not-a-uuid"},
        {"action": "audio", "days": "3", "project": "7d7e2d5c-1a3c-4c55-9f8e-000000000000"},
        {},
    ],
)
def test_bad_retention_rules_are_refused_and_nothing_saved(owner, data):
    response = client_for(owner).post(reverse("research:retention"), data)
    assert response.status_code == 400
    assert not RetentionPolicy.objects.exists()


@pytest.mark.django_db
def test_protect_toggle(study, owner):
    client = client_for(owner)
    conversation = study["old"]
    url = reverse("research:conversation_protect", args=[conversation.uid])
    assert client.post(url, {"protected": "on"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.retention_protected
    assert client.post(url, {"protected": "maybe"}).status_code == 400
    conversation.refresh_from_db()
    assert conversation.retention_protected
    assert client.post(url, {"protected": "off"}).status_code == 302
    conversation.refresh_from_db()
    assert not conversation.retention_protected


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_retention_daily(study, team):
    retention.policy_set(team=team, action=RetentionAction.AUDIO, days=1)
    tasks.retention_schedule()
    waiting = DBTaskResult.objects.get(task_path=tasks.retention_daily.module_path)
    assert waiting.run_after is not None and waiting.run_after > timezone.now()
    tasks.retention_schedule()  # one waiting task is enough
    assert DBTaskResult.objects.filter(task_path=tasks.retention_daily.module_path).count() == 1
    assert tasks.retention_daily.call() == 1
    run = RetentionRun.objects.get(team=team)
    assert run.audio_deleted == 4 - 1  # all but the protected one
