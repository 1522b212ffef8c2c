"""Evidence access beyond the shared matrix: viewers read but never change; uids posted in a
form body are looked up inside the team too."""

import pytest
from django.urls import reverse

from research.models import Feature, Highlight, Insight, InsightFeatureLink, TeamTag
from research.services.tags import tags_resolve
from tests.access import evidence
from tests.conftest import client_for


def _snapshot(team) -> dict:
    return {
        "highlights": sorted(Highlight.objects.filter(team=team).values_list("quote", flat=True)),
        "insights": sorted(Insight.objects.filter(team=team).values_list("title", flat=True)),
        "features": sorted(Feature.objects.filter(team=team).values_list("name", flat=True)),
        "tags": sorted(TeamTag.objects.filter(team=team).values_list("name", flat=True)),
        "links": InsightFeatureLink.objects.filter(team=team).count(),
    }


@pytest.mark.django_db
def test_viewer_reads_every_page_but_gets_403_on_every_write(team, owner, viewer):
    cases = evidence.build(team, owner)
    client = client_for(viewer)
    before = _snapshot(team)
    for name, case in cases.items():
        url = reverse(f"research:{name}", kwargs=case.kwargs)
        if case.query:
            url = f"{url}?{case.query}"
        if name in evidence.WRITES:
            post = client.post(url, case.data or {"name": "x", "title": "x", "quote": "x"})
            assert post.status_code == 403, (name, post.status_code)
        else:
            assert client.get(url).status_code == 200, name
    assert _snapshot(team) == before


@pytest.mark.django_db
def test_viewer_sees_no_edit_controls(team, owner, viewer):
    cases = evidence.build(team, owner)
    client = client_for(viewer)
    for name in ["insight_detail", "feature_detail", "tag_detail"]:
        body = client.get(reverse(f"research:{name}", kwargs=cases[name].kwargs)).content.decode()
        assert "/edit/" not in body and "/delete/" not in body, name
    conversation_url = reverse("research:highlight_create", kwargs=cases["highlight_create"].kwargs)
    conversation_page = conversation_url.replace("highlights/new/", "")
    body = client.get(conversation_page).content.decode()
    assert "data-highlight-form" not in body and "Matrix evidence interview" in body


@pytest.mark.django_db
def test_outsider_cannot_move_or_group_another_teams_highlights(team, owner, outsider):
    cases = evidence.build(team, owner)
    highlight = Highlight.objects.filter(team=team, start__isnull=False).first()
    client = client_for(outsider)
    (theirs,) = tags_resolve(team=outsider.team, names=["mine"])
    response = client.post(
        reverse("research:board_move"), {"highlight": str(highlight.uid), "to": theirs.slug}
    )
    assert response.status_code == 404
    response = client.post(
        reverse("research:insight_create"),
        {"title": "Stolen", "highlights": [str(highlight.uid)]},
    )
    assert response.status_code == 400
    assert not Insight.objects.filter(title="Stolen").exists()
    assert cases  # the matrix objects exist for this team only
    for name in ["tag_list", "insight_list", "feature_list", "theme_board"]:
        body = client.get(reverse(f"research:{name}")).content.decode()
        assert "Matrix" not in body and "matrix-" not in body, name
