"""The audit trail as a team's owners read it: newest first, a page at a time."""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Page, Paginator

from research.models import AuditEvent, Team

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditRow:
    created_at: datetime
    who: str
    kind: str
    kind_label: str
    summary: str
    ip_address: str


def audit_page(*, team: Team, user=None, kind: str = "", number=1) -> Page:
    """One page of the team's events (optionally one person's, one kind's), as rows. Two
    queries whatever the page size (a count and the page); no transcript text is ever stored."""
    events = AuditEvent.objects.filter(team=team)
    if user is not None:
        events = events.filter(actor=user)
    if kind:
        events = events.filter(kind=kind)
    events = events.order_by("-created_at", "-id").only(
        "created_at", "actor_name", "kind", "summary", "ip_address"
    )
    page = Paginator(events, PAGE_SIZE).get_page(number)
    page.object_list = [
        AuditRow(
            created_at=e.created_at,
            who=e.actor_name or "—",
            kind=e.kind,
            kind_label=e.get_kind_display(),
            summary=e.summary,
            ip_address=e.ip_address or "",
        )
        for e in page.object_list
    ]
    return page
