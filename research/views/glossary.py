"""The team glossary page: terms Whisper listens for. Members read it; editors change it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from research.access import editor_required, member_required, team_object
from research.forms.base import add_service_errors
from research.forms.glossary import GlossaryTermForm
from research.models import GlossaryTerm
from research.selectors.glossary import glossary_terms
from research.services import glossary as services


def _page(request, form=None, status=200):
    context = {"terms": glossary_terms(team=request.team), "form": form or GlossaryTermForm()}
    return render(request, "research/glossary_list.html", context, status=status)


@member_required
def glossary_list(request):
    return _page(request)


@editor_required
@require_POST
def glossary_add(request):
    form = GlossaryTermForm(request.POST)
    if form.is_valid():
        try:
            entry = services.glossary_term_add(team=request.team, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"“{entry.term}” is in the glossary.")
            return redirect("research:glossary_list")
    return _page(request, form, status=400)


@editor_required
@require_POST
def glossary_delete(request, uid):
    entry = team_object(request, GlossaryTerm, uid=uid)
    services.glossary_term_delete(entry=entry)
    messages.success(request, f"“{entry.term}” left the glossary.")
    return redirect("research:glossary_list")
