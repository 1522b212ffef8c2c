"""Features: the list by strength of evidence, and one feature's evidence."""

from django.shortcuts import render
from django.urls import reverse_lazy

from research.access import member_required, team_object
from research.forms.features import FeatureForm
from research.models import Feature, FeatureStatus
from research.selectors import features as selectors
from research.services import features as services

from .crud import ObjectSpec

GLANCE_INSIGHTS = 20

FEATURE = ObjectSpec(
    Feature,
    FeatureForm,
    services.feature_create,
    services.feature_update,
    services.feature_delete,
    reverse_lazy("research:feature_list"),
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
    }
    return render(request, "research/feature_detail.html", context)
