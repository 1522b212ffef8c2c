"""The search box and its filters, validated from the query string."""

from django import forms

from research.models import ConversationKind
from research.search import MAX_QUERY_CHARS
from research.search.page import SearchFilters
from research.search.sources import TYPE_LABELS


class SearchForm(forms.Form):
    """Validates the query string; CharField refuses NUL characters and over-long text."""

    q = forms.CharField(label="Search", required=False, max_length=MAX_QUERY_CHARS, strip=True)
    type = forms.ChoiceField(required=False, choices=[("", "All"), *TYPE_LABELS.items()])
    project = forms.SlugField(required=False, max_length=80)
    tag = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    tags = forms.ChoiceField(
        label="Tags match", required=False, choices=[("all", "all of"), ("any", "any of")]
    )
    person = forms.UUIDField(required=False)
    organization = forms.UUIDField(required=False)
    feature = forms.UUIDField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "Any"), *ConversationKind.choices])
    date_from = forms.DateField(required=False, label="From")
    date_to = forms.DateField(required=False, label="To")
    speaker = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def clean_tag(self):
        # Tag slugs are free text here: an unknown slug simply matches nothing.
        slugs = [str(slug) for slug in self.cleaned_data["tag"] or []]
        if any("\x00" in slug for slug in slugs):
            raise forms.ValidationError("Null characters are not allowed.")
        return tuple(slug[:100] for slug in slugs[:20] if slug)

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data

    def filters(self) -> SearchFilters:
        d = self.cleaned_data
        return SearchFilters(
            q=d["q"],
            type=d["type"],
            project=d["project"],
            tags=d["tag"],
            tags_any=d["tags"] == "any",
            person=d["person"],
            organization=d["organization"],
            feature=d["feature"],
            kind=d["kind"],
            date_from=d["date_from"],
            date_to=d["date_to"],
            speaker=d["speaker"],
        )
