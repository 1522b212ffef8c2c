"""The first administrator, and team members."""

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.password_validation import validate_password

from research.models import Role


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


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Their e-mail",
        help_text="You get a link to send them; it is e-mailed too when e-mail is set up.",
    )
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EDITOR)


class InviteeAccountForm(forms.Form):
    """A new account made through an invitation link."""

    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class TeamSettingsForm(forms.Form):
    require_owner_mfa = forms.BooleanField(
        required=False, label="Owners must use two-factor sign-in"
    )


class OwnPasswordForm(SetPasswordForm):
    """After a one-time password: the member chooses their own (validated like any password)."""

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password and self.user.check_password(password):
            raise forms.ValidationError("Choose a new password, not the one-time one.")
        return password
