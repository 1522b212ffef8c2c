"""Retention: per team, overridable per project, delete a conversation's audio N days after it
was captured (the transcript stays) or the whole conversation; protected conversations are
never touched. The daily run (research.tasks) logs what it deleted (a RetentionRun row and an
audit event); the retention page previews what the next run would delete."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from research.audio import store as audio_store
from research.models import (
    AuditKind,
    Conversation,
    Project,
    Recording,
    RetentionAction,
    RetentionPolicy,
    RetentionRun,
    Team,
)
from research.services.audit import audit_record
from research.services.base import check_same_team, model_save

from . import redaction


@dataclass
class RetentionPlan:
    audio: list[Recording] = field(default_factory=list)
    conversations: list[Conversation] = field(default_factory=list)
    protected: int = 0

    def __bool__(self) -> bool:
        return bool(self.audio or self.conversations)


def policies(*, team: Team) -> tuple[RetentionPolicy | None, dict[int, RetentionPolicy]]:
    """The team's default rule (or None) and each project's own rule by project id."""
    default, by_project = None, {}
    for policy in RetentionPolicy.objects.filter(team=team).select_related("project"):
        if policy.project_id is None:
            default = policy
        else:
            by_project[policy.project_id] = policy
    return default, by_project


def retention_preview(*, team: Team, now: datetime.datetime | None = None) -> RetentionPlan:
    """What a run at `now` would delete."""
    now = now or timezone.now()
    default, by_project = policies(team=team)
    plan = RetentionPlan()
    conversations = Conversation.objects.filter(team=team).select_related("project")
    for conversation in conversations.order_by("occurred_at", "id"):
        policy = by_project.get(conversation.project_id, default)
        if policy is None or policy.action == RetentionAction.KEEP:
            continue
        if conversation.occurred_at + datetime.timedelta(days=policy.days) > now:
            continue
        if conversation.retention_protected:
            plan.protected += 1
        elif policy.action == RetentionAction.CONVERSATION:
            plan.conversations.append(conversation)
        else:
            plan.audio.extend(
                Recording.objects.filter(conversation=conversation)
                .exclude(stored_name="")
                .select_related("conversation")
            )
    return plan


def retention_run(*, team: Team, now: datetime.datetime | None = None, actor=None) -> RetentionRun:
    """Delete what the rules say is due at `now`, purge redaction originals past their undo
    window, and log the run."""
    now = now or timezone.now()
    plan = retention_preview(team=team, now=now)
    gone_files: list[Recording] = []
    with transaction.atomic():
        for recording in plan.audio:
            gone_files.append(Recording(pk=recording.pk, stored_name=recording.stored_name))
            Recording.objects.filter(pk=recording.pk).update(
                stored_name="", size_bytes=0, updated_at=now
            )
        for conversation in plan.conversations:
            gone_files.extend(Recording.objects.filter(conversation=conversation))
            conversation.delete()
        purged = redaction.redactions_purge(team=team, now=now)
        run = RetentionRun.objects.create(
            team=team,
            ran_at=now,
            audio_deleted=len(plan.audio),
            conversations_deleted=len(plan.conversations),
            redactions_purged=purged,
        )
        audit_record(
            kind=AuditKind.RETENTION,
            summary=f"Retention run: audio of {run.audio_deleted} recordings deleted, "
            f"{run.conversations_deleted} conversations deleted, {purged} redaction "
            "originals purged",
            team=team,
            actor=actor,
            target=run.pk,
        )
    for recording in gone_files:
        audio_store.remove_recording_files(recording)
    return run


def retention_run_all(*, now: datetime.datetime | None = None) -> list[RetentionRun]:
    """The daily run: every team."""
    return [retention_run(team=team, now=now) for team in Team.objects.order_by("id")]


@transaction.atomic
def policy_set(*, team: Team, project: Project | None = None, action: str, days: int):
    """Set the team's rule, or a project's (which overrides the team's)."""
    check_same_team(team.pk, [project], field="project", label="a project")
    policy = RetentionPolicy.objects.filter(team=team, project=project).first()
    policy = policy or RetentionPolicy(team=team, project=project)
    return model_save(policy, action=action, days=days)


@transaction.atomic
def policy_remove(*, policy: RetentionPolicy) -> None:
    policy.delete()


@transaction.atomic
def conversation_protect(*, conversation: Conversation, protected: bool) -> Conversation:
    return model_save(conversation, retention_protected=protected)
