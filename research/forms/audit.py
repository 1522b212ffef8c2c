"""Filters of the audit trail page."""

from django import forms

from research.models import AuditKind, Membership, Team


class AuditFilterForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        empty_label="Anyone",
        to_field_name="uid",
    )
    kind = forms.ChoiceField(choices=[("", "Any kind"), *AuditKind.choices], required=False)

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.queryset = (
            Membership.objects.filter(team=team).select_related("user").order_by("user__username")
        )
        person.label_from_instance = lambda m: m.user.get_username()
