"""Features: the list by strength of evidence, and one feature's evidence."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from research.access import editor_required, member_required, team_object
from research.forms.base import add_service_errors
from research.forms.features import FeatureForm, LinkInsightForm
from research.models import Feature, FeatureStatus, Insight
from research.selectors import features as selectors
from research.services import features as services
from research.services.insights import insight_link_feature

from .crud import ObjectSpec


def _back_to_insight(request) -> str | None:
    """ "+ New feature" on an insight's page comes back there with the new feature chosen."""
    uid = request.GET.get("for_insight")
    if not uid:
        return None
    insight = team_object(request, Insight, uid=uid)
    return insight.get_absolute_url() + "?feature={uid}#link-form"


GLANCE_INSIGHTS = 20

FEATURE = ObjectSpec(
    Feature,
    FeatureForm,
    services.feature_create,
    services.feature_update,
    services.feature_delete,
    reverse_lazy("research:feature_list"),
    return_to=_back_to_insight,
)


@member_required
def feature_list(request):
    status = request.GET.get("status", "")
    status = status if status in FeatureStatus.values else ""
    context = {
        "features": selectors.feature_list(team=request.team, status=status),
        "status": status,
        "statuses": FeatureStatus.choices,
    }
    return render(request, "research/feature_list.html", context)


@member_required
def feature_detail(request, uid):
    return _detail_page(request, uid)


@editor_required
@require_POST
def feature_link_insight(request, uid):
    """Link an insight to this feature from the feature's side."""
    feature = team_object(request, Feature, uid=uid)
    form = LinkInsightForm(request.POST, feature=feature)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            link = insight_link_feature(feature=feature, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"Linked “{link.insight}”: {link.get_stance_display().lower()}."
            )
            return redirect(feature.get_absolute_url() + "#link-insight")
    return _detail_page(request, uid, link_form=form, status=400)


def _detail_page(request, uid, link_form=None, status=200):
    feature = team_object(request, Feature.objects.select_related("owner"), uid=uid)
    # The strongest insights of each side fit on a glance; every count covers all of them.
    limit = None if request.GET.get("show") == "all" else GLANCE_INSIGHTS
    evidence = selectors.feature_evidence(feature=feature, quoted=limit)
    context = {
        "evidence": evidence,
        "feature": feature,
        "validating": evidence.validating[:limit],
        "contradicting": evidence.contradicting[:limit],
        "mentioning": evidence.mentioning[:limit],
        "link_form": link_form or LinkInsightForm(feature=feature),
    }
    return render(request, "research/feature_detail.html", context, status=status)
