"""Tag text: commas separate tags and a tag may contain spaces (as in Dovetail and Condens:
"mobile access" is one tag); a tag field shows the tags it will save as chips; a tag's name is
found by search, accents or not."""

import pytest
from django.urls import reverse

from research.models import Conversation, Project
from research.services.tags import tags_from_string, tags_set
from tests.browser_support import chromium, sign_in
from tests.builders import client_for


def test_commas_separate_and_spaces_stay_inside_a_tag():
    assert tags_from_string('mobile access, Überstunden,, "night shift" , Mobile  Access') == [
        "mobile access",
        "Überstunden",
        "night shift",
    ]
    assert tags_from_string("") == []


@pytest.mark.django_db
def test_a_tag_typed_with_a_space_is_saved_as_one_tag(owner, team):
    project = Project.objects.create(team=team, name="Field", slug="field")
    response = client_for(owner).post(
        reverse("research:conversation_create"),
        {
            "title": "Depot visit",
            "project": str(project.uid),
            "kind": "site_visit",
            "occurred_at": "2026-03-02T10:00",
            "tags": "mobile access, Überstunden",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    conversation = Conversation.objects.get(team=team, title="Depot visit")
    assert sorted(t.name for t in conversation.tags.all()) == ["mobile access", "Überstunden"]
    edit = client_for(owner).get(reverse("research:conversation_edit", args=[conversation.uid]))
    assert 'value="mobile access, Überstunden"' in edit.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, name",
    [("Überstunden", "Überstunden"), ("uberstunden", "Überstunden"), ("mobile", "mobile access")],
)
def test_a_tag_is_found_by_search_with_or_without_its_accents(owner, conversation, typed, name):
    tags_set(obj=conversation, names=["Überstunden", "mobile access"])
    body = client_for(owner).get(reverse("research:search"), {"q": typed}).content.decode()
    tag = conversation.tags.get(name=name)
    assert f'href="{tag.get_absolute_url()}"' in body
    # The tag's page lists the conversation that carries it.
    page = client_for(owner).get(tag.get_absolute_url()).content.decode()
    assert "Visit at the bakery" in page


@pytest.mark.django_db
def test_the_tag_filter_of_search_takes_an_accented_tag(owner, conversation):
    conversation.notes = "Overtime came up twice"
    conversation.save()
    tags_set(obj=conversation, names=["Überstunden"])
    tag = conversation.tags.get()
    response = client_for(owner).get(reverse("research:search"), {"q": "overtime", "tag": tag.slug})
    assert response.status_code == 200
    assert "Visit at the bakery" in response.content.decode()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_tag_field_shows_the_tags_it_will_save_as_chips(live_server, owner, team):
    Project.objects.create(team=team, name="Field", slug="field")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800}, has_touch=True)
        sign_in(page, live_server.url, "olivia", "pw-olivia-123")
        page.goto(live_server.url + reverse("research:conversation_create"))
        page.fill("#id_tags", "mobile access, Überstunden, Mobile access")
        chips = page.locator(".tag-chips .chip")
        assert chips.all_inner_texts() == ["mobile access", "Überstunden"]
        assert "Saves 2 tags" in page.locator(".tag-chips").inner_text()
