"""A team's tag vocabulary is its own: names, pages, autocomplete and counts."""

import pytest
from django.urls import reverse

from research.models import TeamTag
from research.services.conversations import conversation_create
from research.services.directory import project_create
from tests.builders import client_for


@pytest.fixture
def two_teams(owner, outsider):
    mine = project_create(team=owner.team, name="Mine")
    theirs = project_create(team=outsider.team, name="Theirs")
    conversation_create(
        team=owner.team, created_by=owner, project=mine, title="A", tags=["exports", "shared-word"]
    )
    for i in range(3):
        conversation_create(
            team=outsider.team,
            created_by=outsider,
            project=theirs,
            title=f"B{i}",
            tags=["zebra-secret", "shared-word"],
        )
    return owner, outsider


def test_same_name_makes_one_tag_per_team(two_teams):
    owner, outsider = two_teams
    shared = TeamTag.objects.filter(name="shared-word")
    assert sorted(t.team_id for t in shared) == sorted([owner.team.pk, outsider.team.pk])


def test_tag_names_resolve_case_insensitively_within_a_team(owner):
    project = project_create(team=owner.team, name="P")
    conversation_create(
        team=owner.team, created_by=owner, project=project, title="1", tags=["Exports"]
    )
    conversation_create(
        team=owner.team, created_by=owner, project=project, title="2", tags=["exports"]
    )
    assert list(TeamTag.objects.filter(team=owner.team).values_list("name", flat=True)) == [
        "Exports"
    ]


def test_other_teams_tags_never_show(two_teams):
    owner, _ = two_teams
    client = client_for(owner)
    for url in [
        reverse("research:conversation_list"),
        reverse("research:dashboard"),
        reverse("research:conversation_create"),
    ]:
        assert "zebra-secret" not in client.get(url).content.decode(), url
    found = client.get(reverse("research:tag_autocomplete"), {"q": "z"}).json()["tags"]
    assert found == []
    assert client.get(reverse("research:tag_autocomplete"), {"q": "ex"}).json() == {
        "tags": ["exports"]
    }


def test_tag_counts_are_per_team(two_teams):
    owner, _ = two_teams
    body = client_for(owner).get(reverse("research:conversation_list")).content.decode()
    assert "shared-word (1)" in body
    assert "shared-word (3)" not in body and "shared-word (4)" not in body


def test_filtering_by_another_teams_tag_slug_finds_nothing(two_teams):
    owner, _ = two_teams
    body = (
        client_for(owner)
        .get(reverse("research:conversation_list"), {"tag": "zebra-secret"})
        .content.decode()
    )
    assert "No conversations match." in body
