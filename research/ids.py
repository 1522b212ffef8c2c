"""Public ids (UUIDs) read from request text: a malformed one is "no such object", never an
error page."""

import uuid
from collections.abc import Iterable


def uuid_or_none(value) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def uuids(values: Iterable) -> list[uuid.UUID]:
    """The well-formed UUIDs among `values`, in order; the others are dropped."""
    return [found for value in values if (found := uuid_or_none(value)) is not None]
