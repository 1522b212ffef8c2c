"""A transcript as TXT, SRT or WebVTT."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import PurePath

from django.utils.text import slugify

from .timecodes import clock, timestamp

FORMATS = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
}


def _line(segment) -> str:
    """A line of text; `segment` has start, end, text and speaker_label (a Segment does)."""
    speaker = segment.speaker_label
    return f"{speaker}: {segment.text}" if speaker else segment.text


def left_out_note(count: int) -> str:
    """Said in every export that left lines out."""
    if not count:
        return ""
    lines = "line was" if count == 1 else "lines were"
    return f"{count} {lines} left out: consent does not cover quoting outside the team."


def render(fmt: str, segments: Iterable, *, left_out: int = 0) -> str:
    segments = list(segments)
    note = left_out_note(left_out)
    if fmt == "txt":
        body = "".join(f"[{clock(s.start)}] {_line(s)}\n" for s in segments)
        return body + (f"\n({note})\n" if note else "")
    if fmt == "srt":
        blocks = [
            f"{i}\n{timestamp(s.start, sep=',')} --> {timestamp(s.end, sep=',')}\n{_line(s)}\n"
            for i, s in enumerate(segments, 1)
        ]
        return "\n".join(blocks)
    if fmt == "vtt" and note:
        blocks = [f"NOTE {note}\n"] + [
            f"{timestamp(s.start)} --> {timestamp(s.end)}\n{_vtt(_line(s))}\n" for s in segments
        ]
        return "WEBVTT\n\n" + "\n".join(blocks)
    if fmt == "vtt":
        blocks = [
            f"{timestamp(s.start)} --> {timestamp(s.end)}\n{_vtt(_line(s))}\n" for s in segments
        ]
        return "WEBVTT\n\n" + "\n".join(blocks)
    raise ValueError(f"unknown format {fmt!r}")


def _vtt(text: str) -> str:
    # "-->" would end a cue timing line; & and < are markup in WebVTT cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "->")


def file_name(*, conversation: str, recording: str, version: int, fmt: str, tell_apart="") -> str:
    """`<conversation>-<recording>-v<n>.<fmt>`: a conversation's recordings export to files of
    their own names; `tell_apart` (e.g. the start of the recording's id) is added when another
    recording of the conversation has the same name."""
    parts = [slugify(conversation)[:60] or "transcript", slugify(PurePath(recording).stem)[:60]]
    parts += [str(tell_apart)] if tell_apart else []
    return "-".join(p for p in parts if p) + f"-v{version}.{fmt}"
