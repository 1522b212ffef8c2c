"""A person's own sign-in: the second step's code, setting up and turning off two-factor."""

from django import forms


class SignInCodeForm(forms.Form):
    code = forms.CharField(
        max_length=20,
        label="Code",
        help_text="The 6 digits your authenticator app shows, or one of your recovery codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "autocapitalize": "none"}
        ),
    )


class MfaConfirmForm(forms.Form):
    token = forms.CharField(
        max_length=10,
        label="Code from the app",
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )


class PasswordConfirmForm(forms.Form):
    """Your password again, before changing how you sign in."""

    password = forms.CharField(widget=forms.PasswordInput, label="Your password")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
