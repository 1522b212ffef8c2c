"""Conversations, what their participants consented to, and the phone's site-visit screen."""

from django import forms
from django.contrib.auth import get_user_model

from research.models import Consent, Conversation, Person, Project, Team

from .base import DateTimeInput, TagsField, TeamForm, refuse_long_text, use_public_ids


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
            "may_quote_outside",
            "may_voice_profile",
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


class SiteVisitForm(forms.Form):
    """One phone screen: who and where before recording, notes and tags after. The project is
    preselected when the team has one, and the signed-in user is ticked as interviewer."""

    title = forms.CharField(max_length=200)
    project = forms.ModelChoiceField(queryset=Project.objects.none())
    who = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Who",
        widget=forms.CheckboxSelectMultiple,
    )
    interviewers = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        label="Interviewers",
        widget=forms.CheckboxSelectMultiple,
    )
    location = forms.CharField(max_length=200, required=False, label="Where")
    verbal_consent = forms.BooleanField(
        required=False,
        label="Everyone here agreed to be recorded and transcribed",
        help_text="Recorded as their verbal consent; without it, recording waits for consent.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    tags = TagsField()
    # The device's id for the visit (visits.js): a visit saved offline and sent again is one.
    client_id = forms.RegexField(
        r"^[A-Za-z0-9-]{8,64}$",
        required=False,
        widget=forms.HiddenInput(attrs={"data-client-id": ""}),
    )

    def __init__(self, *args, team: Team, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_long_text(self)
        self.fields["project"].queryset = Project.objects.filter(team=team, is_archived=False)
        self.fields["who"].queryset = Person.objects.filter(team=team)
        use_public_ids(self.fields["project"])
        use_public_ids(self.fields["who"])
        interviewers = self.fields["interviewers"]
        interviewers.queryset = (
            get_user_model().objects.filter(memberships__team=team).order_by("username")
        )
        interviewers.label_from_instance = lambda u: u.get_full_name() or u.username
        projects = list(self.fields["project"].queryset[:2])
        if len(projects) == 1:
            self.initial.setdefault("project", projects[0].uid)
        if user is not None:
            self.initial.setdefault("interviewers", [user.pk])

    def before_recording(self) -> list:
        return [
            self[name]
            for name in ("title", "project", "who", "interviewers", "location", "verbal_consent")
        ]

    def after_recording(self) -> list:
        return [self["notes"], self["tags"]]
