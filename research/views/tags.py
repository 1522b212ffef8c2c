"""Tags as themes: the tag list and page, rename/merge, the theme board, and suggestions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from research.access import editor_required, member_required, team_object
from research.forms.base import add_service_errors
from research.forms.tags import TagForm, TagMergeForm
from research.models import Highlight, TeamTag
from research.selectors import tags as selectors
from research.services import highlights as highlight_services
from research.services import tags as services

from .responses import wants_json


@member_required
def tag_list(request):
    tags = selectors.tag_overview(team=request.team)
    return render(request, "research/tag_list.html", {"tags": tags})


@member_required
def tag_detail(request, slug):
    tag = team_object(request, TeamTag, slug=slug)
    usage = selectors.tag_usage(tag=tag, today=timezone.localdate())
    peak = max((m.total for m in usage), default=0) or 1
    context = {
        "tag": tag,
        "usage": usage,
        "peak": peak,
        **selectors.tag_items(tag=tag),
    }
    return render(request, "research/tag_detail.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def tag_edit(request, slug):
    tag = team_object(request, TeamTag, slug=slug)
    form = TagForm(request.POST or None, instance=TeamTag.objects.get(pk=tag.pk))
    merge_form = TagMergeForm(tag=tag)
    if request.method == "POST" and form.is_valid():
        try:
            tag = services.tag_update(tag=tag, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
            tag = TeamTag.objects.get(pk=tag.pk)  # as saved, for the page's links
        else:
            messages.success(request, f"Tag “{tag.name}” saved.")
            return redirect("research:tag_detail", slug=tag.slug)
    context = {"tag": tag, "form": form, "merge_form": merge_form}
    return render(request, "research/tag_edit.html", context, status=400 if form.errors else 200)


@editor_required
@require_POST
def tag_merge(request, slug):
    tag = team_object(request, TeamTag, slug=slug)
    merge_form = TagMergeForm(request.POST, tag=tag)
    if merge_form.is_valid():
        try:
            target = services.tag_merge(source=tag, target=merge_form.cleaned_data["target"])
        except ValidationError as error:
            add_service_errors(merge_form, error)
        else:
            messages.success(request, f"“{tag.name}” merged into “{target.name}”.")
            return redirect("research:tag_detail", slug=target.slug)
    context = {"tag": tag, "form": TagForm(instance=tag), "merge_form": merge_form}
    return render(request, "research/tag_edit.html", context, status=400)


def _board_slugs(request) -> list[str]:
    return [s for s in request.GET.getlist("tag") if s][: selectors.BOARD_MAX_COLUMNS]


@member_required
def theme_board(request):
    slugs = _board_slugs(request)
    context = {
        "columns": selectors.board(team=request.team, slugs=slugs),
        "all_tags": selectors.tag_overview(team=request.team),
        "chosen": slugs,
        "max_columns": selectors.BOARD_MAX_COLUMNS,
    }
    return render(request, "research/theme_board.html", context)


@editor_required
@require_POST
def board_move(request):
    """Move a card: re-tag a highlight from one column's tag to another's.

    The board's script posts here and gets JSON; without script the card's own form posts here
    and comes back to the board.
    """
    highlight = team_object(request, Highlight, uid=request.POST.get("highlight", ""))
    to_tag = team_object(request, TeamTag, slug=request.POST.get("to", ""))
    from_slug = request.POST.get("from", "")
    from_tag = team_object(request, TeamTag, slug=from_slug) if from_slug else None
    highlight_services.highlight_retag(highlight=highlight, to_tag=to_tag, from_tag=from_tag)
    if wants_json(request):
        return JsonResponse({"highlight": str(highlight.uid), "tag": to_tag.slug})
    messages.success(request, f"Moved to “{to_tag.name}”.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts=None) and back.startswith("/"):
        return redirect(back)
    return redirect("research:theme_board")


@member_required
@require_GET
def tag_autocomplete(request):
    prefix = request.GET.get("q", "").strip()[:100]
    tags = TeamTag.objects.filter(team=request.team)
    if prefix:
        tags = tags.filter(name__istartswith=prefix)
    return JsonResponse({"tags": list(tags.order_by("name").values_list("name", flat=True)[:20])})
