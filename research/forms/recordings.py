"""Recordings: what to do with one kept for being longer than the duration cap."""

from django import forms
from django.db import models


class OverCapChoice(models.TextChoices):
    FIRST_PART = "first_part", "Transcribe the first part"
    SPLIT = "split", "Split into parts"


class OverCapForm(forms.Form):
    choice = forms.ChoiceField(
        choices=OverCapChoice.choices,
        error_messages={
            "required": "Choose what to transcribe.",
            "invalid_choice": "Choose to transcribe the first part or to split the recording.",
        },
    )
