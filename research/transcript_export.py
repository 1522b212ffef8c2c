"""A transcript as TXT, SRT or WebVTT."""

from __future__ import annotations

from collections.abc import Iterable

FORMATS = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
}


def timestamp(seconds: float, *, sep: str = ".") -> str:
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def clock(seconds: float) -> str:
    """Short human time for a transcript line: 1:02 or 1:02:03."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _line(segment) -> str:
    speaker = segment.speaker or (segment.person.name if segment.person_id else "")
    return f"{speaker}: {segment.text}" if speaker else segment.text


def render(fmt: str, segments: Iterable) -> str:
    segments = list(segments)
    if fmt == "txt":
        return "".join(f"[{clock(s.start)}] {_line(s)}\n" for s in segments)
    if fmt == "srt":
        blocks = [
            f"{i}\n{timestamp(s.start, sep=',')} --> {timestamp(s.end, sep=',')}\n{_line(s)}\n"
            for i, s in enumerate(segments, 1)
        ]
        return "\n".join(blocks)
    if fmt == "vtt":
        blocks = [
            f"{timestamp(s.start)} --> {timestamp(s.end)}\n{_vtt(_line(s))}\n" for s in segments
        ]
        return "WEBVTT\n\n" + "\n".join(blocks)
    raise ValueError(f"unknown format {fmt!r}")


def _vtt(text: str) -> str:
    # "-->" would end a cue timing line; & and < are markup in WebVTT cue text.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "->")
