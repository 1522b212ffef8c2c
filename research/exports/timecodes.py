"""Times in a transcript, as people read them and as subtitle formats want them."""


def clock(seconds: float) -> str:
    """Short human time for a transcript line: 1:02 or 1:02:03."""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def timestamp(seconds: float, *, sep: str = ".") -> str:
    """SRT (sep ",") and WebVTT (sep ".") cue times: 00:01:02.345."""
    millis = max(0, round(seconds * 1000))
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"
