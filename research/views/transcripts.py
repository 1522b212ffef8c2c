"""Reading and editing transcripts: line edits, speakers, exports; the site-visit page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from research import transcript_export as export
from research.access import editor_required, member_required, team_object
from research.forms import TagsField, use_public_ids
from research.models import ConversationKind, Person, Project, Segment, Transcript
from research.services import conversations as conversation_services
from research.services import recordings as services


@require_POST
@editor_required
def segment_edit(request, uid):
    segment = team_object(
        request, Segment.objects.select_related("transcript__recording__conversation"), uid=uid
    )
    transcript = segment.transcript
    try:
        segment = services.segment_edit(
            segment=segment, text=request.POST.get("text", ""), user=request.user
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse({"error": message}, status=400)
        messages.error(request, message)
    else:
        if request.headers.get("Accept", "").startswith("application/json"):
            editor = segment.edited_by.get_username() if segment.edited_by else ""
            return JsonResponse({"text": segment.text, "edited_by": editor})
        messages.success(request, "Line saved.")
    return redirect(transcript.recording.conversation.get_absolute_url() + "#recordings")


@require_POST
@editor_required
def transcript_speakers(request, uid):
    """Rename speaker labels in bulk and map them to participants."""
    transcript = team_object(
        request, Transcript.objects.select_related("recording__conversation"), uid=uid
    )
    conversation = transcript.recording.conversation
    olds = request.POST.getlist("speaker")
    news = request.POST.getlist("name")
    people = request.POST.getlist("person")
    mapping = {}
    for old, new, person_uid in zip(olds, news, people, strict=False):
        person = None
        if person_uid:
            person = conversation.participants.filter(uid=person_uid).first()
            if person is None:
                messages.error(request, "Map speakers only to participants of this conversation.")
                return redirect(conversation.get_absolute_url() + "#recordings")
        mapping[old] = (new, person)
    try:
        changed = services.transcript_speakers_set(transcript=transcript, mapping=mapping)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Speakers updated on {changed} lines.")
    return redirect(conversation.get_absolute_url() + "#recordings")


@require_GET
@member_required
def transcript_export(request, uid, fmt):
    transcript = team_object(
        request, Transcript.objects.select_related("recording__conversation"), uid=uid
    )
    if fmt not in export.FORMATS:
        return HttpResponse("Unknown format", status=404, content_type="text/plain")
    segments = transcript.segments.select_related("person").order_by("index")
    body = export.render(fmt, segments)
    response = HttpResponse(body, content_type=export.FORMATS[fmt])
    name = slugify(transcript.recording.conversation.title) or "transcript"
    response["Content-Disposition"] = f'attachment; filename="{name}-v{transcript.version}.{fmt}"'
    return response


class SiteVisitForm(forms.Form):
    title = forms.CharField(max_length=200)
    project = forms.ModelChoiceField(queryset=Project.objects.none())
    who = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who",
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.CharField(max_length=200, required=False, label="Where")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    tags = TagsField()

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(team=team)
        self.fields["who"].queryset = Person.objects.filter(team=team)
        use_public_ids(self.fields["project"])
        use_public_ids(self.fields["who"])

    def before_recording(self) -> list:
        return [self[name] for name in ("title", "project", "who", "location")]

    def after_recording(self) -> list:
        return [self["notes"], self["tags"]]


@editor_required
def site_visit(request):
    """One screen for phones: who, where, record, notes, tags.

    The first save (the Record button saves first, via fetch) creates the
    conversation; later saves update it, so notes typed while recording stick.
    """
    from research.models import Conversation

    conversation = None
    if request.POST.get("conversation"):
        conversation = team_object(request, Conversation, uid=request.POST["conversation"])
    form = SiteVisitForm(request.POST or None, team=request.team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "title": data["title"],
            "project": data["project"],
            "location": data["location"],
            "notes": data["notes"],
        }
        if conversation is None:
            conversation = conversation_services.conversation_create(
                team=request.team,
                created_by=request.user,
                kind=ConversationKind.SITE_VISIT,
                participants=data["who"],
                interviewers=[request.user],
                tags=data["tags"],
                **fields,
            )
        else:
            conversation_services.conversation_update(
                conversation=conversation, participants=data["who"], tags=data["tags"], **fields
            )
        if request.headers.get("Accept", "").startswith("application/json"):
            from django.urls import reverse

            return JsonResponse(
                {
                    "conversation": str(conversation.uid),
                    "start_url": reverse("research:recording_start", args=[conversation.uid]),
                    "url": conversation.get_absolute_url(),
                }
            )
        messages.success(request, "Site visit saved.")
        return redirect(conversation.get_absolute_url())
    if request.method == "POST" and request.headers.get("Accept", "").startswith(
        "application/json"
    ):
        errors = {name: " ".join(e) for name, e in form.errors.items()}
        return JsonResponse({"error": "Check the form.", "fields": errors}, status=400)
    status = 400 if request.method == "POST" else 200
    return render(request, "research/site_visit.html", {"form": form}, status=status)
