import pytest
from django.urls import reverse

from research.models import Conversation


@pytest.mark.django_db
def test_owner_creates_project_and_conversation(owner_client, team):
    r = owner_client.post(reverse("research:project_create"), {"name": "Exports study"})
    assert r.status_code == 302
    project = team.__class__.objects.get(pk=team.pk)  # noqa
    from research.models import Project

    project = Project.objects.get(team=team)
    r = owner_client.post(
        reverse("research:conversation_create"),
        {
            "title": "Call with Ana",
            "project": project.pk,
            "kind": "call",
            "occurred_at": "2026-11-20T10:00",
            "tags": "exports, pricing",
            "notes": "# Hi",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    conversation = Conversation.objects.get(team=team)
    assert sorted(t.name for t in conversation.tags.all()) == ["exports", "pricing"]
    for name in [
        "dashboard",
        "conversation_list",
        "project_list",
        "person_list",
        "organization_list",
    ]:
        assert owner_client.get(reverse(f"research:{name}")).status_code == 200
    r = owner_client.get(conversation.get_absolute_url())
    assert r.status_code == 200
    assert b"<h1>Hi</h1>" in r.content
