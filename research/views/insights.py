"""Insights: the list, a new one (from picked highlights), its page, evidence and features."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from research.access import editor_required, member_required, team_object
from research.exports import insights as brief
from research.forms.base import add_service_errors
from research.forms.insights import EvidenceForm, InsightForm, LinkFeatureForm, NewInsightForm
from research.ids import uuids
from research.models import Conversation, Feature, Highlight, Insight, InsightStatus
from research.selectors import insights as selectors
from research.services import insights as services
from research.services.consent import for_outside

from .crud import ObjectSpec

INSIGHT = ObjectSpec(
    Insight,
    InsightForm,
    services.insight_create,
    services.insight_update,
    services.insight_delete,
    reverse_lazy("research:insight_list"),
    passes_creator=True,
)


@member_required
def insight_list(request):
    status = request.GET.get("status", "")
    status = status if status in InsightStatus.values else ""
    insights = selectors.insight_list(team=request.team, status=status)
    page = Paginator(insights, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": selectors.insight_rows(page.object_list),
        "status": status,
        "statuses": InsightStatus.choices,
    }
    return render(request, "research/insight_list.html", context)


@editor_required
@require_http_methods(["GET", "POST"])
def insight_create(request):
    """A new insight, optionally from highlights picked on the board or a conversation."""
    data = request.POST if request.method == "POST" else None
    initial = {"highlights": request.GET.getlist("highlight")}
    form = NewInsightForm(data, team=request.team, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            insight = services.insight_create(
                team=request.team, created_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Insight “{insight}” created.")
            return redirect(insight.get_absolute_url())
    chosen = request.POST.getlist("highlights") if data else initial["highlights"]
    picked = Highlight.objects.filter(team=request.team, uid__in=uuids(chosen)).select_related(
        "conversation", "person"
    )
    context = {"form": form, "picked": picked}
    status = 400 if form.errors else 200
    return render(request, "research/insight_form.html", context, status=status)


def _detail_page(request, uid, link_form=None, status=200):
    try:
        insight = selectors.insight_detail(team=request.team, uid=uid)
    except Insight.DoesNotExist:
        raise Http404("Not found") from None
    context = {
        "insight": insight,
        "strength": selectors.insight_strengths([insight.pk])[insight.pk],
        "link_form": link_form
        or LinkFeatureForm(team=request.team, initial={"feature": request.GET.get("feature")}),
    }
    if request.membership.can_edit:
        context.update(selectors.attach_candidates(insight=insight, tag=request.GET.get("tag", "")))
    return render(request, "research/insight_detail.html", context, status=status)


@member_required
def insight_detail(request, uid):
    return _detail_page(request, uid)


@member_required
@require_GET
def insight_brief(request, uid):
    """The insight as a Markdown brief to share outside the team (see exports.insights)."""
    insight = team_object(request, Insight, uid=uid)
    highlights = (
        Highlight.objects.filter(insights=insight)
        .consented()
        .select_related("conversation", "person__organization")
        .order_by("-created_at")
    )
    quotes, left_out = for_outside(rows=highlights)
    response = HttpResponse(
        brief.render_brief(insight, quotes, left_out=left_out), content_type=brief.CONTENT_TYPE
    )
    name = slugify(insight.title)[:60] or "insight"
    response["Content-Disposition"] = f'attachment; filename="{name}.md"'
    return response


@editor_required
@require_POST
def insight_attach(request, uid):
    insight = team_object(request, Insight, uid=uid)
    form = EvidenceForm(request.POST, team=request.team)
    if not form.is_valid():
        messages.error(request, "Choose highlights or a conversation of your team.")
        return _detail_page(request, uid, status=400)
    services.insight_attach_evidence(
        insight=insight,
        highlights=form.cleaned_data["highlights"],
        conversations=form.cleaned_data["conversations"],
        contradicting=form.cleaned_data["side"] == "contradicts",
    )
    messages.success(request, f"Evidence added to “{insight}”.")
    return redirect(insight.get_absolute_url() + "#evidence")


@editor_required
@require_POST
def conversation_to_insight(request, uid):
    """From the conversation page: the whole conversation becomes evidence for an insight."""
    conversation = team_object(request, Conversation, uid=uid)
    insight = team_object(request, Insight, uid=request.POST.get("insight", ""))
    services.insight_attach_evidence(insight=insight, conversations=[conversation])
    messages.success(request, f"This conversation now backs “{insight}”.")
    return redirect(conversation.get_absolute_url() + "#feeds")


@editor_required
@require_POST
def insight_detach(request, uid, highlight_uid):
    insight = team_object(request, Insight, uid=uid)
    highlight = team_object(request, Highlight, uid=highlight_uid)
    services.insight_detach_evidence(insight=insight, highlights=[highlight])
    messages.success(request, "Highlight taken off this insight.")
    return redirect(insight.get_absolute_url() + "#evidence")


@editor_required
@require_POST
def insight_detach_conversation(request, uid, conversation_uid):
    insight = team_object(request, Insight, uid=uid)
    conversation = team_object(request, Conversation, uid=conversation_uid)
    services.insight_detach_evidence(insight=insight, conversations=[conversation])
    messages.success(request, f"“{conversation}” taken off this insight.")
    return redirect(insight.get_absolute_url() + "#evidence")


@editor_required
@require_POST
def insight_link_feature(request, uid):
    insight = team_object(request, Insight, uid=uid)
    form = LinkFeatureForm(request.POST, team=request.team)
    if form.is_valid():
        try:
            link = services.insight_link_feature(insight=insight, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Linked: {link.get_stance_display().lower()} “{link.feature}”."
            )
            return redirect(insight.get_absolute_url() + "#features")
    return _detail_page(request, uid, link_form=form, status=400)


@editor_required
@require_POST
def insight_unlink_feature(request, uid, feature_uid):
    insight = team_object(request, Insight, uid=uid)
    feature = team_object(request, Feature, uid=feature_uid)
    services.insight_unlink_feature(insight=insight, feature=feature)
    messages.success(request, f"Unlinked from “{feature}”.")
    back = request.POST.get("next") == "feature"
    return redirect(
        feature.get_absolute_url() if back else insight.get_absolute_url() + "#features"
    )
