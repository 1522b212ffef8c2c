"""Privacy: erasing a person, anonymising a withdrawn participant, retention, redaction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research.access import editor_required, member_required, owner_required, team_object
from research.forms.base import add_service_errors
from research.forms.privacy import ErasureForm, RetentionPolicyForm
from research.models import Consent, Conversation, Person, RetentionRun
from research.privacy import erasure, withdrawal
from research.privacy import retention as retention_rules


@owner_required
@require_http_methods(["GET", "POST"])
def person_erase(request, uid):
    """The preview of exactly what goes, and (POST, the name typed) the erasure itself."""
    person = team_object(request, Person.objects.select_related("organization"), uid=uid)
    form = ErasureForm(request.POST or None, name=person.name)
    if request.method == "POST" and form.is_valid():
        tombstone = erasure.person_erase(person=person, request=request)
        counts = tombstone.counts
        messages.success(
            request,
            f"Erased: {counts['recordings_deleted']} recordings deleted, "
            f"{counts['recordings_silenced']} silenced, {counts['lines']} lines and "
            f"{counts['highlights']} highlights removed.",
        )
        return redirect("research:person_list")
    context = {"person": person, "plan": erasure.erasure_preview(person=person), "form": form}
    status = 400 if form.errors else 200
    return render(request, "research/privacy_erasure.html", context, status=status)


@editor_required
@require_POST
def participant_anonymise(request, uid, person_uid):
    """Keep a withdrawn participant's conversation as "Participant N", their voice silenced."""
    consent = team_object(
        request,
        Consent.objects.select_related("conversation", "person"),
        conversation__uid=uid,
        person__uid=person_uid,
    )
    if consent.withdrawn_at is None:
        messages.error(request, "Only a participant who withdrew consent can be anonymised.")
        return redirect(consent.conversation.get_absolute_url() + "#consent", permanent=False)
    conversation: Conversation = consent.conversation
    changed = withdrawal.participant_anonymise(
        conversation=conversation, person=consent.person, request=request
    )
    messages.success(request, f"Transcript kept anonymised ({changed} lines).")
    return redirect(conversation.get_absolute_url())


@member_required
@require_http_methods(["GET", "POST"])
def retention(request):
    """The team's retention rules, what the next run would delete, and the last runs."""
    form = RetentionPolicyForm(request.POST or None, team=request.team)
    if request.method == "POST":
        if request.membership.role != "owner":
            raise PermissionDenied("Only team owners can change retention rules.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                retention_rules.policy_set(
                    team=request.team, project=data["project"], action=data["action"],
                    days=data["days"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Retention rule saved.")
                return redirect("research:retention")
    default, by_project = retention_rules.policies(team=request.team)
    context = {
        "form": form,
        "default": default,
        "project_rules": sorted(by_project.values(), key=lambda p: p.project.name),
        "plan": retention_rules.retention_preview(team=request.team),
        "runs": RetentionRun.objects.filter(team=request.team)[:10],
    }
    status = 400 if form.errors else 200
    return render(request, "research/privacy_retention.html", context, status=status)


@editor_required
@require_POST
def conversation_protect(request, uid):
    """Protect a conversation from retention, or lift the protection (`protected` = on/off)."""
    conversation = team_object(request, Conversation, uid=uid)
    value = request.POST.get("protected", "")
    if value not in ("on", "off"):
        messages.error(request, "Say whether to protect the conversation (on or off).")
        return render(
            request,
            "research/recording_error.html",
            {"conversation": conversation, "message": "Choose on or off."},
            status=400,
        )
    retention_rules.conversation_protect(conversation=conversation, protected=value == "on")
    state = "protected from" if value == "on" else "no longer protected from"
    messages.success(request, f"The conversation is {state} retention.")
    return redirect(conversation.get_absolute_url())
