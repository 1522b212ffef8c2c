"""Features."""

from django import forms
from django.contrib.auth import get_user_model

from research.models import Feature
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
