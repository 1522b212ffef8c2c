"""Builders for evidence tests: a conversation with a recorded, transcribed interview."""

from research.models import (
    Conversation,
    Organization,
    Person,
    Project,
    Recording,
    RecordingStatus,
    Segment,
    Transcript,
)

LINES = [
    ("Ana", "Exporting to Excel takes me an hour every Monday."),
    ("Interviewer", "What do you do with the export?"),
    ("Ana", "I rebuild the same pivot table for my manager."),
    ("Ana", "If the report were scheduled I would never open Excel again."),
]


def words_for(text: str, start: float, end: float) -> list[list]:
    """Word timings as the transcription job stores them: [start, end, " word"]."""
    parts = text.split()
    step = (end - start) / len(parts)
    return [
        [round(start + i * step, 2), round(start + (i + 1) * step, 2), f" {w}"]
        for i, w in enumerate(parts)
    ]


def interview(team, owner, *, title="Interview with Ana", org_name="Globex", person_name="Ana"):
    """A conversation with one 40 s recording, a transcript of four 10 s segments with words."""
    project, _ = Project.objects.get_or_create(team=team, slug="discovery", defaults={"name": "D"})
    org, _ = Organization.objects.get_or_create(team=team, name=org_name)
    person = Person.objects.create(team=team, name=person_name, organization=org)
    conversation = Conversation.objects.create(
        team=team,
        project=project,
        title=title,
        created_by=owner,
        notes="We talked about **weekly exports** and how long the pivot table takes.",
    )
    conversation.participants.add(person)
    recording = Recording.objects.create(
        team=team,
        conversation=conversation,
        original_name="ana.m4a",
        duration_seconds=40.0,
        status=RecordingStatus.STORED,
    )
    transcript = Transcript.objects.create(team=team, recording=recording, version=1)
    for index, (speaker, text) in enumerate(LINES):
        start, end = index * 10.0, index * 10.0 + 9.5
        Segment.objects.create(
            team=team,
            transcript=transcript,
            conversation=conversation,
            index=index,
            start=start,
            end=end,
            text=text,
            speaker=speaker,
            person=person if speaker == "Ana" else None,
            words=words_for(text, start, end),
        )
    return conversation, transcript, person


def retranscribe(transcript, replacements: dict[int, str]):
    """A new transcript version with some segments' text replaced (as re-transcribing does)."""
    new = Transcript.objects.create(
        team=transcript.team, recording=transcript.recording, version=transcript.version + 1
    )
    for segment in transcript.segments.order_by("index"):
        text = replacements.get(segment.index, segment.text)
        Segment.objects.create(
            team=segment.team,
            transcript=new,
            conversation=segment.conversation,
            index=segment.index,
            start=segment.start,
            end=segment.end,
            text=text,
            speaker=segment.speaker,
            person=segment.person,
            words=words_for(text, segment.start, segment.end),
        )
    return new
