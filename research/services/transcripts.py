"""Transcripts: written once by a finished job, then edited line by line and by speaker."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from research.models import Person, Segment, Transcript, TranscriptionJob

from .speakers import speaker_map, speaker_rename, speakers_ensure


def transcript_create(
    *, job: TranscriptionJob, lines: list, language: str, model_name: str
) -> Transcript:
    """The recording's next transcript version with all its lines, written by `job`.

    `lines` are (timed line, speaker label) pairs: a timed line has start, end, text and words
    (each with start, end and the word). Call inside the transaction that finishes the job.
    """
    recording = job.recording
    latest = recording.transcripts.aggregate(v=Max("version"))["v"] or 0
    transcript = Transcript.objects.create(
        team_id=job.team_id,
        recording=recording,
        job=job,
        version=latest + 1,
        model_name=model_name[:200],
        language=(language or "")[:12],
    )
    Segment.objects.bulk_create(
        [
            Segment(
                team_id=job.team_id,
                transcript=transcript,
                conversation_id=recording.conversation_id,
                index=i,
                start=line.start,
                end=line.end,
                text=line.text,
                speaker=speaker,
                words=[[w.start, w.end, w.word] for w in line.words],
            )
            for i, (line, speaker) in enumerate(lines)
        ],
        batch_size=500,
    )
    speakers_ensure(transcript=transcript)
    return transcript


@transaction.atomic
def segment_edit(*, segment: Segment, text: str, user) -> Segment:
    text = " ".join(text.split())
    if not text:
        raise ValidationError({"text": "A line cannot be empty."})
    if len(text) > 5000:
        raise ValidationError({"text": "A line can hold at most 5000 characters."})
    if text == segment.text:
        return segment
    if not segment.original_text:
        segment.original_text = segment.text
    segment.text, segment.edited_by, segment.edited_at = text, user, timezone.now()
    segment.save(update_fields=["text", "original_text", "edited_by", "edited_at"])
    return segment


@transaction.atomic
def transcript_speakers_set(
    *, transcript: Transcript, mapping: dict[str, tuple[str, Person | None]]
) -> int:
    """Rename speakers and map them to participants in one form: old name -> (new name or "",
    person or None). Returns the lines changed; all or nothing."""
    speakers = speakers_ensure(transcript=transcript)
    changed = 0
    for old, (new, person) in mapping.items():
        speaker = speakers.get(old)
        if speaker is None:
            raise ValidationError("That speaker is not in this transcript.")
        if person is not None and person != speaker.person:
            speaker_map(speaker=speaker, person=person)
            changed += transcript.segments.filter(speaker=speaker.name).count()
        if " ".join(new.split()):
            changed += speaker_rename(speaker=speaker, name=new)
    return changed
