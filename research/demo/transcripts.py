"""Demo transcripts: realistic interview lines for the first conversations.

The demo has no real audio (no recorded voices ship with the app), so these
recordings carry a transcript and no file: the page shows the transcript, and
search and highlights have real-looking lines to work with.
"""

from __future__ import annotations

import uuid

from research.models import Recording, RecordingStatus, Segment, Transcript
from research.services.speakers import speaker_map, speakers_ensure

SCRIPTS = [
    [
        ("I", "Thanks for making time. Could you walk me through how you report at month end?"),
        ("P", "Sure. On the last Friday I export the production numbers to Excel."),
        ("P", "Then I spend most of the afternoon fixing the columns before finance takes it."),
        ("I", "What goes wrong with the columns?"),
        ("P", "The dates come out in the American format and the units are missing."),
        ("P", "Honestly, if the export just matched our template I would save four hours."),
        ("I", "Who else looks at that report?"),
        ("P", "The plant manager, and once a year the auditors want the whole history."),
    ],
    [
        ("I", "You mentioned the handover between shifts. What happens at six o'clock?"),
        ("P", "The night lead writes notes on paper and takes a photo of the whiteboard."),
        ("P", "The photo goes into a group chat and by Wednesday nobody can find it."),
        ("I", "Have you tried recording the handover in the app?"),
        ("P", "On the phone it is too slow. I need two taps, not a form with ten fields."),
        ("I", "What would two taps look like for you?"),
        ("P", "Open, talk for a minute, done. Let the office sort it out later."),
    ],
    [
        ("I", "How did the first week with the product go for your team?"),
        ("P", "Importing our machines took longer than we expected."),
        ("P", "The CSV import rejected half the rows and did not say why."),
        ("I", "What did you do then?"),
        ("P", "Ravi from customer success fixed it with us on a call, which was great."),
        ("P", "But I would not want to depend on a call every time we add a line."),
    ],
]


def seed(*, team, users, conversations) -> None:
    owner = users[0] if users else None
    for n, conversation in enumerate(conversations[: len(SCRIPTS) * 2]):
        script = SCRIPTS[n % len(SCRIPTS)]
        participant = conversation.participants.order_by("name").first()
        recording = Recording.objects.create(
            team=team,
            conversation=conversation,
            uid=uuid.uuid4(),
            original_name="Demo transcript (no audio)",
            status=RecordingStatus.STORED,
            created_by=owner,
        )
        transcript = Transcript.objects.create(
            team=team, recording=recording, version=1, model_name="demo data", language="en"
        )
        clock = 2.0
        rows = []
        for index, (role, text) in enumerate(script):
            seconds = max(1.5, len(text.split()) / 2.6)
            speaker = (
                "Interviewer"
                if role == "I"
                else (participant.name if participant else "Participant")
            )
            rows.append(
                Segment(
                    team=team,
                    transcript=transcript,
                    conversation=conversation,
                    index=index,
                    start=round(clock, 2),
                    end=round(clock + seconds, 2),
                    text=text,
                    speaker=speaker[:100],
                    person=participant if role == "P" else None,
                )
            )
            clock += seconds + 0.6
        Segment.objects.bulk_create(rows)
        speakers = speakers_ensure(transcript=transcript)
        if "Interviewer" in speakers:
            speaker_map(speaker=speakers["Interviewer"], person=None, is_interviewer=True)
        recording.duration_seconds = round(clock, 1)
        recording.save(update_fields=["duration_seconds"])
