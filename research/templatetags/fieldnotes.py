"""Template filters: formatting only (no queries, no views)."""

from django import template

from research.exports.timecodes import clock
from research.markdown import render_markdown
from research.models.tags import COLOUR

register = template.Library()


@register.filter
def markdown(text: str):
    return render_markdown(text)


@register.filter
def timecode(seconds) -> str:
    """1:02 or 1:02:03."""
    return "" if seconds is None else clock(seconds)


@register.filter
def seconds(value) -> str:
    """A float for data attributes, never localised (no decimal comma)."""
    return "" if value is None else f"{float(value):.2f}"


@register.filter
def with_page(params, number) -> str:
    """The current query string (request.GET) with `page` set to `number`."""
    changed = params.copy()
    changed["page"] = number
    return f"?{changed.urlencode()}"


@register.filter
def hex_colour(value) -> str:
    """A tag colour for a data-colour attribute (page.js paints it): #rrggbb or nothing."""
    value = str(value or "")
    return value if COLOUR.match(value) else ""


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


@register.filter
def speaker_class(colours: dict, name: str) -> str:
    """The CSS colour class of a speaker name (RecordingView.colours), or nothing."""
    return colours.get(name, "") if name else ""


@register.filter
def span_seconds(segment) -> str:
    """A line's length in seconds (end - start) for an SVG width, never localised."""
    return f"{max(0.0, float(segment.end) - float(segment.start)):.2f}"
