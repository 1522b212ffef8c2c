"""Reads for the conversation page's evidence panel: the newest transcript to select from,
highlights with a mark where the words under them changed, and what the conversation feeds."""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from research.models import (
    Conversation,
    Highlight,
    Insight,
    InsightFeatureLink,
    Segment,
    Transcript,
)


def newest_transcripts(*, conversation: Conversation) -> list[Transcript]:
    """The newest version of each recording's transcript, oldest recording first."""
    newest: dict[int, Transcript] = {}
    transcripts = Transcript.objects.filter(
        team_id=conversation.team_id, recording__conversation=conversation
    ).select_related("recording")
    for transcript in transcripts.order_by("recording__created_at", "recording_id", "-version"):
        newest.setdefault(transcript.recording_id, transcript)
    return list(newest.values())


def _normalise(text: str) -> str:
    kept = "".join(ch.lower() if ch.isalnum() else " " for ch in text)
    return " ".join(kept.split())


def highlights_with_drift(highlights: Iterable[Highlight], segments: Iterable[Segment]) -> None:
    """Mark each audio highlight whose words are no longer under its time range.

    Sets `current_text` (the newest transcript's words in the range) and `text_changed` on each
    highlight. Only the newest transcript of the highlight's recording counts; punctuation and
    case are ignored so re-punctuating a transcript is not a change.
    """
    by_recording: dict[int, list[Segment]] = {}
    for segment in segments:
        by_recording.setdefault(segment.transcript.recording_id, []).append(segment)
    for highlight in highlights:
        highlight.current_text, highlight.text_changed = "", False
        if not highlight.is_from_audio:
            continue
        recording_id = highlight.transcript.recording_id if highlight.transcript else None
        candidates = by_recording.get(recording_id)
        if candidates is None:
            candidates = [s for group in by_recording.values() for s in group]
        under = [s for s in candidates if s.start < highlight.end and s.end > highlight.start]
        highlight.current_text = " ".join(s.text.strip() for s in under)
        highlight.text_changed = _normalise(highlight.quote) not in _normalise(
            highlight.current_text
        )


def transcript_lines(*, conversation: Conversation) -> list[dict]:
    """The newest transcript of each of the conversation's recordings, segments in order."""
    transcripts = newest_transcripts(conversation=conversation)
    if not transcripts:
        return []
    segments = (
        Segment.objects.filter(transcript__in=transcripts)
        .select_related("person", "transcript")
        .order_by("transcript__recording__created_at", "transcript_id", "index")
    )
    by_transcript = defaultdict(list)
    for segment in segments:
        by_transcript[segment.transcript_id].append(segment)
    return [{"transcript": t, "segments": by_transcript[t.pk]} for t in transcripts]


def conversation_evidence(*, conversation: Conversation) -> dict:
    """Highlights of a conversation (with drift marks), and the insights and features it feeds."""
    transcripts = transcript_lines(conversation=conversation)
    highlights = list(
        Highlight.objects.filter(team_id=conversation.team_id, conversation=conversation)
        .select_related("transcript", "person__organization", "conversation")
        .prefetch_related("tags")
        .order_by("start", "created_at")
    )
    highlights_with_drift(highlights, (s for t in transcripts for s in t["segments"]))
    insights = list(
        Insight.objects.filter(team_id=conversation.team_id)
        .filter(
            Q(highlights__conversation=conversation)
            | Q(conversations=conversation)
            | Q(contradicting_highlights__conversation=conversation)
        )
        .distinct()
        .order_by("title")
    )
    links = list(
        InsightFeatureLink.objects.filter(insight__in=insights)
        .select_related("feature", "insight")
        .order_by("feature__name")
    )
    features: dict[int, dict] = {}
    for link in links:
        entry = features.setdefault(link.feature_id, {"feature": link.feature, "links": []})
        entry["links"].append(link)
    return {
        "transcripts": transcripts,
        "highlights": highlights,
        "insights": insights,
        "features": list(features.values()),
    }
