"""Forms of privacy work: erasure confirmation, retention rules, redaction choices."""

from django import forms

from research.models import Project, RetentionAction, RetentionPolicy

from .base import use_public_ids


class ErasureForm(forms.Form):
    """Erasure cannot be undone: the person's name is typed to confirm it."""

    confirm = forms.CharField(max_length=200, label="Type the person's name to confirm")

    def __init__(self, *args, name: str, **kwargs):
        self.name = name
        super().__init__(*args, **kwargs)

    def clean_confirm(self) -> str:
        typed = " ".join(self.cleaned_data["confirm"].split())
        if typed.casefold() != " ".join(self.name.split()).casefold():
            raise forms.ValidationError("Type the person's name exactly to confirm the erasure.")
        return typed


class RetentionPolicyForm(forms.ModelForm):
    """The team's rule (no project) or one project's rule, which overrides the team's."""

    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="The whole team",
        help_text="A project's rule overrides the team's",
    )

    class Meta:
        model = RetentionPolicy
        fields = ["project", "action", "days"]

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = Project.objects.filter(team=team)
        use_public_ids(self.fields["project"])
        self.fields["action"].choices = RetentionAction.choices

    def validate_unique(self):
        # One team default / one rule per project is the service's concern (it updates).
        pass


class RedactionApplyForm(forms.Form):
    """Findings are chosen by their keys, as the review page lists them."""

    finding = forms.MultipleChoiceField(
        choices=[], error_messages={"required": "Choose at least one finding to redact."}
    )

    def __init__(self, *args, keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["finding"].choices = [(k, k) for k in keys]
        self.fields["finding"].error_messages["invalid_choice"] = (
            "That finding is no longer in the text; reload the page."
        )
