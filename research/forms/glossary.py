"""Adding a term to the team's glossary."""

from django import forms

from research.models import GlossaryTerm


class GlossaryTermForm(forms.ModelForm):
    class Meta:
        model = GlossaryTerm
        fields = ["term", "kind", "note"]
        help_texts = {"term": "A product, customer, person or word Whisper should know."}

    def clean_term(self):
        term = " ".join(self.cleaned_data["term"].split())
        if not term:
            raise forms.ValidationError("Give the term.")
        return term

    def validate_unique(self):
        pass  # the service checks, ignoring case, inside the team
