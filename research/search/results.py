"""How each type of search result is shown: its title, link and context (who, where, when)."""

from django.db.models import Model
from django.utils import dateformat, timezone

from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    Organization,
    Person,
    Segment,
    TeamTag,
)
from research.models.conversations import moment_url

_QUERYSETS = {
    "transcript": lambda: (
        Segment.objects.consented()
        .select_related("conversation__project", "person__organization", "transcript__recording")
        .defer("words", "conversation__notes")
    ),
    "highlight": lambda: (
        Highlight.objects.consented()
        .select_related("conversation__project", "person__organization", "transcript__recording")
        .defer("conversation__notes")
    ),
    "insight": lambda: Insight.objects.all(),
    "feature": lambda: Feature.objects.all(),
    "conversation": lambda: Conversation.objects.select_related("project").defer("notes"),
    "person": lambda: Person.objects.select_related("organization"),
    "organization": lambda: Organization.objects.all(),
    "tag": lambda: TeamTag.objects.all(),
}


def load(kind: str, ids: list[int]) -> dict[int, Model]:
    return {obj.pk: obj for obj in _QUERYSETS[kind]().filter(pk__in=ids)}


def _day(moment) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y")


def _link(label: str, text: str, url: str = "") -> dict:
    return {"label": label, "text": text, "url": url}


def _who(person: Person | None) -> list[dict]:
    if person is None:
        return []
    meta = [_link("Person", person.name, person.get_absolute_url())]
    if person.organization:
        org = person.organization
        meta.append(_link("Organization", org.name, org.get_absolute_url()))
    return meta


def _conversation_meta(conversation: Conversation) -> list[dict]:
    # The title already names (and links) the conversation.
    return [
        _link("Project", conversation.project.name, conversation.project.get_absolute_url()),
        _link("Date", _day(conversation.occurred_at)),
    ]


def describe(result, obj: Model) -> None:
    """Fill a search page Result from its object."""
    kind = result.kind
    if kind == "transcript":
        result.title = obj.conversation.title
        result.url = moment_url(
            obj.conversation.uid,
            obj.start,
            recording=obj.transcript.recording.uid,
            segment=obj.index,
        )
        result.speaker = obj.speaker_label
        result.time = obj.start
        result.meta = _conversation_meta(obj.conversation) + _who(obj.person)
    elif kind == "highlight":
        result.title = f"Highlight from {obj.conversation.title}"
        result.url = obj.get_absolute_url()
        result.speaker = obj.speaker_label
        result.time = obj.start
        result.meta = _conversation_meta(obj.conversation) + _who(obj.person)
    elif kind == "conversation":
        result.title = obj.title
        result.url = obj.get_absolute_url()
        result.meta = [
            _link("Project", obj.project.name, obj.project.get_absolute_url()),
            _link("Kind", obj.get_kind_display()),
            _link("Date", _day(obj.occurred_at)),
        ]
    elif kind in ("insight", "feature"):
        result.title = obj.title if kind == "insight" else obj.name
        result.url = obj.get_absolute_url()
        result.meta = [
            _link("Status", obj.get_status_display()),
            _link("Date", _day(obj.created_at)),
        ]
    elif kind == "person":
        result.title = obj.name
        result.url = obj.get_absolute_url()
        result.meta = _who(obj)[1:] + ([_link("Role", obj.title)] if obj.title else [])
    elif kind == "tag":
        result.title = obj.name
        result.url = obj.get_absolute_url()
        result.meta = [_link("Description", obj.description)] if obj.description else []
    elif kind == "organization":
        result.title = obj.name
        result.url = obj.get_absolute_url()
        result.meta = [_link("Kind", obj.get_kind_display())]
