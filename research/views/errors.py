"""Pages that refuse or do not exist (400, 403, 404, 413, 415, 500), in the app's layout with
its navigation, saying why and offering a way back."""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

from research.models import Membership, Role

from .responses import json_error, wants_json

log = logging.getLogger(__name__)

TITLES = {
    400: "This request could not be understood",
    403: "You cannot do this here",
    404: "This page does not exist",
    413: "That is too large",
    415: "That kind of file cannot be used",
    500: "Something went wrong on our side",
}


def _owners(request: HttpRequest) -> list[str]:
    team = getattr(request, "team", None)
    if team is None:
        return []
    owners = Membership.objects.filter(team=team, role=Role.OWNER).select_related("user")
    return [m.user.get_full_name() or m.user.get_username() for m in owners.order_by("id")]


def refusal_reason(request: HttpRequest, message: str = "") -> str:
    """Why a signed-in member was refused, and whom to ask."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return message or "Your account cannot do this."
    team = membership.team.name
    owners = ", ".join(_owners(request))
    ask = f"ask an owner of {team}" + (f" ({owners})" if owners else "")
    if not membership.can_edit:
        return f"Viewers can read but not change; {ask} to make you an editor."
    if membership.role != Role.OWNER:
        return f"Only owners of {team} manage its members; {ask}."
    return message or f"This is not allowed; {ask}."


def error_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    """The one refusal page (JSON for the page's scripts)."""
    if wants_json(request):
        return json_error(message or TITLES.get(status, "Error"), status)
    context = {"status": status, "title": TITLES.get(status, "Error"), "message": message}
    return render(request, "errors/page.html", context, status=status)


def bad_request(request, exception=None):
    return error_page(request, 400, "Check the link or the form and try again.")


def permission_denied(request, exception=None):
    return error_page(request, 403, refusal_reason(request, str(exception or "")))


def page_not_found(request, exception=None):
    return error_page(
        request, 404, "It may have been deleted or moved, or it belongs to another team."
    )


def server_error(request):
    message = "The error was logged. Try again in a moment; if it persists, tell your admin."
    try:
        return error_page(request, 500, message)
    except Exception:  # noqa: BLE001 - the page itself failed (e.g. the database is down)
        log.exception("The error page could not be rendered")
        return HttpResponseServerError(
            "<!doctype html><title>Server error · Fieldnotes</title>"
            f"<h1>{TITLES[500]}</h1><p>{message}</p><p><a href='/'>Back to Fieldnotes</a></p>"
        )
