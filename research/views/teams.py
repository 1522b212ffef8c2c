"""The team: first-run setup, the home page, switching teams, members and invitations, team
settings and the audit trail."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from research.access import member_required, owner_required, team_object
from research.forms.audit import AuditFilterForm
from research.forms.base import add_service_errors
from research.forms.teams import (
    FirstAdminForm,
    InvitationForm,
    InviteeAccountForm,
    OwnPasswordForm,
    TeamSettingsForm,
)
from research.ids import uuid_or_none
from research.middleware import SESSION_TEAM_KEY
from research.models import Invitation, Membership, Role
from research.selectors.audit import audit_page
from research.selectors.teams import dashboard as dashboard_data
from research.selectors.teams import open_invitations
from research.services import invitations
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


INVITATION_LINK_KEY = "fieldnotes_invitation_link"


def _page(request, form=None, status=200, settings_form=None):
    members = (
        Membership.objects.filter(team=request.team)
        .select_related("user")
        .order_by("user__username")
    )
    context = {"members": members, "roles": Role.choices}
    if request.membership.role == Role.OWNER:
        context.update(
            form=form or InvitationForm(),
            settings_form=settings_form
            or TeamSettingsForm(initial={"require_owner_mfa": request.team.require_owner_mfa}),
            invitations=open_invitations(team=request.team),
            # The link of the invitation just made, shown once.
            new_link=request.session.pop(INVITATION_LINK_KEY, None),
            invitation_days=settings.FIELDNOTES_INVITATION_DAYS,
        )
    return render(request, "research/team_members.html", context, status=status)


@member_required
def team_members(request):
    return _page(request)


@owner_required
@require_POST
def invitation_create(request):
    """The same answer whether or not an account with that address exists: a link to send."""
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            invitation, link = invitations.invitation_create(
                team=request.team,
                invited_by=request.user,
                link_for=lambda token: request.build_absolute_uri(
                    reverse("research:invitation", args=[token])
                ),
                request=request,
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session[INVITATION_LINK_KEY] = {"email": invitation.email, "url": link}
            messages.success(
                request, f"Invitation for {invitation.email} made: send them the link."
            )
            return redirect("research:team_members")
    return _page(request, form, status=400)


@owner_required
@require_POST
def invitation_revoke(request, uid):
    invitation = team_object(request, Invitation, uid=uid)
    try:
        invitations.invitation_revoke(invitation=invitation, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, f"Invitation for {invitation.email} withdrawn.")
    return redirect("research:team_members")


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    """The invitee's page: accept (signed in), or sign in / create an account first."""
    try:
        found = invitations.invitation_from_token(token)
    except invitations.InvitationInvalid as error:
        status = 410 if error.gone else 404
        return render(request, "research/invitation.html", {"error": str(error)}, status=status)
    account_form = None
    status = 200
    if request.method == "POST" and request.user.is_authenticated:
        try:
            invitations.invitation_accept(invitation=found, user=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            return _joined(request, found)
    elif request.method == "POST":
        account_form = InviteeAccountForm(request.POST)
        if account_form.is_valid():
            try:
                user = invitations.account_create_for_invitation(
                    invitation=found, request=request, **account_form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(account_form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return _joined(request, found)
        status = 400
    context = {
        "invitation": found,
        "account_form": account_form or InviteeAccountForm(initial={"email": found.email}),
        "sign_in_url": f"{reverse('login')}?{urlencode({'next': request.path})}",
    }
    return render(request, "research/invitation.html", context, status=status)


def _joined(request, invitation):
    request.session[SESSION_TEAM_KEY] = invitation.team_id
    messages.success(request, f"Welcome to “{invitation.team.name}”.")
    return redirect("research:dashboard")


@owner_required
@require_POST
def team_settings(request):
    form = TeamSettingsForm(request.POST)
    if not form.is_valid():
        return _page(request, settings_form=form, status=400)
    services.team_settings_update(
        team=request.team, actor=request.user, request=request, **form.cleaned_data
    )
    messages.success(request, "Team settings saved.")
    return redirect("research:team_members")


@owner_required
@require_POST
def member_role(request, uid):
    membership = team_object(request, Membership, uid=uid)
    try:
        services.member_set_role(
            membership=membership,
            role=request.POST.get("role", ""),
            actor=request.user,
            request=request,
        )
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
        services.member_remove(membership=membership, actor=request.user, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, f"{membership.user.username} left the team.")
    return redirect("research:team_members")


@owner_required
@require_GET
def audit_trail(request):
    """Owners read who signed in, failed to, changed roles, members or two-factor sign-in, and
    what the other parts of the app record (exports, downloads, erasures, consent)."""
    form = AuditFilterForm(request.GET or None, team=request.team)
    if request.GET and not form.is_valid():
        context = {"form": form, "page": None}
        return render(request, "research/team_audit.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    membership = data.get("person")
    page = audit_page(
        team=request.team,
        user=membership.user if membership else None,
        kind=data.get("kind", ""),
        number=request.GET.get("page", 1),
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "research/team_audit.html", context)


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
