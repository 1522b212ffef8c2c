"""A photo sent from the site-visit screen."""

from django import forms

CLIENT_ID = r"^[A-Za-z0-9-]{8,64}$"


class PhotoForm(forms.Form):
    photo = forms.FileField()
    client_id = forms.RegexField(CLIENT_ID, required=False)
    keep_location = forms.BooleanField(required=False)
