"""A conversation's highlights, each marked where the words under it have changed since."""

from __future__ import annotations

from dataclasses import dataclass

from research.models import Conversation, Highlight, Segment


@dataclass(frozen=True)
class HighlightRow:
    highlight: Highlight
    # What the newest transcript now says under the highlight's time range, when its quote
    # is no longer there; None while the quote still stands.
    drift: str | None = None


def _normalise(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else " " for ch in text)
    return " ".join(kept.split())


def drift_of(highlight: Highlight, newest: dict[int, list[Segment]]) -> str | None:
    """Only the newest transcript of the highlight's recording counts; punctuation and case are
    ignored, so re-punctuating a transcript is not a change."""
    if not highlight.is_from_audio:
        return None
    recording_id = highlight.transcript.recording_id if highlight.transcript else None
    candidates = newest.get(recording_id)
    if candidates is None:
        candidates = [s for group in newest.values() for s in group]
    under = [s for s in candidates if s.start < highlight.end and s.end > highlight.start]
    now = " ".join(s.text.strip() for s in under)
    return None if _normalise(highlight.quote) in _normalise(now) else now


def conversation_highlights(
    *, conversation: Conversation, newest: dict[int, list[Segment]]
) -> list[HighlightRow]:
    """The conversation's highlights in the order they were said, checked against `newest`
    (recording id -> the lines of its newest transcript)."""
    highlights = (
        Highlight.objects.filter(team_id=conversation.team_id, conversation=conversation)
        .consented()
        .select_related("transcript__recording", "person__organization", "conversation")
        .prefetch_related("tags")
        .order_by("start", "created_at")
    )
    return [HighlightRow(h, drift_of(h, newest)) for h in highlights]
