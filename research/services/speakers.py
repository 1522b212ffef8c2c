"""A transcript's speakers: named once for all their lines, mapped to participants, merged,
lines moved between them, detection asked to run again; voice profiles suggested and applied."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import Highlight, Person, Segment, Speaker, Transcript, VoiceProfile
from research.models.speakers import SPEAKER_COLOURS

from .voice_profiles import (
    usable_voice,
    voice_cosine,
    voice_mean,
    voice_profile_learn,
    voice_profile_unlearn,
)

MAX_SPEAKERS = 10
MAX_LINES_MOVED = 5000


def speakers_ensure(*, transcript: Transcript) -> dict[str, Speaker]:
    """Name -> Speaker for every speaker name on the transcript's lines, creating the missing
    rows (coloured in order of first appearance)."""
    found = {s.name: s for s in Speaker.objects.filter(transcript=transcript)}
    names = (
        transcript.segments.exclude(speaker="")
        .order_by("index")
        .values_list("speaker", "person_id")
    )
    missing: dict[str, Speaker] = {}
    for name, person_id in names:
        if name in found or name in missing:
            continue
        taken = {s.label for s in found.values()} | set(missing)
        missing[name] = Speaker(
            team_id=transcript.team_id,
            transcript=transcript,
            label=name if name not in taken else f"{name} ({len(found) + len(missing) + 1})",
            name=name,
            person_id=person_id,
            colour=(len(found) + len(missing)) % SPEAKER_COLOURS,
        )
    if missing:
        Speaker.objects.bulk_create(missing.values())
        found.update(missing)
    return found


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "A speaker needs a name."})
    if len(name) > 100:
        raise ValidationError({"name": "A speaker's name can hold at most 100 characters."})
    return name


def _relabel(speaker: Speaker, old_name: str) -> int:
    """Copy the speaker's name and person onto its lines and the highlights quoting them."""
    fields = {"speaker": speaker.name, "person": speaker.person}
    lines = Segment.objects.filter(transcript=speaker.transcript_id, speaker=old_name).update(
        **fields
    )
    Highlight.objects.filter(transcript=speaker.transcript_id, speaker=old_name).update(
        by_interviewer=speaker.is_interviewer, **fields
    )
    return lines


@transaction.atomic
def speaker_rename(*, speaker: Speaker, name: str) -> int:
    """Rename the speaker on all its lines at once; returns the lines changed."""
    name = _clean_name(name)
    if name == speaker.name:
        return 0
    if Speaker.objects.filter(transcript=speaker.transcript_id, name=name).exists():
        raise ValidationError(
            {"name": f"“{name}” already speaks in this transcript: merge the two instead."}
        )
    old, speaker.name = speaker.name, name
    speaker.save(update_fields=["name", "updated_at"])
    return _relabel(speaker, old)


def _participant(transcript: Transcript, person: Person | None) -> None:
    if person is None:
        return
    conversation = transcript.recording.conversation
    if (
        person.team_id != transcript.team_id
        or not conversation.participants.filter(pk=person.pk).exists()
    ):
        raise ValidationError({"person": "Map speakers only to participants of this conversation."})


@transaction.atomic
def speaker_map(
    *, speaker: Speaker, person: Person | None, is_interviewer: bool = False
) -> Speaker:
    """Say who the speaker is: a participant (its lines take their name unless it was renamed),
    one of the team asking, or nobody known. A consenting person's profile learns the voice."""
    transcript = speaker.transcript
    _participant(transcript, person)
    if person is not None and is_interviewer:
        raise ValidationError({"person": "A participant is not one of the interviewers."})
    before, old_name = speaker.person, speaker.name
    speaker.person, speaker.is_interviewer = person, is_interviewer
    # A name that came from the mapping follows it: the new person's, or the label again.
    if speaker.name in (speaker.label, getattr(before, "name", None)):
        name = person.name[:100] if person is not None else speaker.label
        clash = Speaker.objects.filter(transcript=transcript, name=name)
        if not clash.exclude(pk=speaker.pk).exists():
            speaker.name = name
    speaker.save()
    _relabel(speaker, old_name)
    if before is not None and before != person:
        voice_profile_unlearn(speaker=speaker, person=before)
    voice_profile_learn(speaker=speaker)
    return speaker


@transaction.atomic
def speaker_merge(*, speaker: Speaker, into: Speaker) -> int:
    """All of `speaker`'s lines become `into`'s; its voice joins `into`'s. Returns lines moved."""
    if into.transcript_id != speaker.transcript_id:
        raise ValidationError({"into": "Merge only speakers of the same transcript."})
    if into.pk == speaker.pk:
        raise ValidationError({"into": "Choose another speaker to merge into."})
    transcript = speaker.transcript
    voices = dict(transcript.voices or {})
    both = [v for v in (voices.get(into.label), voices.get(speaker.label)) if usable_voice(v)]
    if speaker.label in voices:
        voices.pop(speaker.label)
        if both:
            embedding, seconds = voice_mean(both)
            voices[into.label] = {"embedding": embedding, "seconds": seconds}
        transcript.voices = voices
        transcript.save(update_fields=["voices", "updated_at"])
    voice_profile_unlearn(speaker=speaker, person=speaker.person)
    moved = _relabel(into, speaker.name)
    speaker.delete()
    voice_profile_learn(speaker=into)
    return moved


def _lines(transcript: Transcript, indexes: Iterable[int], through: bool) -> list[int]:
    wanted = sorted(set(indexes))
    if not wanted:
        raise ValidationError({"lines": "Tick the lines to move."})
    if through:
        wanted = list(range(wanted[0], wanted[-1] + 1))
    if len(wanted) > MAX_LINES_MOVED:
        raise ValidationError({"lines": f"Move at most {MAX_LINES_MOVED} lines at once."})
    found = transcript.segments.filter(index__in=wanted).count()
    if found != len(wanted):
        raise ValidationError({"lines": "Those lines are not all in this transcript."})
    return wanted


@transaction.atomic
def segments_move(
    *, transcript: Transcript, indexes: Iterable[int], speaker: Speaker, through: bool = False
) -> int:
    """Give the lines (or, with `through`, every line from the first to the last) to `speaker`."""
    if speaker.transcript_id != transcript.pk:
        raise ValidationError({"speaker": "Choose a speaker of this transcript."})
    wanted = _lines(transcript, indexes, through)
    return transcript.segments.filter(index__in=wanted).update(
        speaker=speaker.name, person=speaker.person
    )


@transaction.atomic
def speakers_redetect(*, transcript: Transcript, num_speakers: int) -> Transcript:
    """Ask for speaker detection again with this many speakers (1 to 10)."""
    if not isinstance(num_speakers, int) or not 1 <= num_speakers <= MAX_SPEAKERS:
        raise ValidationError({"num_speakers": f"Choose between 1 and {MAX_SPEAKERS} speakers."})
    transcript.speakers_requested = num_speakers
    transcript.save(update_fields=["speakers_requested", "updated_at"])
    return transcript


# --- Voice profiles on a new transcript ------------------------------------------------------


@dataclass(frozen=True)
class VoiceMatch:
    speaker: Speaker
    person: Person
    score: float


def voice_profiles_suggest(*, transcript: Transcript) -> list[VoiceMatch]:
    """For each unmapped speaker with a voice, the team's best-matching profile at or above the
    team's threshold (a person already mapped in this transcript is not suggested again)."""
    team = transcript.team
    speakers = [
        s
        for s in Speaker.objects.filter(
            transcript=transcript, person__isnull=True, is_interviewer=False
        )
        if usable_voice((transcript.voices or {}).get(s.label))
    ]
    if not speakers:
        return []
    mapped = set(
        Speaker.objects.filter(transcript=transcript, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    profiles = list(
        VoiceProfile.objects.filter(team=team)
        .exclude(person_id__in=mapped)
        .select_related("person")
    )
    matches = []
    for speaker in speakers:
        embedding = transcript.voices[speaker.label]["embedding"]
        scored = [(voice_cosine(embedding, p.embedding), p.person) for p in profiles]
        scored = [
            (score, person) for score, person in scored if score >= team.voice_match_threshold
        ]
        if scored:
            score, person = max(scored, key=lambda pair: pair[0])
            matches.append(VoiceMatch(speaker, person, round(score, 2)))
    return matches


@transaction.atomic
def speaker_voice_confirm(*, speaker: Speaker, person: Person) -> Speaker:
    """Accept a suggestion: the person joins the conversation's participants if needed and the
    speaker is mapped to them. Only a person whose profile matches may be confirmed."""
    match = next(
        (m for m in voice_profiles_suggest(transcript=speaker.transcript) if m.speaker == speaker),
        None,
    )
    if match is None or match.person != person:
        raise ValidationError(
            {"person": "That person's voice profile does not match this speaker."}
        )
    speaker.transcript.recording.conversation.participants.add(person)
    return speaker_map(speaker=speaker, person=person)


@transaction.atomic
def voice_profiles_apply(*, transcript: Transcript) -> list[VoiceMatch]:
    """Map the speakers whose match reaches the team's auto-apply threshold (off when blank);
    call after a job writes the transcript. Returns what was applied."""
    speakers_ensure(transcript=transcript)
    threshold = transcript.team.voice_auto_apply
    if threshold is None:
        return []
    applied, taken = [], set()
    for match in sorted(voice_profiles_suggest(transcript=transcript), key=lambda m: -m.score):
        if match.score >= threshold and match.person.pk not in taken:
            transcript.recording.conversation.participants.add(match.person)
            speaker_map(speaker=match.speaker, person=match.person)
            applied.append(match)
            taken.add(match.person.pk)
    return applied
