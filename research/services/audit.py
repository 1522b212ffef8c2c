"""Writing the audit trail. Callers pass ids, names and counts, never transcript text."""

from django.http import HttpRequest

from research.models import AuditEvent, AuditKind


def client_address(request: HttpRequest | None) -> str | None:
    """Where the request came from: the socket's peer (a proxy in front sets REMOTE_ADDR)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    kind: AuditKind | str,
    summary: str,
    team=None,
    actor=None,
    target: object = "",
    request: HttpRequest | None = None,
) -> AuditEvent:
    """Append one event. `actor` defaults to the request's signed-in user, if any."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        team=team,
        actor=actor,
        actor_name=actor.get_username() if actor is not None else "",
        kind=kind,
        summary=summary[:300],
        target=str(target or "")[:64],
        ip_address=client_address(request),
    )
