from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models

from research.models import Consent, Conversation, Organization, Person, Project, Team
from research.services.tags import tag_names_parse


class TagsField(forms.CharField):
    """Comma-separated tag names; the widget offers the team's vocabulary via a datalist."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault("help_text", "Separate tags with commas, e.g. exports, onboarding")
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"list": "team-tags", "autocomplete": "off", "data-tag-input": "1"}
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return tag_names_parse(super().clean(value))


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: per field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def use_public_ids(field) -> None:
    """Choices carry the object's UUID, never its integer primary key."""
    if hasattr(field.queryset.model, "uid"):
        field.to_field_name = "uid"


class TeamForm(forms.ModelForm):
    """A ModelForm whose related-object choices come only from the current team."""

    team_querysets: dict = {}

    def __init__(self, *args, team: Team, **kwargs):
        self.team = team
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if hasattr(field, "queryset") and hasattr(field.queryset.model, "team"):
                field.queryset = field.queryset.filter(team=team)
                use_public_ids(field)
                related = getattr(self.instance, name, None) if self.instance.pk else None
                if isinstance(related, models.Model):
                    # model_to_dict gave the integer key; the choices are UUIDs.
                    self.initial[name] = related.uid


class ProjectForm(TeamForm):
    class Meta:
        model = Project
        fields = ["name", "description", "is_archived"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class OrganizationForm(TeamForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "website", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class PersonForm(TeamForm):
    class Meta:
        model = Person
        fields = ["name", "organization", "title", "email", "kind", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class ConversationForm(TeamForm):
    tags = TagsField()
    field_order = ["title", "project", "kind", "occurred_at", "location", "tags"]

    class Meta:
        model = Conversation
        fields = [
            "title",
            "project",
            "kind",
            "occurred_at",
            "location",
            "participants",
            "interviewers",
            "notes",
            "language",
        ]
        widgets = {
            "occurred_at": DateTimeInput(),
            "notes": forms.Textarea(attrs={"rows": 10}),
            "participants": forms.CheckboxSelectMultiple,
            "interviewers": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = self.fields["project"].queryset.filter(
            is_archived=False
        ) | Project.objects.filter(pk=getattr(self.instance, "project_id", None))
        self.fields["participants"].queryset = self.fields["participants"].queryset.select_related(
            "organization"
        )
        self.fields["interviewers"].queryset = (
            get_user_model().objects.filter(memberships__team=self.team).order_by("username")
        )
        self.fields["occurred_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["interviewers"].label_from_instance = lambda u: u.get_full_name() or u.username
        projects = list(self.fields["project"].queryset[:2])
        if not self.instance.pk and len(projects) == 1 and not self.initial.get("project"):
            self.initial["project"] = projects[0].uid
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())


class ConsentForm(forms.ModelForm):
    person = forms.ModelChoiceField(queryset=Person.objects.none())

    class Meta:
        model = Consent
        fields = [
            "person",
            "given",
            "may_record",
            "may_transcribe",
            "may_quote",
            "method",
            "obtained_at",
            "note",
        ]
        widgets = {"obtained_at": DateTimeInput()}

    def __init__(self, *args, conversation: Conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = conversation.participants.all()
        use_public_ids(self.fields["person"])
        self.fields["obtained_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def validate_unique(self):
        # consent_record replaces an existing consent; uniqueness is its concern.
        pass


class FirstAdminForm(forms.Form):
    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)
    team_name = forms.CharField(max_length=120, label="Team name", initial="Product team")
    project_name = forms.CharField(
        max_length=200, required=False, label="First project", initial="Customer discovery"
    )

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
