from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from research import selectors
from research.access import member_required
from research.forms import FirstAdminForm
from research.middleware import SESSION_TEAM_KEY
from research.models import Membership, TeamTag
from research.services.teams import first_admin_setup


def dashboard(request):
    if not request.user.is_authenticated:
        if not get_user_model().objects.exists():
            return redirect("research:setup")
        return redirect("login")
    if request.team is None:
        return redirect("research:no_team")
    return render(request, "research/dashboard.html", selectors.dashboard(team=request.team))


@require_http_methods(["GET", "POST"])
def setup(request):
    """First run: create the first administrator and team. Gone once any user exists."""
    if get_user_model().objects.exists():
        raise Http404("Setup is done")
    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, team, _ = first_admin_setup(**form.cleaned_data)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome! Team “{team}” is ready.")
        return redirect("research:dashboard")
    status = 400 if form.errors else 200
    return render(request, "research/setup.html", {"form": form}, status=status)


def no_team(request):
    if not request.user.is_authenticated:
        return redirect("login")
    if request.team is not None:
        return redirect("research:dashboard")
    return render(request, "research/no_team.html")


@member_required
@require_POST
def team_switch(request):
    membership = (
        Membership.objects.filter(user=request.user, team__uid=request.POST.get("team", "")).first()
        if _is_uuid(request.POST.get("team", ""))
        else None
    )
    if membership is None:
        raise Http404("Not found")
    request.session[SESSION_TEAM_KEY] = membership.team_id
    return redirect("research:dashboard")


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


@member_required
@require_GET
def tag_autocomplete(request):
    prefix = request.GET.get("q", "").strip()[:100]
    tags = TeamTag.objects.filter(team=request.team)
    if prefix:
        tags = tags.filter(name__istartswith=prefix)
    return JsonResponse({"tags": list(tags.order_by("name").values_list("name", flat=True)[:20])})
