"""Highlights: made from a selection in a transcript or the notes, edited, deleted."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research.access import editor_required, team_object
from research.forms.base import add_service_errors
from research.forms.highlights import HighlightEditForm, HighlightForm
from research.models import Conversation, Highlight
from research.selectors.recordings import recording_views
from research.services import highlights as services


@editor_required
@require_http_methods(["GET", "POST"])
def highlight_create(request, uid):
    """The highlight page: pick words in the transcript or notes; errors come back here (400)."""
    conversation = team_object(request, Conversation.objects.select_related("project"), uid=uid)
    form = HighlightForm(request.POST or None, team=request.team, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        try:
            highlight = services.highlight_create(
                conversation=conversation, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Highlight saved.")
            return redirect(highlight.get_absolute_url())
    context = {
        "conversation": conversation,
        "form": form,
        "recordings": recording_views(conversation=conversation),
    }
    status = 400 if form.errors else 200
    return render(request, "research/highlight_form.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def highlight_edit(request, uid):
    highlight = team_object(
        request,
        Highlight.objects.select_related("conversation", "transcript__recording"),
        uid=uid,
    )
    form = HighlightEditForm(request.POST or None, highlight=highlight)
    if request.method == "POST" and form.is_valid():
        try:
            services.highlight_update(highlight=highlight, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Highlight saved.")
            return redirect(highlight.get_absolute_url())
    context = {"form": form, "highlight": highlight, "conversation": highlight.conversation}
    status = 400 if form.errors else 200
    return render(request, "research/highlight_edit.html", context, status=status)


@editor_required
@require_POST
def highlight_delete(request, uid):
    highlight = team_object(request, Highlight.objects.select_related("conversation"), uid=uid)
    conversation = highlight.conversation
    services.highlight_delete(highlight=highlight)
    messages.success(request, "Highlight deleted.")
    return redirect(conversation.get_absolute_url() + "#highlights")
