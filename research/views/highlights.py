from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from research import selectors_transcripts
from research.access import editor_required, team_object
from research.forms_evidence import HighlightEditForm, HighlightForm
from research.models import Conversation, Highlight
from research.services import highlights as services


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


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
            add_errors(form, error)
        else:
            messages.success(request, "Highlight saved.")
            return redirect(highlight.get_absolute_url())
    context = {
        "conversation": conversation,
        "form": form,
        "transcripts": selectors_transcripts.transcript_lines(conversation=conversation),
    }
    status = 400 if form.errors else 200
    return render(request, "research/highlight_form.html", context, status=status)


@editor_required
@require_http_methods(["GET", "POST"])
def highlight_edit(request, uid):
    highlight = team_object(request, Highlight.objects.select_related("conversation"), uid=uid)
    form = HighlightEditForm(request.POST or None, highlight=highlight)
    if request.method == "POST" and form.is_valid():
        try:
            services.highlight_update(highlight=highlight, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
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
