"""Privacy: erasing a person, anonymising a withdrawn participant, retention, redaction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research.access import editor_required, member_required, owner_required, team_object
from research.forms.base import add_service_errors
from research.forms.privacy import ErasureForm, RedactionApplyForm, RetentionPolicyForm
from research.models import Consent, Conversation, Person, RetentionRun
from research.privacy import erasure, redaction, withdrawal
from research.privacy import retention as retention_rules


@owner_required
@require_http_methods(["GET", "POST"])
def person_erase(request, uid):
    """The preview of exactly what goes, and (POST, the name typed) the erasure itself."""
    person = team_object(request, Person.objects.select_related("organization"), uid=uid)
    form = ErasureForm(request.POST if request.method == "POST" else None, name=person.name)
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
        context = {
            "conversation": consent.conversation,
            "message": "Only a participant who withdrew consent can be anonymised.",
        }
        return render(request, "research/privacy_refused.html", context, status=409)
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
    form = RetentionPolicyForm(
        request.POST if request.method == "POST" else None, team=request.team
    )
    if request.method == "POST":
        if request.membership.role != "owner":
            raise PermissionDenied("Only team owners can change retention rules.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                retention_rules.policy_set(
                    team=request.team,
                    project=data["project"],
                    action=data["action"],
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
        context = {"conversation": conversation, "message": "Say protected=on or protected=off."}
        return render(request, "research/privacy_refused.html", context, status=400)
    retention_rules.conversation_protect(conversation=conversation, protected=value == "on")
    state = "protected from" if value == "on" else "no longer protected from"
    messages.success(request, f"The conversation is {state} retention.")
    return redirect(conversation.get_absolute_url())


@editor_required
@require_http_methods(["GET", "POST"])
def redaction_review(request, uid):
    """Findings in the conversation's transcripts and notes, with context; apply the chosen."""
    conversation = team_object(request, Conversation, uid=uid)
    candidates = redaction.redaction_candidates(conversation=conversation)
    form = RedactionApplyForm(
        request.POST if request.method == "POST" else None, keys=[c.key for c in candidates]
    )
    if request.method == "POST" and form.is_valid():
        try:
            redaction.redactions_apply(
                conversation=conversation, keys=form.cleaned_data["finding"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            count = len(form.cleaned_data["finding"])
            messages.success(request, f"{count} redaction{'s' if count > 1 else ''} applied.")
            return redirect("research:redaction_review", uid=conversation.uid)
    batches = redaction.redaction_batches(conversation=conversation)
    context = {
        "conversation": conversation,
        "candidates": candidates,
        "form": form,
        "batches": batches,
        "is_owner": request.membership.role == "owner",
    }
    status = 400 if form.errors else 200
    return render(request, "research/privacy_redaction.html", context, status=status)


@owner_required
@require_POST
def redaction_undo(request, uid, batch):
    conversation = team_object(request, Conversation, uid=uid)
    try:
        restored = redaction.redactions_undo(
            conversation=conversation, batch=batch, request=request
        )
    except ValidationError as error:
        context = {"conversation": conversation, "message": " ".join(error.messages)}
        status = 404 if "no such" in context["message"] else 409
        return render(request, "research/privacy_refused.html", context, status=status)
    messages.success(request, f"Redaction undone ({restored} texts restored).")
    return redirect("research:redaction_review", uid=conversation.uid)
