"""A conversation's recordings, each with its latest job and the transcript version shown."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from research.models import (
    Conversation,
    Recording,
    Segment,
    Speaker,
    Transcript,
    TranscriptionJob,
)


@dataclass
class RecordingView:
    recording: Recording
    job: TranscriptionJob | None
    transcript: Transcript | None  # the version shown: the newest, or the one asked for
    segments: list[Segment]
    versions: list[Transcript]  # newest first
    speakers: list[Speaker]  # of the transcript shown, in order of first appearance
    colours: dict[str, str] = field(default_factory=dict)  # speaker name -> CSS class
    suggestions: list = field(default_factory=list)  # speakers.VoiceMatch, filled by the view

    @property
    def length(self) -> float:
        """Seconds the speaker strip spans: the recording's, else its last line's end."""
        ends = [s.end for s in self.segments[-1:]]
        return float(self.recording.duration_seconds or (ends[0] if ends else 0) or 1)

    @property
    def shows_newest(self) -> bool:
        return bool(self.versions) and self.transcript == self.versions[0]


def recording_views(
    *, conversation: Conversation, transcript_uid: str | None = None
) -> list[RecordingView]:
    """Each recording of a conversation, oldest first, in five queries whatever their number."""
    recordings = list(
        Recording.objects.filter(team=conversation.team_id, conversation=conversation)
        .prefetch_related(
            Prefetch("jobs", queryset=TranscriptionJob.objects.order_by("-created_at", "-id")),
            Prefetch("transcripts", queryset=Transcript.objects.order_by("-version")),
        )
        .order_by("created_at", "id")
    )
    shown: dict[int, Transcript | None] = {}
    for recording in recordings:
        versions = list(recording.transcripts.all())
        asked = next((t for t in versions if str(t.uid) == transcript_uid), None)
        shown[recording.pk] = asked or (versions[0] if versions else None)
    segments = defaultdict(list)
    wanted = [t.pk for t in shown.values() if t is not None]
    for segment in (
        Segment.objects.filter(transcript_id__in=wanted)
        .consented()
        .select_related("person", "edited_by")
        .order_by("transcript_id", "index")
        if wanted
        else []
    ):
        segments[segment.transcript_id].append(segment)
    speakers = defaultdict(list)
    for speaker in (
        Speaker.objects.filter(transcript_id__in=wanted).select_related("person") if wanted else []
    ):
        speakers[speaker.transcript_id].append(speaker)
    views = []
    for recording in recordings:
        transcript = shown[recording.pk]
        lines = segments[transcript.pk] if transcript else []
        jobs = list(recording.jobs.all())
        voices = speakers[transcript.pk] if transcript else []
        views.append(
            RecordingView(
                recording=recording,
                job=jobs[0] if jobs else None,
                transcript=transcript,
                segments=lines,
                versions=list(recording.transcripts.all()),
                speakers=voices,
                colours={s.name: s.css_class for s in voices},
            )
        )
    return views


def recording_latest_job(*, recording: Recording) -> TranscriptionJob | None:
    return recording.jobs.order_by("-created_at", "-id").first()
