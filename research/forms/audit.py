"""Filters of the audit trail page."""

from django import forms

from research.models import AuditKind, Membership, Team

from .base import use_public_ids


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Membership.objects.none(), required=False, empty_label="Anyone"
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *AuditKind.choices], required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (
            Membership.objects.filter(team=team).select_related("user").order_by("user__username")
        )
        use_public_ids(person)
        person.label_from_instance = lambda m: m.user.get_username()
