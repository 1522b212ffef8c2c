"""Create, edit, delete and filter the foundation objects; bad input never half-saves."""

import re

import pytest
from django.urls import reverse

from research.models import Consent, Conversation, Organization, Person, Project
from research.services.conversations import conversation_create
from research.services.directory import organization_create, person_create, project_create
from tests.builders import client_for


@pytest.fixture
def project(team):
    return project_create(team=team, name="Exports study")


def _conversation_payload(project, **extra):
    data = {
        "title": "Call with Ana",
        "project": project.uid,
        "kind": "call",
        "occurred_at": "2026-11-20T10:00",
        "tags": "exports, Pricing",
        "notes": "# Hi",
    }
    data.update(extra)
    return data


def test_conversation_create_edit_delete(owner_client, team, project):
    org = organization_create(team=team, name="Northwind")
    ana = person_create(team=team, name="Ana", organization=org)
    response = owner_client.post(
        reverse("research:conversation_create"),
        _conversation_payload(project, participants=[ana.uid]),
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(team=team)
    assert response["Location"] == conversation.get_absolute_url()
    assert sorted(t.name for t in conversation.tags.all()) == ["Pricing", "exports"]
    assert list(conversation.participants.all()) == [ana]

    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "<h1>Hi</h1>" in page and "Ana" in page and "consent unknown" in page

    edit_page = owner_client.get(
        reverse("research:conversation_edit", args=[conversation.uid])
    ).content.decode()
    assert f'<option value="{project.uid}" selected>' in edit_page
    assert f'value="{ana.uid}"' in edit_page and "checked" in edit_page
    assert 'value="exports, Pricing"' in edit_page or 'value="Pricing, exports"' in edit_page

    response = owner_client.post(
        reverse("research:conversation_edit", args=[conversation.uid]),
        _conversation_payload(project, title="Call with Ana (follow-up)", tags="exports"),
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.title == "Call with Ana (follow-up)"
    assert [t.name for t in conversation.tags.all()] == ["exports"]
    assert list(conversation.participants.all()) == []

    response = owner_client.post(reverse("research:conversation_delete", args=[conversation.uid]))
    assert response.status_code == 302
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_conversation_with_foreign_project_is_refused(owner_client, team, outsider):
    foreign = project_create(team=outsider.team, name="Theirs")
    response = owner_client.post(
        reverse("research:conversation_create"), _conversation_payload(foreign)
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Conversation.objects.exists()


def test_conversation_with_foreign_participant_is_refused(owner_client, project, outsider):
    stranger = person_create(team=outsider.team, name="Stranger")
    response = owner_client.post(
        reverse("research:conversation_create"),
        _conversation_payload(project, participants=[stranger.uid]),
    )
    assert response.status_code == 400
    assert not Conversation.objects.exists()


def test_missing_title_and_bad_date_get_field_errors(owner_client, project):
    response = owner_client.post(
        reverse("research:conversation_create"),
        _conversation_payload(project, title="", occurred_at="yesterday-ish"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body and "Enter a valid date/time." in body
    assert not Conversation.objects.exists()


def test_duplicate_organization_name_is_a_form_error(owner_client, team):
    organization_create(team=team, name="Northwind")
    response = owner_client.post(
        reverse("research:organization_create"), {"name": "Northwind", "kind": "customer"}
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Organization.objects.filter(team=team).count() == 1


def test_same_names_are_fine_in_another_team(owner_client, team, outsider):
    organization_create(team=outsider.team, name="Northwind")
    project_create(team=outsider.team, name="Exports study")
    assert (
        owner_client.post(
            reverse("research:organization_create"), {"name": "Northwind", "kind": "customer"}
        ).status_code
        == 302
    )
    assert (
        owner_client.post(reverse("research:project_create"), {"name": "Exports study"}).status_code
        == 302
    )
    assert Project.objects.get(team=team).slug == "exports-study"


def test_person_with_foreign_organization_is_refused(owner_client, outsider):
    foreign = organization_create(team=outsider.team, name="Elsewhere")
    response = owner_client.post(
        reverse("research:person_create"),
        {"name": "Ana", "organization": foreign.uid, "kind": "customer"},
    )
    assert response.status_code == 400
    assert not Person.objects.filter(name="Ana").exists()


def test_project_with_conversations_cannot_be_deleted(owner_client, owner, team, project):
    conversation_create(team=team, created_by=owner, project=project, title="Kept")
    response = owner_client.post(reverse("research:project_delete", args=[project.uid]))
    assert response.status_code == 400
    assert "still has 1 conversation" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()


def test_viewer_reads_but_cannot_change(viewer, owner, team, project):
    conversation = conversation_create(team=team, created_by=owner, project=project, title="Q")
    client = client_for(viewer)
    assert client.get(conversation.get_absolute_url()).status_code == 200
    assert client.get(reverse("research:conversation_create")).status_code == 403
    response = client.post(
        reverse("research:conversation_edit", args=[conversation.uid]),
        _conversation_payload(project, title="Changed"),
    )
    assert response.status_code == 403
    conversation.refresh_from_db()
    assert conversation.title == "Q"
    assert "Edit</a>" not in client.get(conversation.get_absolute_url()).content.decode()


def test_consent_recorded_shown_and_withdrawn(owner_client, owner, team, project):
    ana = person_create(team=team, name="Ana")
    conversation = conversation_create(
        team=team, created_by=owner, project=project, title="Visit", participants=[ana]
    )
    response = owner_client.post(
        reverse("research:consent_record", args=[conversation.uid]),
        {
            "person": ana.uid,
            "given": "on",
            "may_record": "on",
            "may_quote": "on",
            "method": "written",
        },
    )
    assert response.status_code == 302
    consent = Consent.objects.get(conversation=conversation, person=ana)
    assert consent.is_active and consent.obtained_at is not None
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "consent: record, quote" in page
    owner_client.post(reverse("research:consent_withdraw", args=[conversation.uid, consent.uid]))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and not consent.is_active
    assert "consent withdrawn" in owner_client.get(conversation.get_absolute_url()).content.decode()


def test_consent_for_non_participant_is_refused(owner_client, owner, team, project):
    ana = person_create(team=team, name="Ana")
    conversation = conversation_create(team=team, created_by=owner, project=project, title="V")
    response = owner_client.post(
        reverse("research:consent_record", args=[conversation.uid]),
        {"person": ana.uid, "given": "on"},
    )
    assert response.status_code == 400
    assert not Consent.objects.exists()


def test_conversation_list_filters(owner_client, owner, team, project):
    other = project_create(team=team, name="Mobile")
    ana = person_create(team=team, name="Ana")
    conversation_create(
        team=team,
        created_by=owner,
        project=project,
        title="Alpha call",
        kind="call",
        tags=["exports"],
        participants=[ana],
    )
    conversation_create(
        team=team,
        created_by=owner,
        project=other,
        title="Beta visit",
        kind="site_visit",
        tags=["mobile"],
    )
    url = reverse("research:conversation_list")

    def titles(query):
        body = owner_client.get(url, query).content.decode()
        return [t for t in ("Alpha call", "Beta visit") if t in body]

    assert titles({}) == ["Alpha call", "Beta visit"]
    assert titles({"project": "mobile"}) == ["Beta visit"]
    assert titles({"tag": "exports"}) == ["Alpha call"]
    assert titles({"person": str(ana.uid)}) == ["Alpha call"]
    assert titles({"kind": "site_visit"}) == ["Beta visit"]
    assert titles({"kind": "nonsense"}) == ["Alpha call", "Beta visit"]
    assert titles({"person": "not-a-uuid"}) == []
    assert titles({"tag": "exports", "kind": "site_visit"}) == []


def test_public_urls_never_use_integer_ids():
    from django.urls import get_resolver

    def routes(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from routes(p.url_patterns, prefix + str(p.pattern))
            else:
                yield prefix + str(p.pattern)

    research_routes = [r for r in routes(get_resolver().url_patterns) if "admin" not in r]
    assert research_routes
    # Positions inside an object (a transcript's line number) may be integers; keys may not.
    keys = re.compile(r"<(?:int:)?(?:pk|id|\w+_id)>")
    assert not [r for r in research_routes if keys.search(r)]
