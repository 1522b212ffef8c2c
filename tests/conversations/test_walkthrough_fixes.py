"""Smaller things a new user ran into: snippets as text, a search of exclusions only, a title
over the limit, an empty people list, the setup page's word on teammates."""

import pytest
from django.urls import reverse

from research.models import Conversation, Project
from tests.builders import client_for

pytestmark = pytest.mark.django_db


def test_search_snippets_show_text_not_markdown(owner, conversation):
    conversation.notes = (
        "Crews asked for the **whiteboard** and a `printer`; see [the plan](https://example.com)."
    )
    conversation.save()
    body = client_for(owner).get(reverse("research:search"), {"q": "whiteboard"}).content.decode()
    assert "<mark>whiteboard</mark>" in body
    assert "**" not in body and "`printer`" not in body and "](https" not in body
    assert "the plan" in body


def test_exclusions_alone_ask_for_a_word_to_find(owner, conversation):
    body = client_for(owner).get(reverse("research:search"), {"q": "-dispatch"}).content.decode()
    assert "a search needs at least one word to find" in body


def test_a_title_over_200_characters_is_refused_with_a_message(owner, team):
    project = Project.objects.create(team=team, name="Field", slug="field")
    title = "A very long walk through the depot " * 7  # 245 characters
    response = client_for(owner).post(
        reverse("research:conversation_create"),
        {"title": title, "project": str(project.uid), "kind": "interview",
         "occurred_at": "2026-03-02T10:00"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400
    assert f"At most 200 characters; this has {len(title.strip())}." in body
    assert not Conversation.objects.exists()
    # The field does not cut what is typed or pasted at 200 characters either.
    form = client_for(owner).get(reverse("research:conversation_create")).content.decode()
    assert 'maxlength="200"' not in form


def test_an_empty_people_list_says_how_to_add_the_first(owner):
    body = client_for(owner).get(reverse("research:person_list")).content.decode()
    assert "No people yet." in body
    assert f'href="{reverse("research:person_create")}"' in body
    filtered = client_for(owner).get(reverse("research:person_list"), {"kind": "customer"})
    assert "No people match." in filtered.content.decode()


def test_setup_says_teammates_are_invited_from_the_team_page(client, db):
    body = client.get(reverse("research:setup")).content.decode()
    assert "invite teammates from the <strong>Team</strong> page" in body
