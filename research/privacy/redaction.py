"""Redaction: what `detect` finds in a conversation's transcripts and notes, reviewed by an
editor and replaced by [redacted].

An applied redaction rewrites the text itself, so pages, highlights, search and exports all
show [redacted]; the audio under the redacted words (by their timestamps) is silenced in the
copy that is played and downloaded. The originals stay in Redaction rows for 30 days so that an
owner can undo; the daily run then empties them and silences the audio in the files for good.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from research import search
from research.models import (
    AuditKind,
    Conversation,
    Highlight,
    Recording,
    Redaction,
    RedactionKind,
    Segment,
)
from research.services.audit import audit_record

from .detect import Finding, detect
from .masking import (
    masked_copies_refresh,
    masked_copies_refresh_on_commit,
    newest_transcripts,
    silence_in_place,
)

MARK = "[redacted]"
UNDO_DAYS = 30
CONTEXT = 40
KIND_LABELS = dict(RedactionKind.choices)


@dataclass(frozen=True)
class Candidate:
    """A finding in one place, as the review page lists it."""

    key: str
    kind: str
    text: str
    before: str
    after: str
    where: str  # "notes" or the line's time code
    segment: Segment | None

    cut_before: bool = False  # more text before `before` / after `after`
    cut_after: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def _names(conversation: Conversation) -> list[str]:
    return list(conversation.participants.values_list("name", flat=True))


def _newest_segments(conversation: Conversation) -> list[Segment]:
    recordings = Recording.objects.filter(conversation=conversation)
    newest = newest_transcripts(recordings)
    return list(
        Segment.objects.filter(transcript_id__in=newest.values())
        .consented()
        .order_by("transcript_id", "index")
    )


def _candidate(key: str, text: str, finding: Finding, where: str, segment) -> Candidate:
    return Candidate(
        key=key,
        kind=finding.kind,
        text=finding.text,
        before=text[max(0, finding.start - CONTEXT) : finding.start],
        after=text[finding.end : finding.end + CONTEXT],
        where=where,
        segment=segment,
        cut_before=finding.start > CONTEXT,
        cut_after=finding.end + CONTEXT < len(text),
    )


def redaction_candidates(*, conversation: Conversation) -> list[Candidate]:
    """Everything found in the newest transcripts' lines and in the notes."""
    names = _names(conversation)
    found = []
    for segment in _newest_segments(conversation):
        for f in detect(segment.text, names=names):
            key = f"s:{segment.uid}:{f.start}:{f.end}"
            found.append(_candidate(key, segment.text, f, f"{segment.start:.1f}", segment))
    for f in detect(conversation.notes, names=names):
        found.append(_candidate(f"n:{f.start}:{f.end}", conversation.notes, f, "notes", None))
    return found


def _replace(text: str, findings: list[Finding]) -> str:
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + MARK + text[f.end :]
    return text


def _word(token: str) -> str:
    return re.sub(r"^\W+|\W+$", "", token).casefold()


def _redact_words(words: list, findings: list[Finding]) -> tuple[list, list[list[float]]]:
    """The line's timed words with each found run replaced by one [redacted] word, and the
    time ranges replaced."""
    words = [list(w) for w in words]
    ranges: list[list[float]] = []
    for finding in findings:
        wanted = [_word(t) for t in finding.text.split() if _word(t)]
        if not wanted:
            continue
        n = len(wanted)
        for i in range(len(words) - n + 1):
            window = [_word(str(w[2])) for w in words[i : i + n]]
            if window == wanted or (n == 1 and wanted[0] in window[0]):
                ranges.append([float(words[i][0]), float(words[i + n - 1][1])])
                words[i : i + n] = [[words[i][0], words[i + n - 1][1], f" {MARK}"]]
                break
    return words, ranges


@transaction.atomic
def redactions_apply(*, conversation: Conversation, keys: list[str], actor=None, request=None):
    """Apply the chosen findings (keys from `redaction_candidates`); returns the batch id."""
    by_key = {c.key: c for c in redaction_candidates(conversation=conversation)}
    unknown = [k for k in keys if k not in by_key]
    if unknown or not keys:
        raise ValidationError("Some findings are no longer in the text; reload the page.")
    batch = uuid.uuid4()
    per_segment: dict[int, list[Finding]] = defaultdict(list)
    segments: dict[int, Segment] = {}
    notes: list[Finding] = []
    for key in keys:
        c = by_key[key]
        start, end = (int(x) for x in key.rsplit(":", 2)[1:])
        finding = Finding(c.kind, start, end, c.text)
        if c.segment is None:
            notes.append(finding)
        else:
            segments[c.segment.pk] = c.segment
            per_segment[c.segment.pk].append(finding)
    rows = []
    texts_out = set()
    for pk, findings in per_segment.items():
        segment = segments[pk]
        words, ranges = _redact_words(segment.words or [], findings)
        if not ranges:  # the words moved (an edited line): silence the whole line
            ranges = [[segment.start, segment.end]]
        rows.append(
            Redaction(
                segment=segment,
                kinds=",".join(sorted({f.kind for f in findings})),
                count=len(findings),
                original=segment.text,
                original_words=segment.words,
                redacted=_replace(segment.text, findings),
                ranges=ranges,
            )
        )
        segment.text, segment.words = rows[-1].redacted, words
        segment.save(update_fields=["text", "words"])
        texts_out.update(f.text for f in findings)
    if notes:
        rows.append(
            Redaction(
                kinds=",".join(sorted({f.kind for f in notes})),
                count=len(notes),
                original=conversation.notes,
                redacted=_replace(conversation.notes, notes),
            )
        )
        conversation.notes = rows[-1].redacted
        conversation.save(update_fields=["notes"])
        texts_out.update(f.text for f in notes)
    # The same words in older transcript versions (still shown on request) go too.
    done = set(segments)
    for segment in Segment.objects.filter(conversation=conversation).exclude(pk__in=done):
        findings = [
            Finding("copy", m.start(), m.end(), m.group())
            for text in sorted(texts_out, key=len, reverse=True)
            for m in re.finditer(re.escape(text), segment.text)
        ]
        findings = [f for i, f in enumerate(findings) if all(
            f.end <= g.start or f.start >= g.end for g in findings[:i]
        )]  # fmt: skip
        if not findings:
            continue
        words, ranges = _redact_words(segment.words or [], findings)
        rows.append(
            Redaction(
                segment=segment,
                kinds="copy",
                count=len(findings),
                original=segment.text,
                original_words=segment.words,
                redacted=_replace(segment.text, findings),
                ranges=ranges or [[segment.start, segment.end]],
            )
        )
        segment.text, segment.words = rows[-1].redacted, words
        segment.save(update_fields=["text", "words"])
    for highlight in Highlight.objects.filter(conversation=conversation):
        quote = highlight.quote
        for text in sorted(texts_out, key=len, reverse=True):
            quote = quote.replace(text, MARK)
        if quote != highlight.quote:
            rows.append(Redaction(highlight=highlight, kinds="quote", original=highlight.quote))
            rows[-1].redacted = quote
            highlight.quote = quote
            highlight.save(update_fields=["quote"])
    for row in rows:
        row.team_id, row.conversation, row.batch = conversation.team_id, conversation, batch
        row.applied_by = actor or (request.user if request else None)
    Redaction.objects.bulk_create(rows)
    found = sum(len(f) for f in per_segment.values()) + len(notes)
    audit_record(
        kind=AuditKind.REDACTION,
        summary=f"{found} redactions applied in conversation {conversation.uid}",
        team=conversation.team,
        actor=actor,
        target=batch,
        request=request,
    )
    _after_change(conversation)
    return batch


def _after_change(conversation: Conversation) -> None:
    search.compact()
    masked_copies_refresh_on_commit(conversation=conversation)


@dataclass(frozen=True)
class Batch:
    """One application of redactions, as the review page lists it."""

    batch: uuid.UUID
    created_at: datetime.datetime
    applied_by: str
    kinds: str
    count: int
    purged: bool

    @property
    def undo_until(self) -> datetime.datetime:
        return undo_deadline(self.created_at)


def redaction_batches(*, conversation: Conversation) -> list[Batch]:
    grouped: dict[uuid.UUID, list[Redaction]] = defaultdict(list)
    for row in Redaction.objects.filter(conversation=conversation).select_related("applied_by"):
        grouped[row.batch].append(row)
    batches = []
    for batch, rows in grouped.items():
        kinds = {k for r in rows for k in r.kinds.split(",") if k not in ("quote", "copy")}
        batches.append(
            Batch(
                batch=batch,
                created_at=min(r.created_at for r in rows),
                applied_by=rows[0].applied_by.get_username() if rows[0].applied_by else "",
                kinds=", ".join(KIND_LABELS.get(k, k) for k in sorted(kinds)),
                count=sum(r.count for r in rows if r.kinds not in ("quote", "copy")),
                purged=any(r.purged_at for r in rows),
            )
        )
    return sorted(batches, key=lambda b: b.created_at, reverse=True)


def undo_deadline(created_at: datetime.datetime) -> datetime.datetime:
    return created_at + datetime.timedelta(days=UNDO_DAYS)


@transaction.atomic
def redactions_undo(
    *, conversation: Conversation, batch, now=None, actor=None, request=None
) -> int:
    """Put back what one application replaced, within the undo window; texts edited since
    are refused. How many texts were restored."""
    now = now or timezone.now()
    rows = list(
        Redaction.objects.select_for_update().filter(conversation=conversation, batch=batch)
    )
    if not rows:
        raise ValidationError("There is no such redaction to undo.")
    if any(r.purged_at or undo_deadline(r.created_at) < now for r in rows):
        raise ValidationError(f"Redactions can be undone for {UNDO_DAYS} days only.")
    conversation.refresh_from_db()
    for row in rows:
        current = (
            row.segment.text if row.segment_id
            else row.highlight.quote if row.highlight_id
            else conversation.notes
        )  # fmt: skip
        if current != row.redacted:
            raise ValidationError("The text was edited after the redaction; it can't be undone.")
    for row in rows:
        if row.segment_id:
            row.segment.text, row.segment.words = row.original, row.original_words
            row.segment.save(update_fields=["text", "words"])
        elif row.highlight_id:
            row.highlight.quote = row.original
            row.highlight.save(update_fields=["quote"])
        else:
            conversation.notes = row.original
            conversation.save(update_fields=["notes"])
    Redaction.objects.filter(pk__in=[r.pk for r in rows]).delete()
    audit_record(
        kind=AuditKind.REDACTION,
        summary=f"Redactions undone in conversation {conversation.uid}",
        team=conversation.team,
        actor=actor,
        target=batch,
        request=request,
    )
    _after_change(conversation)
    return len(rows)


def redactions_purge(*, team, now: datetime.datetime) -> int:
    """Empty the originals of redactions past the undo window and silence their audio in the
    recordings' files; how many were purged."""
    cutoff = now - datetime.timedelta(days=UNDO_DAYS)
    due = Redaction.objects.filter(team=team, created_at__lt=cutoff, purged_at__isnull=True)
    by_recording = defaultdict(list)
    for row in due.select_related("segment__transcript__recording"):
        if row.segment_id:
            by_recording[row.segment.transcript.recording].extend(row.ranges)
    for recording, ranges in by_recording.items():
        silence_in_place(recording, [tuple(r) for r in ranges])
    purged = due.update(original="", original_words=[], purged_at=now)
    for conversation in {r.conversation for r in by_recording}:
        transaction.on_commit(lambda c=conversation: masked_copies_refresh(conversation=c))
    return purged
