"""Transcripts: written once by a finished job, then edited line by line and by speaker."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from research.models import Person, Segment, Speaker, Transcript, TranscriptionJob

from .speakers import speaker_map, speaker_rename, speakers_ensure, voice_profiles_apply


def transcript_create(
    *,
    job: TranscriptionJob,
    lines: list,
    language: str,
    model_name: str,
    voices: dict | None = None,
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
        voices=voices or {},
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
    voice_profiles_apply(transcript=transcript)
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


MAX_SPEAKERS = 20


def speakers_detect(transcript: Transcript, num_speakers: int | None = None) -> int:
    """Find who speaks when again on the stored audio and relabel the transcript's lines,
    without transcribing again; returns how many lines changed speaker.

    Each line keeps its text (edited or not), its index and its times: it gets the speaker of
    most of its words' time, and its person mapping is cleared when its label changes (the old
    labels are gone). ``transcript.voices`` is replaced. ``num_speakers`` forces the count;
    otherwise the conversation's participants and interviewers bound it when known. Runs the
    encoder, so call it from a background task, not a request.
    """
    from research import audio
    from research.audio import store as audio_store
    from research.selectors.conversations import conversation_speakers_expected
    from research.speakers import diarize, voices, words

    if num_speakers is not None and not (1 <= int(num_speakers) <= MAX_SPEAKERS):
        raise ValidationError(
            {"num_speakers": f"Say between 1 and {MAX_SPEAKERS} speakers, or leave it empty."}
        )
    if transcript.job_id and transcript.job.split_channels:
        raise ValidationError("A call split per channel keeps one speaker per channel.")
    recording = transcript.recording
    wav = audio_store.derived_path(recording, "normalised.wav")
    if not wav.exists():
        src = audio_store.path_of(recording)
        info = audio.probe(
            src, max_bytes=audio_store.max_bytes(), max_seconds=math.inf, decode=False
        )
        audio.normalise(src, wav, info=info, channel=None, max_seconds=info.duration + 1)
    found = diarize.diarize(
        wav,
        num_speakers=num_speakers,
        max_speakers=conversation_speakers_expected(recording.conversation),
    )
    with transaction.atomic():
        segments = list(transcript.segments.select_for_update().order_by("index"))
        changed = []
        for segment in segments:
            label = words.majority_speaker(segment.start, segment.end, segment.words, found.turns)
            if label != segment.speaker:
                segment.speaker, segment.person = label, None
                changed.append(segment)
        Segment.objects.bulk_update(changed, ["speaker", "person"], batch_size=500)
        transcript.voices = voices.voices_json(found)
        transcript.save(update_fields=["voices", "updated_at"])
        # Labels are new: the old speaker rows (names, mappings, colours) no longer apply.
        Speaker.objects.filter(transcript=transcript).delete()
        speakers_ensure(transcript=transcript)
    return len(changed)
