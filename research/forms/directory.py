"""Projects, organizations and people."""

from django import forms

from research.models import Organization, Person, Project

from .base import TeamForm


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
