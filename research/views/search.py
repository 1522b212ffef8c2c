"""The search page: one box over everything of the team, with filters in the URL."""

from urllib.parse import urlencode

from django.shortcuts import render

from research.access import member_required
from research.forms.search import SearchForm
from research.search import MAX_QUERY_CHARS, QueryError
from research.search.page import search_page
from research.search.query import parse_query

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
        "q": request.GET.get("q", "")[:MAX_QUERY_CHARS].replace("\x00", ""),
        "keep_for_q": _keep(params, "q"),
    }
    if not form.is_valid():
        return render(request, "research/search.html", context, status=400)
    filters = form.filters()
    try:
        found = search_page(team=request.team, filters=filters, page=form.cleaned_data["page"] or 1)
    except QueryError as error:
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
        only_exclusions=found.query_is_empty and bool(parse_query(filters.q).excluded),
    )
    return render(request, "research/search.html", context)
