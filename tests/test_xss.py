"""User text (titles, notes, tags, names) renders inert on every page that shows it."""

import re

import pytest
from django.urls import reverse

from research.services.conversations import conversation_create
from research.services.directory import organization_create, person_create, project_create

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
]

NOTES = (
    "<script>alert(1)</script>\n\n"
    '"><img src=x onerror=alert(2)>\n\n'
    '[click me](javascript:alert(3)) and <a href="javascript:alert(4)">raw</a>\n\n'
    "<iframe src=//evil></iframe> <svg onload=alert(5)>"
)


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert not re.search(r"<img[^>]*onerror", html, re.I)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", html, re.I)
    assert "<iframe" not in html.lower()
    assert not re.search(r"<svg[^>]*onload", html, re.I)


@pytest.fixture
def hostile(owner, team):
    project = project_create(team=team, name=PAYLOADS[0])
    org = organization_create(team=team, name=PAYLOADS[1], notes=NOTES)
    person = person_create(team=team, name=PAYLOADS[1], organization=org, notes=NOTES)
    conversation = conversation_create(
        team=team,
        created_by=owner,
        project=project,
        title=PAYLOADS[0],
        location=PAYLOADS[1],
        notes=NOTES,
        participants=[person],
        tags=PAYLOADS,
    )
    return project, org, person, conversation


def test_hostile_text_is_inert_everywhere(owner_client, hostile):
    project, org, person, conversation = hostile
    urls = [
        reverse("research:dashboard"),
        reverse("research:conversation_list"),
        reverse("research:project_list"),
        reverse("research:person_list"),
        reverse("research:organization_list"),
        project.get_absolute_url(),
        org.get_absolute_url(),
        person.get_absolute_url(),
        conversation.get_absolute_url(),
        reverse("research:conversation_edit", args=[conversation.uid]),
    ]
    for url in urls:
        html = owner_client.get(url).content.decode()
        assert_inert(html)
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not dropped
    assert "click me" in page


def test_tag_autocomplete_json_is_not_html(owner_client, hostile):
    response = owner_client.get(reverse("research:tag_autocomplete"), {"q": "<"})
    assert response["Content-Type"] == "application/json"
    assert "<script>alert(1)</script>" in response.json()["tags"]
