"""Template helpers for highlights, themes, insights and features."""

from django import template
from django.urls import reverse

from research import selectors_transcripts
from research.forms_evidence import HighlightForm
from research.models import Insight
from research.services.themes import COLOUR

register = template.Library()


@register.inclusion_tag("research/evidence_conversation_panel.html", takes_context=True)
def conversation_evidence(context, conversation):
    """The conversation page's evidence panel: transcript to select from, highlights, and the
    insights and features this conversation feeds."""
    data = selectors_transcripts.conversation_evidence(conversation=conversation)
    request = context.get("request")
    can_edit = context.get("can_edit", False)
    return {
        **data,
        "conversation": conversation,
        "can_edit": can_edit,
        "form": HighlightForm(team=conversation.team) if can_edit else None,
        "team_insights": (
            Insight.objects.filter(team_id=conversation.team_id)
            .exclude(conversations=conversation)
            .only("uid", "title")
            .order_by("-created_at")[:200]
            if can_edit
            else []
        ),
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "current_team": context.get("current_team"),
        "focus": request.GET.get("highlight", "") if request else "",
    }


def _word(word) -> tuple[str, float, float]:
    """(text, start, end) from a stored word: [start, end, text] as the transcription job
    writes it, or a {"word"/"text", "start", "end"} mapping."""
    if isinstance(word, dict):
        text = word.get("word", word.get("text", ""))
        return str(text).strip(), float(word["start"]), float(word["end"])
    start, end, text = word
    return str(text).strip(), float(start), float(end)


@register.filter
def word_spans(segment) -> list[dict]:
    """The segment's words with their own times when they still spell the segment's text.

    After a hand edit the stored word timings no longer match the text; then the whole segment
    is one selectable piece with the segment's times.
    """
    whole = [{"text": segment.text, "start": segment.start, "end": segment.end}]
    pieces = []
    for word in segment.words if isinstance(segment.words, list) else []:
        try:
            text, start, end = _word(word)
        except (KeyError, TypeError, ValueError):
            return whole
        if text:
            pieces.append({"text": text, "start": start, "end": end})
    spelled = " ".join(p["text"] for p in pieces).split()
    if not pieces or spelled != segment.text.split():
        return whole
    return pieces


@register.simple_tag
def clip_url(conversation_uid, start, highlight_uid="") -> str:
    """Where a quote was said: the conversation page with the audio seeked to its start."""
    url = reverse("research:conversation_detail", args=[conversation_uid])
    query = f"?highlight={highlight_uid}" if highlight_uid else ""
    if start is None:
        return f"{url}{query}#hl-{highlight_uid}"
    return f"{url}{query}#t={float(start):.2f}"


@register.filter
def seconds(value) -> str:
    """A float for data attributes, never localised (no decimal comma)."""
    return "" if value is None else f"{float(value):.2f}"


@register.filter
def hex_colour(value) -> str:
    """A tag colour fit for a style attribute: #rrggbb or nothing."""
    value = str(value or "")
    return value if COLOUR.match(value) else ""
