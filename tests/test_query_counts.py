"""List pages cost the same number of queries at 5 rows as at 50 (no N+1)."""

import pytest
from django.urls import reverse

from research.services.conversations import consent_record, conversation_create
from research.services.directory import organization_create, person_create, project_create

LIST_PAGES = [
    "research:dashboard",
    "research:conversation_list",
    "research:project_list",
    "research:person_list",
    "research:organization_list",
]


def fill(team, owner, n: int, offset: int = 0) -> None:
    for i in range(offset, offset + n):
        org = organization_create(team=team, name=f"Org {i}")
        person = person_create(team=team, name=f"Person {i}", organization=org)
        project = project_create(team=team, name=f"Project {i}")
        conversation = conversation_create(
            team=team,
            created_by=owner,
            project=project,
            title=f"Conversation {i}",
            participants=[person],
            interviewers=[owner],
            tags=[f"tag-{i}", "common"],
        )
        consent_record(conversation=conversation, person=person, given=True)


def count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_have_constant_queries(owner_client, owner, team, name):
    url = reverse(name)
    fill(team, owner, 5)
    small = count_queries(owner_client, url)
    fill(team, owner, 45, offset=5)
    large = count_queries(owner_client, url)
    assert large == small, f"{name}: {small} queries at 5 rows, {large} at 50"
    assert large <= 15, f"{name}: {large} queries"


def test_conversation_page_queries_do_not_grow_with_participants(owner_client, owner, team):
    project = project_create(team=team, name="P")
    people = [person_create(team=team, name=f"P{i}") for i in range(30)]
    conversation = conversation_create(
        team=team,
        created_by=owner,
        project=project,
        title="Big",
        participants=people[:2],
        tags=["a", "b"],
    )
    small = count_queries(owner_client, conversation.get_absolute_url())
    conversation.participants.set(people)
    for person in people:
        consent_record(conversation=conversation, person=person, given=True)
    large = count_queries(owner_client, conversation.get_absolute_url())
    assert large == small
