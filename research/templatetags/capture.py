from django import template
from django.conf import settings

from research import selectors_capture
from research.views.recordings import model_choices

register = template.Library()


@register.inclusion_tag("research/_recordings_panel.html", takes_context=True)
def recordings_panel(context, conversation):
    """Recorder, upload form, players and transcripts of one conversation."""
    request = context["request"]
    return {
        "conversation": conversation,
        "views": selectors_capture.recording_views(
            conversation=conversation, transcript_uid=request.GET.get("t")
        ),
        "can_edit": context.get("can_edit"),
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "participants": list(conversation.participants.all()),
        "model_choices": model_choices(),
        "max_upload": settings.FIELDNOTES_MAX_UPLOAD_BYTES,
        "max_duration": settings.FIELDNOTES_MAX_DURATION_SECONDS,
    }
