"""Viewers read every page but change nothing; outsiders can't reach another team's objects
through ids posted in a form body either."""

import pytest
from django.apps import apps
from django.urls import reverse

from research.models import Highlight, Insight
from research.services.tags import tags_resolve
from tests.builders import client_for

from .test_matrix import all_cases


def _snapshot() -> dict:
    """Every row of every table of the app, as values."""
    return {
        model.__name__: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_app_config("research").get_models()
    }


@pytest.mark.django_db
def test_viewer_reads_every_page_but_gets_403_on_every_write(team, owner, viewer):
    cases = all_cases(team, owner)
    client = client_for(viewer)
    before = _snapshot()
    writes = 0
    for name, case in cases.items():
        if case.skip:
            continue
        url = reverse(f"research:{name}", kwargs=case.kwargs)
        if case.query:
            url = f"{url}?{case.query}"
        if case.writes:
            post = client.post(url, case.data or {"name": "x", "title": "x", "quote": "x"})
            assert post.status_code == 403, (name, post.status_code)
            writes += 1
        else:
            assert client.get(url).status_code == case.member_status, name
    assert writes >= 30
    assert _snapshot() == before


@pytest.mark.django_db
def test_viewer_sees_no_edit_controls(team, owner, viewer):
    cases = all_cases(team, owner)
    client = client_for(viewer)
    for name in ["insight_detail", "feature_detail", "tag_detail", "conversation_detail"]:
        body = client.get(reverse(f"research:{name}", kwargs=cases[name].kwargs)).content.decode()
        assert "/edit/" not in body and "/delete/" not in body, name
    conversation_url = reverse("research:highlight_create", kwargs=cases["highlight_create"].kwargs)
    conversation_page = conversation_url.replace("highlights/new/", "")
    body = client.get(conversation_page).content.decode()
    assert "data-highlight-form" not in body and "Matrix highlight interview" in body
    assert "data-recorder" not in body and "data-edit=" not in body


@pytest.mark.django_db
def test_outsider_cannot_move_or_group_another_teams_highlights(team, owner, outsider):
    all_cases(team, owner)
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
    for name in ["tag_list", "insight_list", "feature_list", "theme_board"]:
        body = client.get(reverse(f"research:{name}")).content.decode()
        assert "Matrix" not in body and "matrix-" not in body, name
