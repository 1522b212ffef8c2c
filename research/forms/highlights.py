"""Highlights: a quote picked from a transcript or the notes, and its later edits."""

from django import forms

from research.ids import uuid_or_none
from research.models import Highlight, Team, Transcript

from .base import TagsField


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
        transcript = (
            Transcript.objects.select_related("recording")
            .filter(team=self.team, uid=uuid_or_none(raw))
            .first()
        )
        if transcript is None:
            raise forms.ValidationError("That transcript is not part of your team.")
        return transcript


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
