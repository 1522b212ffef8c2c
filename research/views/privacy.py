"""Privacy: erasing a person, anonymising a withdrawn participant, retention, redaction."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research.access import editor_required, owner_required, team_object
from research.forms.privacy import ErasureForm
from research.models import Consent, Conversation, Person
from research.privacy import erasure, withdrawal


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
