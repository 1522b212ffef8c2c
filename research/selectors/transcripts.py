"""Transcripts as a conversation reads them now: the newest version of each recording's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from research.models import Segment

from .recordings import RecordingView


def newest_lines(*, views: Iterable[RecordingView]) -> dict[int, list[Segment]]:
    """Recording id -> the lines of its newest transcript. Lines the views show already are
    reused; those of recordings showing an older version are read in one query."""
    found: dict[int, list[Segment]] = defaultdict(list)
    older_shown: dict[int, int] = {}  # newest transcript id -> recording id
    for view in views:
        if view.shows_newest:
            found[view.recording.pk] = view.segments
        elif view.versions:
            older_shown[view.versions[0].pk] = view.recording.pk
    if older_shown:
        for segment in (
            Segment.objects.filter(transcript_id__in=older_shown)
            .consented()
            .order_by("transcript_id", "index")
        ):
            found[older_shown[segment.transcript_id]].append(segment)
    return dict(found)
