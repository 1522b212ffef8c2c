"""The team: first-run setup, the home page, switching teams, and managing members."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research.access import member_required, owner_required, team_object
from research.forms.base import add_service_errors
from research.forms.teams import FirstAdminForm, MemberInviteForm, OwnPasswordForm
from research.ids import uuid_or_none
from research.middleware import SESSION_TEAM_KEY
from research.models import Membership, Role
from research.selectors.teams import dashboard as dashboard_data
from research.services import teams as services


def dashboard(request):
    if not request.user.is_authenticated:
        if not get_user_model().objects.exists():
            return redirect("research:setup")
        return redirect("login")
    if request.team is None:
        return redirect("research:no_team")
    return render(request, "research/dashboard.html", dashboard_data(team=request.team))


@require_http_methods(["GET", "POST"])
def setup(request):
    """First run: create the first administrator and team. Once any user exists, it sends
    the visitor on: to the start page, or to sign in."""
    if get_user_model().objects.exists():
        if request.user.is_authenticated:
            return redirect("research:dashboard")
        messages.info(
            request,
            "Fieldnotes is already set up: sign in. New teammates are invited by a team owner "
            "from the Team page.",
        )
        return redirect("login")
    form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, team, _ = services.first_admin_setup(**form.cleaned_data)
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
    team_uid = uuid_or_none(request.POST.get("team", ""))
    membership = Membership.objects.filter(user=request.user, team__uid=team_uid).first()
    if membership is None:
        raise Http404("Not found")
    request.session[SESSION_TEAM_KEY] = membership.team_id
    return redirect("research:dashboard")


def _page(request, form=None, status=200):
    members = (
        Membership.objects.filter(team=request.team)
        .select_related("user")
        .order_by("user__username")
    )
    context = {"members": members, "form": form or MemberInviteForm(), "roles": Role.choices}
    return render(request, "research/team_members.html", context, status=status)


@member_required
def team_members(request):
    return _page(request)


@owner_required
@require_POST
def member_add(request):
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        try:
            membership = services.member_invite(team=request.team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{membership.user.username} joined the team.")
            return redirect("research:team_members")
    return _page(request, form, status=400)


@owner_required
@require_POST
def member_role(request, uid):
    membership = team_object(request, Membership, uid=uid)
    try:
        services.member_set_role(membership=membership, role=request.POST.get("role", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, f"{membership.user.username} is now {membership.get_role_display()}.")
    return redirect("research:team_members")


@owner_required
@require_POST
def member_remove(request, uid):
    """Asks first: only a post that says `confirmed` removes the member."""
    membership = team_object(request, Membership.objects.select_related("user"), uid=uid)
    if request.POST.get("confirmed") != "yes":
        return render(request, "research/member_remove.html", {"member": membership})
    try:
        services.member_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, f"{membership.user.username} left the team.")
    return redirect("research:team_members")


@owner_required
@require_http_methods(["GET", "POST"])
def member_password(request, uid):
    """An owner sets a one-time password for a member who forgot theirs (shown once here)."""
    membership = team_object(request, Membership.objects.select_related("user", "team"), uid=uid)
    context = {"member": membership, "password": None, "error": None}
    if request.method == "POST":
        try:
            context["password"] = services.member_password_reset(
                membership=membership, by=request.user, request=request
            )
        except ValidationError as error:
            context["error"] = " ".join(error.messages)
            return render(request, "research/member_password.html", context, status=400)
    return render(request, "research/member_password.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    """Choose your own password (required after an owner set a one-time one)."""
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        services.member_password_changed(user=user)
        messages.success(request, "Your new password is set.")
        return redirect("research:dashboard")
    required = any(m.must_change_password for m in request.memberships)
    context = {"form": form, "required": required}
    return render(
        request, "research/password_change.html", context, status=400 if form.errors else 200
    )
