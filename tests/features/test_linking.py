"""Features and insights link from both sides: "+ New feature" on an insight comes back to link
it, and a feature's page links insights."""

import pytest
from django.urls import reverse

from research.models import Feature, Insight, InsightFeatureLink
from research.services.features import feature_create
from tests.builders import client_for

pytestmark = pytest.mark.django_db


def test_new_feature_from_an_insight_comes_back_with_it_chosen(owner, team):
    insight = Insight.objects.create(team=team, title="Finance closes the month in Excel")
    client = client_for(owner)
    page = client.get(insight.get_absolute_url()).content.decode()
    start = f"{reverse('research:feature_create')}?for_insight={insight.uid}"
    assert f'href="{start}"' in page
    response = client.post(start, {"name": "Scheduled reports", "status": "idea"})
    feature = Feature.objects.get(team=team, name="Scheduled reports")
    assert response["Location"] == (f"{insight.get_absolute_url()}?feature={feature.uid}#link-form")
    back = client.get(response["Location"]).content.decode()
    assert f'<option value="{feature.uid}" selected>Scheduled reports</option>' in back


def test_a_bad_insight_id_creates_nothing(owner, team, outsider):
    foreign = Insight.objects.create(team=outsider.team, title="Not yours")
    client = client_for(owner)
    for bad in ("not-a-uuid", str(foreign.uid)):
        url = f"{reverse('research:feature_create')}?for_insight={bad}"
        assert client.post(url, {"name": "Dark mode", "status": "idea"}).status_code == 404
    assert not Feature.objects.filter(team=team).exists()


def test_a_feature_page_links_an_insight(owner, team):
    feature = feature_create(team=team, name="Scheduled reports")
    insight = Insight.objects.create(team=team, title="Finance closes the month in Excel")
    client = client_for(owner)
    page = client.get(feature.get_absolute_url()).content.decode()
    assert f'<option value="{insight.uid}">Finance closes the month in Excel</option>' in page
    url = reverse("research:feature_link_insight", args=[feature.uid])
    response = client.post(url, {"insight": str(insight.uid), "stance": "contradicts",
                                 "weight": "important", "note": "Only for finance"})  # fmt: skip
    assert response.status_code == 302
    link = InsightFeatureLink.objects.get(feature=feature)
    assert (link.insight, link.stance, link.note) == (insight, "contradicts", "Only for finance")
    assert (
        "Finance closes the month in Excel"
        in client.get(feature.get_absolute_url()).content.decode()
    )


def test_a_feature_refuses_another_teams_insight(owner, team, outsider):
    feature = feature_create(team=team, name="Scheduled reports")
    foreign = Insight.objects.create(team=outsider.team, title="Not yours")
    url = reverse("research:feature_link_insight", args=[feature.uid])
    response = client_for(owner).post(url, {"insight": str(foreign.uid), "stance": "validates",
                                            "weight": "important"})  # fmt: skip
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not InsightFeatureLink.objects.exists()
