"""Forms for highlights, themes, insights and features (evidence work)."""

import uuid

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import URLValidator

from research.forms import TagsField, TeamForm
from research.models import (
    Conversation,
    Feature,
    Highlight,
    Insight,
    Stance,
    Team,
    TeamTag,
    Transcript,
    Weight,
)


class HighlightForm(forms.Form):
    """A quote picked from the transcript (with transcript and times) or from the notes."""

    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "data-quote": "1"}),
        max_length=5000,
        required=False,  # the service explains what an empty quote means
        help_text="Select words in the transcript or the notes, or type them.",
    )
    transcript = forms.CharField(required=False, widget=forms.HiddenInput)
    start = forms.FloatField(required=False, label="From (seconds)", min_value=0)
    end = forms.FloatField(required=False, label="To (seconds)", min_value=0)
    comment = forms.CharField(max_length=500, required=False)
    tags = TagsField()

    def __init__(self, *args, team: Team, **kwargs):
        self.team = team
        super().__init__(*args, **kwargs)

    def clean_transcript(self) -> Transcript | None:
        raw = self.cleaned_data["transcript"].strip()
        if not raw:
            return None
        try:
            return Transcript.objects.select_related("recording").get(
                team=self.team, uid=uuid.UUID(raw)
            )
        except (ValueError, Transcript.DoesNotExist):
            raise forms.ValidationError("That transcript is not part of your team.") from None


class HighlightEditForm(forms.Form):
    """Words, comment and tags; a highlight's place in the conversation never moves."""

    quote = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    comment = forms.CharField(max_length=500, required=False)
    tags = TagsField()

    def __init__(self, *args, highlight: Highlight, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "quote": highlight.quote,
                "comment": highlight.comment,
                "tags": ", ".join(t.name for t in highlight.tags.all()),
            },
        )
        super().__init__(*args, **kwargs)


class InsightForm(TeamForm):
    tags = TagsField()

    class Meta:
        model = Insight
        fields = ["title", "details", "status"]
        widgets = {"details": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())


TRACKER_MESSAGE = "Enter a web link that starts with http:// or https://."


class FeatureForm(TeamForm):
    class Meta:
        model = Feature
        fields = ["name", "description", "status", "owner", "tracker_url"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "tracker_url": forms.URLInput(attrs={"placeholder": "https://tracker.example.com/…"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(memberships__team=self.team).order_by("username")
        )
        tracker = self.fields["tracker_url"]
        tracker.label = "Tracker link"
        # The form's URLField also takes ftp:// links; say plainly what a tracker link must be.
        tracker.validators = [URLValidator(schemes=["http", "https"], message=TRACKER_MESSAGE)]
        tracker.error_messages["invalid"] = TRACKER_MESSAGE


class LinkFeatureForm(forms.Form):
    feature = forms.ModelChoiceField(queryset=Feature.objects.none(), to_field_name="uid")
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.VALIDATES)
    weight = forms.ChoiceField(choices=Weight.choices, initial=Weight.IMPORTANT)
    note = forms.CharField(max_length=300, required=False, label="One-line note")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feature"].queryset = Feature.objects.filter(team=team).order_by("name")


class EvidenceForm(forms.Form):
    """Highlights (backing the insight or speaking against it) or whole conversations to attach."""

    highlights = forms.ModelMultipleChoiceField(
        queryset=Highlight.objects.none(), to_field_name="uid", required=False
    )
    conversations = forms.ModelMultipleChoiceField(
        queryset=Conversation.objects.none(), to_field_name="uid", required=False
    )
    side = forms.ChoiceField(
        choices=[("backs", "Backs it"), ("contradicts", "Speaks against it")],
        initial="backs",
        required=False,
    )

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highlights"].queryset = Highlight.objects.filter(team=team)
        self.fields["conversations"].queryset = Conversation.objects.filter(team=team)

    def clean(self):
        data = super().clean()
        if not data.get("highlights") and not data.get("conversations"):
            raise forms.ValidationError("Choose highlights or a conversation of your team.")
        return data


class NewInsightForm(InsightForm):
    """An insight made from highlights picked on the board or a conversation."""

    highlights = forms.ModelMultipleChoiceField(
        queryset=Highlight.objects.none(),
        to_field_name="uid",
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["highlights"].queryset = Highlight.objects.filter(team=self.team)


class TagForm(forms.ModelForm):
    class Meta:
        model = TeamTag
        fields = ["name", "description", "color"]
        widgets = {"color": forms.TextInput(attrs={"placeholder": "#3366cc", "maxlength": 7})}

    def __init__(self, *args, **kwargs):
        kwargs.pop("team", None)
        super().__init__(*args, **kwargs)
        self.fields["color"].required = False

    def validate_unique(self):
        # tag_update explains a clash (and suggests merging); no generic uniqueness message.
        pass


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=TeamTag.objects.none(), to_field_name="slug", label="Merge into"
    )

    def __init__(self, *args, tag: TeamTag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = TeamTag.objects.filter(team_id=tag.team_id).exclude(
            pk=tag.pk
        )
