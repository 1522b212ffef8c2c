"""Features."""

from django import forms
from django.contrib.auth import get_user_model

from research.models import Feature, Insight, Stance, Weight
from research.models.features import tracker_url_validator

from .base import TeamForm


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
        tracker.validators = [tracker_url_validator]
        tracker.error_messages["invalid"] = tracker_url_validator.message


class LinkInsightForm(forms.Form):
    """From a feature's page: an insight of the team that validates, contradicts or mentions it."""

    insight = forms.ModelChoiceField(queryset=Insight.objects.none(), to_field_name="uid")
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.VALIDATES)
    weight = forms.ChoiceField(choices=Weight.choices, initial=Weight.IMPORTANT)
    note = forms.CharField(max_length=300, required=False, label="One-line note")

    def __init__(self, *args, feature: Feature, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insight"].queryset = (
            Insight.objects.filter(team_id=feature.team_id)
            .exclude(feature_links__feature=feature)
            .order_by("title")
        )
