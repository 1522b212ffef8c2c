"""What every request carries: the signed-in user's team, and the team's sign-in rules."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from .models import Membership, Role
from .services.accounts import mfa_device

SESSION_TEAM_KEY = "fieldnotes_team_id"


class CurrentTeamMiddleware:
    """Puts the signed-in user's memberships, current team and membership on the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.memberships = []
        request.membership = None
        request.team = None
        if request.user.is_authenticated:
            request.memberships = list(
                Membership.objects.select_related("team")
                .filter(user=request.user)
                .order_by("created_at", "id")
            )
            wanted = request.session.get(SESSION_TEAM_KEY)
            chosen = [m for m in request.memberships if m.team_id == wanted]
            membership = (chosen or request.memberships or [None])[0]
            if membership is not None:
                request.membership = membership
                request.team = membership.team
            if any(m.must_change_password for m in request.memberships):
                allowed = (reverse("research:password_change"), reverse("logout"))
                if request.path not in allowed:
                    return redirect("research:password_change")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """An owner of a team that requires two-factor sign-in, without it, is sent to set it up;
    only their account page, signing out and invitations stay open to them."""

    ALLOWED = ("research:account", "research:account_mfa_setup", "research:invitation")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        requiring = [
            m.team.name
            for m in getattr(request, "memberships", [])
            if m.role == Role.OWNER and m.team.require_owner_mfa
        ]
        if (
            requiring
            and not request.path.startswith(("/static/", "/accounts/"))
            and not _is_allowed(request.path, self.ALLOWED)
            and mfa_device(request.user) is None
        ):
            messages.warning(
                request,
                f"“{requiring[0]}” requires two-factor sign-in for owners: set it up to go on.",
            )
            return redirect("research:account")
        return self.get_response(request)


def _is_allowed(path: str, names: tuple[str, ...]) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name in names


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response (no inline script or style anywhere: page
    data travels in data- attributes), and signed-in pages kept out of shared caches and the
    browser's back-forward store."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith("/static/"):
            kind = response.get("Content-Type", "")
            if kind.startswith(("text/html", "application/json")):
                response["Cache-Control"] = "private, no-store"
            elif "Cache-Control" not in response:
                # Files (exports): never in a shared cache. The audio view says its own.
                response["Cache-Control"] = "private"
        return response
