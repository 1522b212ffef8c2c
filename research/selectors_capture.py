"""Reads for recordings and transcripts, always inside one team."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from research.models import Conversation, Recording, Segment, Transcript, TranscriptionJob


@dataclass
class RecordingView:
    recording: Recording
    job: TranscriptionJob | None
    transcript: Transcript | None
    segments: list[Segment]
    versions: list[Transcript]
    speakers: list[str]


def recording_views(
    *, conversation: Conversation, transcript_uid: str | None = None
) -> list[RecordingView]:
    """Each recording of a conversation with its latest job and newest transcript."""
    recordings = (
        Recording.objects.filter(team=conversation.team, conversation=conversation)
        .prefetch_related(
            Prefetch("jobs", queryset=TranscriptionJob.objects.order_by("-created_at", "-id")),
            Prefetch("transcripts", queryset=Transcript.objects.order_by("-version")),
        )
        .order_by("created_at", "id")
    )
    views = []
    for recording in recordings:
        versions = list(recording.transcripts.all())
        shown = next((t for t in versions if str(t.uid) == transcript_uid), None)
        shown = shown or (versions[0] if versions else None)
        segments = (
            list(shown.segments.select_related("person", "edited_by").order_by("index"))
            if shown
            else []
        )
        jobs = list(recording.jobs.all())
        views.append(
            RecordingView(
                recording=recording,
                job=jobs[0] if jobs else None,
                transcript=shown,
                segments=segments,
                versions=versions,
                speakers=sorted({s.speaker for s in segments if s.speaker}),
            )
        )
    return views


def recording_latest_job(*, recording: Recording) -> TranscriptionJob | None:
    return recording.jobs.order_by("-created_at", "-id").first()
