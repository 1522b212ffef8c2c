"""Highlights: quotes cut from a transcript (with their time range) or from the notes."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from research.models import (
    Conversation,
    Highlight,
    Person,
    Segment,
    Speaker,
    TaggedHighlight,
    TeamTag,
    Transcript,
)

from .base import check_same_team, model_save
from .consent import quote_allowed
from .tags import tags_set

# Floating-point seconds from the browser: tolerate rounding at the recording's edges.
EDGE_TOLERANCE = 0.5


def _recording_length(transcript: Transcript) -> float | None:
    if transcript.recording.duration_seconds:
        return transcript.recording.duration_seconds
    return transcript.segments.aggregate(end=Max("end"))["end"]


def _check_time_range(transcript: Transcript, start, end) -> None:
    if start is None or end is None:
        raise ValidationError({"start": "A quote from a transcript needs its start and end time."})
    if start < 0 or end <= start:
        raise ValidationError({"end": "The end must come after the start (times in seconds)."})
    length = _recording_length(transcript)
    if length is not None and end > length + EDGE_TOLERANCE:
        raise ValidationError(
            {"end": f"The time range ends after the recording ({length:.1f} s long)."}
        )


@dataclass(frozen=True)
class SaidBy:
    speaker: str = ""
    person: object = None
    mixed: bool = False
    by_interviewer: bool = False


def _speaker_of(transcript: Transcript, start: float, end: float) -> SaidBy:
    """Who said the words from start to end: the speaker with the most time under the range
    (mixed when others speak in it too), with their person and whether they are the team's."""
    seconds: dict[str, float] = defaultdict(float)
    people: dict[str, int | None] = {}
    for name, person_id, a, b in Segment.objects.filter(
        transcript=transcript, start__lt=end, end__gt=start
    ).values_list("speaker", "person_id", "start", "end"):
        seconds[name] += min(b, end) - max(a, start)
        people.setdefault(name, person_id)
    if not seconds:
        return SaidBy()
    name = max(seconds, key=lambda n: (seconds[n], n))
    mixed = len(seconds) > 1
    if not name:
        return SaidBy(mixed=mixed)
    speaker = (
        Speaker.objects.filter(transcript=transcript, name=name).select_related("person").first()
    )
    if speaker is not None:
        return SaidBy(name, speaker.person, mixed, speaker.is_interviewer)
    person = Person.objects.filter(pk=people[name]).first() if people[name] else None
    return SaidBy(name, person, mixed)


def _clean_quote(quote: str) -> str:
    quote = " ".join((quote or "").split())
    if not quote:
        raise ValidationError(
            {"quote": "Select or type the words to quote; a quote can't be empty."}
        )
    return quote


def _check_place(conversation: Conversation, transcript, start, end) -> None:
    if transcript is None:
        if start is not None or end is not None:
            raise ValidationError({"start": "Only quotes from a transcript have a time range."})
        return
    check_same_team(conversation.team_id, [transcript], field="transcript", label="a transcript")
    if transcript.recording.conversation_id != conversation.pk:
        raise ValidationError({"transcript": "That transcript is not part of this conversation."})
    _check_time_range(transcript, start, end)


def _check_quotable(conversation: Conversation, transcript, start, end) -> None:
    """Every person speaking under the quote must have consented to being quoted."""
    if transcript is None:
        return
    people = {
        s.person
        for s in Segment.objects.filter(
            transcript=transcript, start__lt=end, end__gt=start, person__isnull=False
        ).select_related("person")
    }
    refused = sorted(
        p.name
        for p in people
        if not quote_allowed(conversation=conversation, person=p, outside=False)
    )
    if refused:
        raise ValidationError(
            {
                "quote": f"{', '.join(refused)} did not consent to being quoted; "
                "this highlight can't be saved."
            }
        )


@transaction.atomic
def highlight_create(
    *,
    conversation: Conversation,
    created_by,
    quote: str,
    transcript: Transcript | None = None,
    start: float | None = None,
    end: float | None = None,
    comment: str = "",
    tags: Iterable[str] = (),
) -> Highlight:
    """A highlight from the transcript (transcript, start and end given) or from the notes.

    Every problem with the input is reported at once, and nothing is saved unless all is well.
    """
    errors: dict[str, list] = {}
    for check in (
        lambda: _clean_quote(quote),
        lambda: _check_place(conversation, transcript, start, end),
    ):
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    quote = _clean_quote(quote)
    said = _speaker_of(transcript, start, end) if transcript else SaidBy()
    _check_quotable(conversation, transcript, start, end)
    highlight = model_save(
        Highlight(team_id=conversation.team_id, conversation=conversation, created_by=created_by),
        transcript=transcript,
        quote=quote,
        start=start,
        end=end,
        speaker=said.speaker,
        person=said.person,
        speaker_mixed=said.mixed,
        by_interviewer=said.by_interviewer,
        comment=comment.strip(),
    )
    tags_set(obj=highlight, names=tags)
    return highlight


@transaction.atomic
def highlight_update(
    *, highlight: Highlight, quote: str, comment: str = "", tags: Iterable[str] | None = None
) -> Highlight:
    """Edit the words, comment and tags; the place (time range) of a highlight never moves."""
    model_save(highlight, quote=_clean_quote(quote), comment=comment.strip())
    if tags is not None:
        tags_set(obj=highlight, names=tags)
    return highlight


@transaction.atomic
def highlight_delete(*, highlight: Highlight) -> None:
    highlight.delete()


@transaction.atomic
def highlight_retag(
    *, highlight: Highlight, to_tag: TeamTag, from_tag: TeamTag | None = None
) -> None:
    """The theme board's move: take `from_tag` off the highlight and put `to_tag` on."""
    check_same_team(highlight.team_id, [to_tag, from_tag], field="tag", label="a tag")
    if from_tag is not None and from_tag.pk != to_tag.pk:
        TaggedHighlight.objects.filter(content_object=highlight, tag=from_tag).delete()
    TaggedHighlight.objects.get_or_create(content_object=highlight, tag=to_tag)
