from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from research import selectors
from research.access import editor_required, member_required, team_object
from research.forms import ConsentForm, ConversationForm, add_service_errors
from research.models import Consent, Conversation, ConversationKind, Person, Project
from research.services import conversations as services

from .crud import ObjectSpec

CONVERSATION = ObjectSpec(
    Conversation,
    ConversationForm,
    services.conversation_create,
    services.conversation_update,
    services.conversation_delete,
    reverse_lazy("research:conversation_list"),
    passes_creator=True,
)


@member_required
def conversation_list(request):
    filters = selectors.ConversationFilters.from_query(request.GET)
    conversations = selectors.conversation_list(team=request.team, filters=filters)
    page = Paginator(conversations, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "kinds": ConversationKind.choices,
        "projects": Project.objects.filter(team=request.team).only("name", "slug"),
        "tags": selectors.team_tags(team=request.team),
        "people": Person.objects.filter(team=request.team).only("name", "uid"),
    }
    return render(request, "research/conversation_list.html", context)


@member_required
def conversation_detail(request, uid):
    try:
        conversation = selectors.conversation_detail(team=request.team, uid=uid)
    except Conversation.DoesNotExist:
        raise Http404("Not found") from None
    context = {
        "conversation": conversation,
        "consent_form": ConsentForm(conversation=conversation),
        "consented_ids": {c.person_id for c in conversation.consents.all()},
    }
    return render(request, "research/conversation_detail.html", context)


@editor_required
@require_POST
def consent_record(request, uid):
    conversation = team_object(request, Conversation, uid=uid)
    form = ConsentForm(request.POST, conversation=conversation)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            services.consent_record(conversation=conversation, person=person, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Consent of {person} recorded.")
            return redirect(conversation.get_absolute_url() + "#consent")
    detail = selectors.conversation_detail(team=request.team, uid=uid)
    context = {
        "conversation": detail,
        "consent_form": form,
        "consented_ids": {c.person_id for c in detail.consents.all()},
    }
    return render(request, "research/conversation_detail.html", context, status=400)


@editor_required
@require_POST
def consent_withdraw(request, uid, consent_uid):
    consent = team_object(
        request,
        Consent.objects.select_related("conversation"),
        uid=consent_uid,
        conversation__uid=uid,
    )
    services.consent_withdraw(consent=consent)
    messages.success(request, f"Consent of {consent.person} marked as withdrawn.")
    return redirect(consent.conversation.get_absolute_url() + "#consent")
