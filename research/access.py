"""The one way views reach team data: everything is looked up inside the current team."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import redirect


def member_required(view: Callable) -> Callable:
    """Signed in and a member of a team; anonymous users go to sign-in."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.team is None:
            return redirect("research:no_team")
        return view(request, *args, **kwargs)

    return wrapper


def editor_required(view: Callable) -> Callable:
    """Like member_required, and the member may change things (owner or editor)."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not request.membership.can_edit:
            raise PermissionDenied("Viewers can read but not change anything.")
        return view(request, *args, **kwargs)

    return wrapper


def owner_required(view: Callable) -> Callable:
    """Team administration: owners only."""

    @member_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.membership.role != "owner":
            raise PermissionDenied("Only team owners can manage members.")
        return view(request, *args, **kwargs)

    return wrapper


def require_edit(request: HttpRequest) -> None:
    if not request.membership.can_edit:
        raise PermissionDenied("Viewers can read but not change anything.")


def team_object(request: HttpRequest, source: type[Model] | QuerySet, **lookup) -> Model:
    """The object of the current team matching lookup; 404 (never 403) for anything else."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    try:
        return queryset.get(team=request.team, **lookup)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        raise Http404("Not found") from None
