"""Forms for a transcript's speakers: rename, map, merge, move lines, detect again, confirm a
voice match, and the team's voice-matching thresholds."""

from django import forms
from django.core.exceptions import ValidationError

from research.models import Person, Speaker, Team, Transcript
from research.services.speakers import MAX_LINES_MOVED, MAX_SPEAKERS


class PublicIdChoiceField(forms.ModelChoiceField):
    """A choice by UUID; anything that is not one of the choices (a malformed id too) gets the
    field's invalid-choice message."""

    def __init__(self, *, invalid: str = "", **kwargs):
        super().__init__(queryset=kwargs.pop("queryset", Person.objects.none()), **kwargs)
        self.to_field_name = "uid"
        if invalid:
            self.error_messages["invalid_choice"] = invalid

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                raise
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SpeakerRenameForm(forms.Form):
    name = forms.CharField(max_length=100, strip=True)


class SpeakerMapForm(forms.Form):
    person = PublicIdChoiceField(
        required=False, invalid="Map speakers only to participants of this conversation."
    )
    is_interviewer = forms.BooleanField(required=False, label="One of us (interviewer)")

    def __init__(self, *args, speaker: Speaker, **kwargs):
        super().__init__(*args, **kwargs)
        conversation = speaker.transcript.recording.conversation
        self.fields["person"].queryset = conversation.participants.all()


class SpeakerMergeForm(forms.Form):
    into = PublicIdChoiceField(invalid="Choose another speaker of this transcript.")

    def __init__(self, *args, speaker: Speaker, **kwargs):
        super().__init__(*args, **kwargs)
        others = Speaker.objects.filter(transcript_id=speaker.transcript_id).exclude(pk=speaker.pk)
        self.fields["into"].queryset = others


class LineIndexesField(forms.Field):
    """Line numbers (a transcript's segment indexes) from ticked checkboxes."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        if len(values) > MAX_LINES_MOVED:
            raise ValidationError(f"Move at most {MAX_LINES_MOVED} lines at once.")
        try:
            indexes = [int(v) for v in values]
        except (TypeError, ValueError):
            raise ValidationError("Lines are given by their numbers.") from None
        if any(i < 0 for i in indexes):
            raise ValidationError("Lines are given by their numbers.")
        return indexes


class LinesMoveForm(forms.Form):
    lines = LineIndexesField(error_messages={"required": "Tick the lines to move."})
    through = forms.BooleanField(required=False, label="and every line between")
    speaker = PublicIdChoiceField(invalid="Choose a speaker of this transcript.")

    def __init__(self, *args, transcript: Transcript, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = Speaker.objects.filter(transcript=transcript)


class SpeakersDetectForm(forms.Form):
    num_speakers = forms.IntegerField(
        min_value=1, max_value=MAX_SPEAKERS, label="Number of speakers"
    )


class VoiceConfirmForm(forms.Form):
    person = PublicIdChoiceField(invalid="Choose a person of your team.")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(team=team)


class VoiceSettingsForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["voice_match_threshold", "voice_auto_apply"]
        labels = {
            "voice_match_threshold": "Suggest a person from similarity",
            "voice_auto_apply": "Map without asking from similarity",
        }

    def clean(self):
        data = super().clean()
        match, auto = data.get("voice_match_threshold"), data.get("voice_auto_apply")
        if match is not None and auto is not None and auto < match:
            self.add_error(
                "voice_auto_apply",
                "Mapping without asking needs at least the similarity that suggests.",
            )
        return data
