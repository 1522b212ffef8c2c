"""The search page: one box over everything of the team, with filters in the URL."""

from urllib.parse import urlencode

from django import forms
from django.shortcuts import render

from research import search
from research.access import member_required
from research.models import ConversationKind
from research.selectors_search import TYPE_LABELS, SearchFilters, search_page

FACETS = [
    ("type", "Type", "type"),
    ("project", "Project", "project"),
    ("kind", "Conversation kind", "kind"),
    ("tag", "Tags", "tag"),
    ("person", "Person", "person"),
    ("organization", "Organization", "organization"),
    ("feature", "Feature", "feature"),
    ("speaker", "Speaker", "speaker"),
]


class SearchForm(forms.Form):
    """Validates the query string; CharField refuses NUL characters and over-long text."""

    q = forms.CharField(
        label="Search", required=False, max_length=search.MAX_QUERY_CHARS, strip=True
    )
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


def _toggle_url(params: dict[str, list[str]], key: str, value: str, *, multiple: bool) -> str:
    """The current search with one filter value switched on or off (and back to page 1)."""
    values = list(params.get(key, []))
    if value in values:
        values.remove(value)
    elif multiple:
        values.append(value)
    else:
        values = [value]
    changed = {**params, key: values}
    pairs = [(k, v) for k, vs in changed.items() if k != "page" or k == key for v in vs]
    return "?" + urlencode(pairs)


def _keep(params: dict[str, list[str]], *dropped: str) -> list[tuple[str, str]]:
    """The other parameters, as hidden inputs of a form that changes `dropped` ones."""
    return [
        (key, value)
        for key, values in params.items()
        if key not in (*dropped, "page")
        for value in values
        if "\x00" not in value
    ]


def _facets(counts: dict, params: dict[str, list[str]], capped: bool) -> list[dict]:
    facets = []
    for name, title, key in FACETS:
        selected = params.get(key, [])
        values = [
            {
                "label": v.label,
                "count": f"{v.count:,}{'+' if capped else ''}",
                "selected": v.value in selected,
                "url": _toggle_url(params, key, v.value, multiple=key == "tag"),
            }
            for v in counts.get(name, [])
        ]
        shown = {v.value for v in counts.get(name, [])}
        values += [  # a selected value with no match left still shows, to be removed
            {
                "label": value,
                "count": "0",
                "selected": True,
                "url": _toggle_url(params, key, value, multiple=key == "tag"),
            }
            for value in selected
            if value not in shown
        ]
        if values:
            facets.append({"name": name, "title": title, "values": values})
    return facets


@member_required
def search_view(request):
    form = SearchForm(request.GET)
    params = {key: request.GET.getlist(key) for key in request.GET}
    context = {
        "form": form,
        "q": request.GET.get("q", "")[: search.MAX_QUERY_CHARS].replace("\x00", ""),
        "keep_for_q": _keep(params, "q"),
    }
    if not form.is_valid():
        return render(request, "research/search.html", context, status=400)
    filters = form.filters()
    try:
        found = search_page(team=request.team, filters=filters, page=form.cleaned_data["page"] or 1)
    except search.QueryError as error:
        form.add_error("q", str(error))
        return render(request, "research/search.html", context, status=400)
    context.update(
        found=found,
        filters=filters,
        facets=_facets(found.counts, params, found.capped),
        total=f"{found.total:,}{'+' if found.capped else ''}",
        tags_mode_url=_toggle_url(
            params, "tags", "all" if filters.tags_any else "any", multiple=False
        ),
        prev_url=_toggle_url(params, "page", str(found.page - 1), multiple=False),
        next_url=_toggle_url(params, "page", str(found.page + 1), multiple=False),
        keep_for_dates=_keep(params, "date_from", "date_to"),
    )
    return render(request, "research/search.html", context)
