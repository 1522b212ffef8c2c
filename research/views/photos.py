"""Photos of a conversation (a site visit's): added from the phone, shown to the team only."""

from __future__ import annotations

from django.http import FileResponse, Http404, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from research.access import editor_required, member_required, team_object
from research.forms.photos import PhotoForm
from research.models import Conversation, Photo
from research.services import photos as services

from .responses import json_error


@require_POST
@editor_required
def photo_add(request, uid):
    """One photo (field ``photo``); ``client_id`` makes a resend from the device harmless."""
    conversation = team_object(request, Conversation, uid=uid)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = {name: " ".join(e) for name, e in form.errors.items()}
        return json_error("Check the photo.", 400, fields=errors)
    upload = form.cleaned_data["photo"]
    if upload.size > services.MAX_PHOTO_BYTES:
        return json_error("The photo is larger than 25 MiB.", 413)
    try:
        photo, created = services.photo_attach(
            conversation=conversation,
            data=upload.read(),
            name=upload.name,
            client_id=form.cleaned_data["client_id"],
            keep_location=form.cleaned_data["keep_location"],
            created_by=request.user,
        )
    except services.PhotoRefused as error:
        return json_error(error.message, error.status)
    url = reverse("research:photo_image", args=[photo.uid])
    return JsonResponse({"uid": str(photo.uid), "url": url}, status=201 if created else 200)


@require_GET
@member_required
def photo_image(request, uid):
    photo = team_object(request, Photo, uid=uid)
    path = services.photo_path(photo)
    if not path.is_file():
        raise Http404("No image")
    response = FileResponse(path.open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
