"""Editing transcripts (a line, the speakers) and exporting them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from research.access import editor_required, member_required, team_object
from research.exports import transcripts as export
from research.ids import uuid_or_none
from research.models import Recording, Segment, Transcript
from research.services import transcripts as services
from research.services.consent import for_outside

from .responses import json_error, wants_json


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
        if wants_json(request):
            return json_error(message, 400)
        messages.error(request, message)
    else:
        if wants_json(request):
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
            person = conversation.participants.filter(uid=uuid_or_none(person_uid)).first()
            if person is None:
                # The page only offers participants: anything else is a forged or stale post.
                message = "Map speakers only to participants of this conversation."
                if wants_json(request):
                    return json_error(message, 400)
                return HttpResponse(message, status=400, content_type="text/plain")
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
    segments = transcript.segments.consented().select_related("person").order_by("index")
    segments, left_out = for_outside(rows=segments)
    body = export.render(fmt, segments, left_out=left_out)
    response = HttpResponse(body, content_type=export.FORMATS[fmt])
    recording = transcript.recording
    namesakes = Recording.objects.filter(
        team=request.team,
        conversation_id=recording.conversation_id,
        original_name=recording.original_name,
    ).exclude(pk=recording.pk)
    name = export.file_name(
        conversation=recording.conversation.title,
        recording=recording.original_name,
        version=transcript.version,
        fmt=fmt,
        tell_apart=str(recording.uid)[:8]
        if namesakes.exists() or not recording.original_name
        else "",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
