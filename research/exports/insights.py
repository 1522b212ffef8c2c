"""An insight as a brief to share outside the team (Markdown): its finding, details and quotes.

Only quotes of people whose consent covers quoting outside the team go in; the brief says how
many were left out."""

from __future__ import annotations

from collections.abc import Iterable

CONTENT_TYPE = "text/markdown; charset=utf-8"


def render_brief(insight, quotes: Iterable, *, left_out: int) -> str:
    lines = [f"# {insight.title}", ""]
    if insight.details:
        lines += [insight.details.strip(), ""]
    quotes = list(quotes)
    if quotes:
        lines += ["## Evidence", ""]
        for h in quotes:
            who = h.person.organization.name if h.person and h.person.organization else ""
            source = f" ({who})" if who else ""
            lines.append(f"> {h.quote}")
            lines += [f"> — a participant{source}, {h.conversation.occurred_at:%B %Y}", ""]
    if left_out:
        noun = "quote was" if left_out == 1 else "quotes were"
        lines += [
            f"_{left_out} {noun} left out: consent does not cover quoting outside the team._",
            "",
        ]
    return "\n".join(lines)
