"""Insights, the evidence attached to them, and their links to features."""

from django import forms

from research.models import Conversation, Feature, Highlight, Insight, Stance, Team, Weight

from .base import TagsField, TeamForm


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


class LinkFeatureForm(forms.Form):
    feature = forms.ModelChoiceField(queryset=Feature.objects.none(), to_field_name="uid")
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.VALIDATES)
    weight = forms.ChoiceField(choices=Weight.choices, initial=Weight.IMPORTANT)
    note = forms.CharField(max_length=300, required=False, label="One-line note")

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["feature"].queryset = Feature.objects.filter(team=team).order_by("name")
