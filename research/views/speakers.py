"""A transcript's speakers: thin views over the speaker services (rename, map, merge, move
lines, detect again, confirm a voice match), a person's voice profile, the team's thresholds."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from research import tasks
from research.access import editor_required, owner_required, team_object
from research.forms.base import add_service_errors
from research.forms.speakers import (
    LinesMoveForm,
    SpeakerMapForm,
    SpeakerMergeForm,
    SpeakerRenameForm,
    SpeakersDetectForm,
    VoiceConfirmForm,
    VoiceSettingsForm,
)
from research.models import Person, Speaker, Transcript
from research.services import speakers as services
from research.services.voice_profiles import voice_profile_delete

SPEAKERS = Speaker.objects.select_related("transcript__recording__conversation", "person")
TRANSCRIPTS = Transcript.objects.select_related("recording__conversation")


def _back(transcript: Transcript):
    conversation = transcript.recording.conversation
    url = conversation.get_absolute_url() + f"?t={transcript.uid}#rec-{transcript.recording.uid}"
    return redirect(url)


def _refused(request, form, transcript: Transcript):
    """Nothing was saved: the errors, and the way back, with a 400."""
    context = {"form": form, "conversation": transcript.recording.conversation}
    return render(request, "research/speaker_error.html", context, status=400)


def _act(request, form, transcript: Transcript, action, done: str):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return _back(transcript)
    return _refused(request, form, transcript)


@require_POST
@editor_required
def speaker_rename(request, uid):
    speaker = team_object(request, SPEAKERS, uid=uid)
    form = SpeakerRenameForm(request.POST)
    return _act(
        request,
        form,
        speaker.transcript,
        lambda d: services.speaker_rename(speaker=speaker, name=d["name"]),
        "Speaker renamed on all its lines.",
    )


@require_POST
@editor_required
def speaker_map(request, uid):
    speaker = team_object(request, SPEAKERS, uid=uid)
    form = SpeakerMapForm(request.POST, speaker=speaker)
    return _act(
        request,
        form,
        speaker.transcript,
        lambda d: services.speaker_map(
            speaker=speaker, person=d["person"], is_interviewer=d["is_interviewer"]
        ),
        "Speaker mapped.",
    )


@require_POST
@editor_required
def speaker_merge(request, uid):
    speaker = team_object(request, SPEAKERS, uid=uid)
    form = SpeakerMergeForm(request.POST, speaker=speaker)
    return _act(
        request,
        form,
        speaker.transcript,
        lambda d: services.speaker_merge(speaker=speaker, into=d["into"]),
        f"{speaker.name} merged.",
    )


@require_POST
@editor_required
def speaker_voice_confirm(request, uid):
    speaker = team_object(request, SPEAKERS, uid=uid)
    form = VoiceConfirmForm(request.POST, team=request.team)
    return _act(
        request,
        form,
        speaker.transcript,
        lambda d: services.speaker_voice_confirm(speaker=speaker, person=d["person"]),
        "Speaker mapped from their voice profile.",
    )


@require_POST
@editor_required
def lines_move(request, uid):
    transcript = team_object(request, TRANSCRIPTS, uid=uid)
    form = LinesMoveForm(request.POST, transcript=transcript)
    return _act(
        request,
        form,
        transcript,
        lambda d: services.segments_move(
            transcript=transcript, indexes=d["lines"], speaker=d["speaker"], through=d["through"]
        ),
        "Lines moved.",
    )


def _redetect(transcript: Transcript, num_speakers: int) -> None:
    services.speakers_redetect(transcript=transcript, num_speakers=num_speakers)
    tasks.speakers_detect_enqueue(transcript=transcript, num_speakers=num_speakers)


@require_POST
@editor_required
def speakers_detect(request, uid):
    transcript = team_object(request, TRANSCRIPTS, uid=uid)
    form = SpeakersDetectForm(request.POST)
    return _act(
        request,
        form,
        transcript,
        lambda d: _redetect(transcript, d["num_speakers"]),
        "Speaker detection will run again.",
    )


@require_POST
@editor_required
def voice_profile_delete_view(request, uid):
    person = team_object(request, Person, uid=uid)
    if voice_profile_delete(person=person, reason="deleted by an editor", request=request):
        messages.success(request, f"Voice profile of {person.name} deleted.")
    else:
        messages.info(request, f"{person.name} has no voice profile.")
    return redirect(person.get_absolute_url())


@require_POST
@owner_required
def voice_settings(request):
    form = VoiceSettingsForm(request.POST, instance=request.team)
    if form.is_valid():
        form.save()
        messages.success(request, "Voice matching saved.")
        return redirect("research:team_members")
    context = {"form": form, "conversation": None}
    return render(request, "research/speaker_error.html", context, status=400)
