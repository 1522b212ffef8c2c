from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from research.access import member_required, owner_required, team_object
from research.forms import add_service_errors
from research.models import Membership, Role
from research.services import teams as services


class MemberInviteForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(
        widget=forms.PasswordInput,
        required=False,
        help_text="Only for a new account; share it with them privately.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


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
    membership = team_object(request, Membership, uid=uid)
    try:
        services.member_remove(membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _page(request, status=400)
    messages.success(request, f"{membership.user.username} left the team.")
    return redirect("research:team_members")
