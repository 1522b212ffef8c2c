"""Capture: upload, browser recording in chunks, progress, audio playback."""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
    UnreadablePostError,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from research import audio
from research.access import editor_required, member_required, team_object
from research.audio import chunks as audio_chunks
from research.audio import store as audio_store
from research.audio.uploads import DiskUploadHandler
from research.forms.recordings import OverCapChoice, OverCapForm
from research.models import AuditKind, Conversation, JobStatus, Recording
from research.privacy import masking
from research.selectors.recordings import recording_latest_job
from research.services import recordings as services
from research.services.audit import audit_record
from research.services.consent import consent_missing
from research.transcription.model import extra_models

from .errors import TITLES
from .responses import json_error, wants_json

MIME_BY_CONTAINER = {
    "mp3": "audio/mpeg",
    "mov": "audio/mp4",
    "matroska": "audio/webm",
    "ogg": "audio/ogg",
    "wav": "audio/wav",
    "flac": "audio/flac",
}
DOWNLOAD_EXTENSIONS = {
    "mp3": ".mp3",
    "mov": ".m4a",
    "matroska": ".webm",
    "ogg": ".ogg",
    "wav": ".wav",
    "flac": ".flac",
}
RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")  # one range; anything else gets the whole file


def refuse(request, conversation, message: str, status: int, consent_url: str = ""):
    if wants_json(request):
        extra = {"consent_url": consent_url} if consent_url else {}
        return json_error(message, status, **extra)
    context = {
        "conversation": conversation,
        "message": message,
        "status": status,
        "consent_url": consent_url,
        "title": f"The recording was not saved: {TITLES.get(status, 'error').lower()}",
    }
    return render(request, "research/recording_error.html", context, status=status)


def refuse_for_consent(request, missing):
    """Recording without every participant's recording consent: 403, saying who is missing."""
    return refuse(request, missing.conversation, missing.message, 403, missing.consent_url)


@csrf_exempt
@require_POST
@editor_required
def recording_upload(request, uid):
    """Multipart upload of one or more files (field ``audio``), streamed to disk.

    CSRF is checked by the inner view: the upload handler must be in place
    before anything reads the body, and the CSRF check reads it.
    """
    conversation = team_object(request, Conversation, uid=uid)
    missing = consent_missing(conversation=conversation, scope="may_record")
    if missing:
        return refuse_for_consent(request, missing)
    limit = audio_store.max_bytes()
    declared = int(request.META.get("CONTENT_LENGTH") or 0)
    if declared > limit + 1024 * 1024:
        message = f"The upload is larger than the limit of {audio.human_bytes(limit)}."
        return refuse(request, conversation, message, 413)
    handler = DiskUploadHandler(request, limit=limit)
    request.upload_handlers = [handler]
    try:
        response = _recording_upload(request, conversation, handler)
    except BaseException:
        handler.cleanup()
        raise
    if response.status_code >= 400:
        handler.cleanup()
    return response


@csrf_protect
def _recording_upload(request, conversation, handler):
    files = request.FILES.getlist("audio")
    if handler.too_large:
        limit = audio.human_bytes(audio_store.max_bytes())
        return refuse(request, conversation, f"The file is larger than the limit of {limit}.", 413)
    split = request.POST.get("split_channels") == "on"
    try:
        recordings, refused = services.recording_attach_good_uploads(
            conversation=conversation, uploads=files, created_by=request.user, split_channels=split
        )
    except audio.AudioError as error:
        return refuse(request, conversation, error.message, error.status)
    except ValidationError as error:
        return refuse(request, conversation, " ".join(error.messages), 403)
    if wants_json(request):
        payload = [
            {"uid": str(r.uid), "name": r.original_name, "status": r.status, "error": r.error}
            for r in recordings
        ]
        not_saved = [{"name": name, "error": error.message} for name, error in refused]
        return JsonResponse({"recordings": payload, "refused": not_saved}, status=201)
    queued = [r for r in recordings if not r.awaits_choice]
    if queued:
        count = len(queued)
        messages.success(
            request, f"Saved {count} recording{'s' if count > 1 else ''}; transcription is queued."
        )
    for recording in recordings:
        if recording.awaits_choice:
            messages.warning(request, f"{recording.original_name}: {recording.error}")
    if refused:
        names = ", ".join(name for name, _ in refused)
        messages.error(request, f"Not saved: {names}. {services.refused_text(refused)}")
    return redirect(conversation.get_absolute_url() + "#recordings")


@require_POST
@editor_required
def recording_start(request, uid):
    conversation = team_object(request, Conversation, uid=uid)
    missing = consent_missing(conversation=conversation, scope="may_record")
    if missing:
        return refuse_for_consent(request, missing)
    mime = request.POST.get("mime", "")[:100]
    recording = services.recording_start(
        conversation=conversation, created_by=request.user, content_type=mime
    )
    return JsonResponse(_recording_urls(recording), status=201)


def _recording_urls(recording: Recording) -> dict:
    return {
        "uid": str(recording.uid),
        "chunk_url": reverse("research:recording_chunk", args=[recording.uid]),
        "finish_url": reverse("research:recording_finish", args=[recording.uid]),
        "conversation_url": recording.conversation.get_absolute_url(),
        "max_bytes": audio_store.max_bytes(),
        "max_seconds": audio_store.max_seconds(),
    }


@require_POST
@editor_required
def recording_chunk(request, uid):
    """Store one MediaRecorder piece (raw body) at ``?seq=N`` if it arrived whole.

    The browser declares the piece's length (X-Chunk-Length) and SHA-256 (X-Chunk-SHA256);
    a body that is short, long or different is refused with 400 and nothing is stored, so the
    browser sends it again. The answer says what the server holds.
    """
    recording = team_object(request, Recording, uid=uid)
    try:
        seq = int(request.GET.get("seq", ""))
    except ValueError:
        return json_error("Give the piece number as ?seq=N.", 400)
    if seq < 0:
        return json_error("Give the piece number as ?seq=N.", 400)
    try:
        size, sha256 = audio_chunks.declared(
            request.headers.get("X-Chunk-Length"),
            request.headers.get("X-Chunk-SHA256"),
            request.META.get("CONTENT_LENGTH"),
        )
        chunk = audio_chunks.receive(
            request, size=size, sha256=sha256, limit=services.MAX_CHUNK_BYTES
        )
        held = services.recording_chunk_store(recording=recording, seq=seq, chunk=chunk)
    except UnreadablePostError:
        return json_error("The piece did not arrive whole; send it again.", 400)
    except audio.AudioError as error:
        return json_error(error.message, error.status)
    except ValidationError as error:
        return json_error(" ".join(error.messages), 409)
    return JsonResponse(held)


@require_POST
@editor_required
def recording_finish(request, uid):
    recording = team_object(request, Recording.objects.select_related("conversation"), uid=uid)
    split = request.POST.get("split_channels") == "on"
    try:
        recording = services.recording_finish(
            recording=recording, created_by=request.user, split_channels=split
        )
    except audio.AudioError as error:
        return refuse(request, recording.conversation, error.message, error.status)
    if recording.awaits_choice:
        # Kept, too long to transcribe whole: its owner chooses on the conversation page.
        if wants_json(request):
            payload = {"error": recording.error, "uid": str(recording.uid), "status": "failed"}
            return JsonResponse(payload, status=413)
        messages.warning(request, recording.error)
        return redirect(recording.conversation.get_absolute_url() + f"#rec-{recording.uid}")
    if wants_json(request):
        return JsonResponse({"uid": str(recording.uid), "status": recording.status})
    messages.success(request, "Recording saved; transcription is queued.")
    return redirect(recording.conversation.get_absolute_url() + "#recordings")


@require_POST
@editor_required
def recording_over_cap(request, uid):
    """A recording kept for being too long: transcribe its first part, or split it."""
    recording = team_object(request, Recording.objects.select_related("conversation"), uid=uid)
    form = OverCapForm(request.POST)
    if not form.is_valid():
        message = " ".join(form.errors["choice"])
        return refuse(request, recording.conversation, message, 400)
    try:
        if form.cleaned_data["choice"] == OverCapChoice.SPLIT:
            parts = services.recording_split(recording=recording, created_by=request.user)
            done = f"Split into {len(parts)} recordings; each is queued for transcription."
        else:
            services.recording_transcribe_first_part(recording=recording, created_by=request.user)
            cap = audio.human_seconds(audio_store.max_seconds())
            done = f"Transcription of the first {cap} is queued; the whole audio is kept."
    except ValidationError as error:
        return refuse(request, recording.conversation, " ".join(error.messages), 409)
    except audio.AudioError as error:
        return refuse(request, recording.conversation, error.message, 422)
    messages.success(request, done)
    return redirect(recording.conversation.get_absolute_url() + "#recordings")


@require_POST
@editor_required
def recording_transcribe(request, uid):
    """Transcribe again (for example with another configured model); a new version."""
    recording = team_object(request, Recording.objects.select_related("conversation"), uid=uid)
    model = request.POST.get("model", "")
    if model and model not in extra_models():
        return refuse(request, recording.conversation, "Choose one of the offered models.", 400)
    try:
        services.recording_retranscribe(
            recording=recording,
            created_by=request.user,
            model_path=model,
            split_channels=request.POST.get("split_channels") == "on",
        )
    except ValidationError as error:
        return refuse(request, recording.conversation, " ".join(error.messages), 409)
    messages.success(request, "Transcription queued; the current transcript stays until then.")
    return redirect(recording.conversation.get_absolute_url() + "#recordings")


@require_GET
@member_required
def recording_status(request, uid):
    """The progress fragment the conversation page polls while a job is under way."""
    recording = team_object(request, Recording, uid=uid)
    job = recording_latest_job(recording=recording)
    context = {"recording": recording, "job": job}
    if job is not None and job.status == JobStatus.WAITING:
        context["transcribe_missing"] = consent_missing(
            conversation=recording.conversation, scope="may_transcribe"
        )
    return render(request, "research/_recording_status.html", context)


@require_http_methods(["GET", "HEAD"])
@member_required
def recording_audio(request, uid):
    """The audio, for team members only, honouring a single HTTP Range.

    A range form it does not support (several ranges, another unit) gets the whole file
    (200), as HTTP allows; HEAD gets the headers alone. ``?download=1`` serves the original
    as an attachment, and a whole download (not a range continuation) goes into the audit
    trail. Withdrawn or redacted words are silenced in what plays and in what downloads.
    """
    recording = team_object(request, Recording.objects.select_related("conversation"), uid=uid)
    if not audio_store.masked_path(recording).is_file() and masking.hidden_ranges(recording):
        # Withdrawn or redacted words must not be heard, even before the copy was made.
        masking.mask_recording(recording)
    download = request.GET.get("download") == "1"
    masked = audio_store.masked_path(recording).is_file()
    path = (
        audio_store.path_of(recording)
        if download and not masked
        else audio_store.playback_file(recording)
    )
    if not recording.stored_name or not path.is_file():
        raise Http404("No audio")
    size = path.stat().st_size
    content_type = MIME_BY_CONTAINER.get(recording.container) or (
        recording.content_type.split(";")[0] or "application/octet-stream"
    )
    start, end, status = 0, size - 1, 200
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if match and any(match.groups()):
        first, last = match.groups()
        if first:
            start, end = int(first), min(int(last), size - 1) if last else size - 1
        else:
            start, end = max(0, size - int(last)), size - 1
        if start >= size or start > end:
            return _unsatisfiable(size)
        status = 206
    if request.method == "HEAD":
        response = HttpResponse(status=status, content_type=content_type)
    else:
        response = StreamingHttpResponse(
            _read_range(path, start, end), status=status, content_type=content_type
        )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = content_disposition_header(
        download, _download_name(recording)
    )
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if download and start == 0 and request.method == "GET":
        audit_record(
            kind=AuditKind.AUDIO_DOWNLOAD,
            summary=f"Downloaded the audio of {recording.conversation.title}"[:300],
            team=recording.team,
            target=recording.uid,
            request=request,
        )
    return response


def _download_name(recording: Recording) -> str:
    name = recording.original_name or f"recording-{recording.uid}"
    extension = DOWNLOAD_EXTENSIONS.get(recording.container, "")
    if extension and not name.lower().endswith(extension):
        name += extension
    return name


def _unsatisfiable(size: int) -> HttpResponse:
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response


def _read_range(path, start: int, end: int):
    with path.open("rb") as fh:
        fh.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            piece = fh.read(min(audio_store.PIECE, remaining))
            if not piece:
                return
            remaining -= len(piece)
            yield piece
