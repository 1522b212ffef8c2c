"""Conversations: the list, one conversation's page, consent, and the site-visit screen."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from research.access import editor_required, member_required, team_object
from research.forms.base import add_service_errors
from research.forms.conversations import ConsentForm, ConversationForm, SiteVisitForm
from research.forms.highlights import HighlightForm
from research.models import Consent, Conversation, ConversationKind, Person, Project
from research.selectors import conversations as selectors
from research.selectors.highlights import conversation_highlights
from research.selectors.insights import conversation_feeds, insights_to_attach
from research.selectors.photos import conversation_photos
from research.selectors.recordings import recording_views
from research.selectors.tags import team_tags
from research.selectors.transcripts import newest_lines
from research.services import conversations as services
from research.services.consent import consent_missing
from research.services.speakers import voice_profiles_suggest
from research.transcription.model import model_choices

from .crud import ObjectSpec
from .responses import json_error, wants_json

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
        "tags": team_tags(team=request.team),
        "people": Person.objects.filter(team=request.team).only("name", "uid"),
    }
    return render(request, "research/conversation_list.html", context)


def _detail_page(request, uid, consent_form=None, status=200):
    try:
        conversation = selectors.conversation_detail(team=request.team, uid=uid)
    except Conversation.DoesNotExist:
        raise Http404("Not found") from None
    can_edit = request.membership.can_edit
    recordings = recording_views(conversation=conversation, transcript_uid=request.GET.get("t"))
    for view in recordings:
        if view.transcript is not None and view.transcript.voices:
            view.suggestions = voice_profiles_suggest(transcript=view.transcript)
    context = {
        "conversation": conversation,
        "record_missing": consent_missing(conversation=conversation, scope="may_record"),
        "transcribe_missing": consent_missing(conversation=conversation, scope="may_transcribe"),
        "withdrawn": [c for c in conversation.consents.all() if c.withdrawn_at],
        "consent_form": consent_form or ConsentForm(conversation=conversation),
        "consented_ids": {c.person_id for c in conversation.consents.all()},
        "recordings": recordings,
        "participants": list(conversation.participants.all()),
        "photos": conversation_photos(conversation=conversation),
        "highlights": conversation_highlights(
            conversation=conversation, newest=newest_lines(views=recordings)
        ),
        **conversation_feeds(conversation=conversation),
        "highlight_form": HighlightForm(team=request.team) if can_edit else None,
        "team_insights": insights_to_attach(conversation=conversation) if can_edit else [],
        "focus": request.GET.get("highlight", ""),
        "model_choices": model_choices(),
        "max_upload": settings.FIELDNOTES_MAX_UPLOAD_BYTES,
        "max_duration": settings.FIELDNOTES_MAX_DURATION_SECONDS,
    }
    return render(request, "research/conversation_detail.html", context, status=status)


@member_required
def conversation_detail(request, uid):
    return _detail_page(request, uid)


@editor_required
@require_POST
def consent_record(request, uid):
    conversation = team_object(request, Conversation, uid=uid)
    form = ConsentForm(request.POST, conversation=conversation)
    if form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            services.consent_record(
                conversation=conversation, person=person, request=request, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Consent of {person} recorded.")
            return redirect(conversation.get_absolute_url() + "#consent")
    return _detail_page(request, uid, consent_form=form, status=400)


@editor_required
@require_POST
def consent_withdraw(request, uid, consent_uid):
    consent = team_object(
        request,
        Consent.objects.select_related("conversation"),
        uid=consent_uid,
        conversation__uid=uid,
    )
    services.consent_withdraw(consent=consent, request=request)
    messages.success(
        request,
        f"Consent of {consent.person} marked as withdrawn: their audio, lines and quotes are "
        "hidden. Erase them, or keep an anonymised transcript.",
    )
    return redirect(consent.conversation.get_absolute_url() + "#consent")


@editor_required
def site_visit(request):
    """One screen for phones: who, where, record, photos, notes, tags.

    visits.js keeps the visit on the device and posts it (again, as it changes) with the
    device's ``client_id``: the first post creates the conversation, later ones update it,
    so a visit logged offline and sent twice is one conversation.
    """
    conversation = None
    if request.POST.get("conversation"):
        conversation = team_object(request, Conversation, uid=request.POST["conversation"])
    data = request.POST if request.method == "POST" else None
    form = SiteVisitForm(data, team=request.team, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        conversation = services.site_visit_save(
            team=request.team, user=request.user, conversation=conversation, **fields
        )
        if wants_json(request):
            return JsonResponse(
                {
                    "conversation": str(conversation.uid),
                    "start_url": reverse("research:recording_start", args=[conversation.uid]),
                    "photos_url": reverse("research:photo_add", args=[conversation.uid]),
                    "url": conversation.get_absolute_url(),
                }
            )
        messages.success(request, "Site visit saved.")
        return redirect(conversation.get_absolute_url())
    if request.method == "POST" and wants_json(request):
        errors = {name: " ".join(e) for name, e in form.errors.items()}
        missing = [form.fields[n].label or n.title() for n in form.errors if n in form.fields]
        message = "Fill in first: " + ", ".join(str(m) for m in missing) if missing else ""
        return json_error(message or "Check the form.", 400, fields=errors)
    status = 400 if request.method == "POST" else 200
    return render(request, "research/site_visit.html", {"form": form}, status=status)
