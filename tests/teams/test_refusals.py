"""Pages that refuse or do not exist: in the app's layout with its navigation and a way back,
saying why (and, for a refusal, whom to ask)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from research.models import Person
from tests.builders import client_for, upload

pytestmark = pytest.mark.django_db


def assert_in_layout(response, status: int):
    body = response.content.decode()
    assert response.status_code == status, body[:500]
    assert f"Error {status}" in body
    # The app's navigation and a way back.
    assert '<nav class="bar main-nav"' in body
    assert f'href="{reverse("research:project_list")}"' in body
    assert "Back to" in body
    return body


def test_a_missing_page_is_404_in_the_layout(owner):
    response = client_for(owner).get("/conversations/not-a-page/")
    body = assert_in_layout(response, 404)
    assert "This page does not exist" in body


def test_another_teams_object_is_a_404_in_the_layout(owner, outsider, conversation):
    response = client_for(outsider).get(conversation.get_absolute_url())
    assert_in_layout(response, 404)


def test_a_viewer_is_told_why_and_whom_to_ask(viewer, owner):
    person = Person.objects.create(team=viewer.team, name="Ana")
    response = client_for(viewer).post(reverse("research:person_edit", args=[person.uid]))
    body = assert_in_layout(response, 403)
    assert "Viewers can read but not change; ask an owner of Acme Research (olivia)" in body


def test_an_editor_is_told_only_owners_manage_members(teammate):
    response = client_for(teammate).get(reverse("research:audit_trail"))
    body = assert_in_layout(response, 403)
    assert "Only owners of Acme Research manage its members" in body


def test_a_script_gets_the_refusal_as_json(viewer):
    person = Person.objects.create(team=viewer.team, name="Ana")
    response = client_for(viewer).post(
        reverse("research:person_edit", args=[person.uid]), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"].startswith("Viewers can read but not change")


def test_a_bad_request_is_400_in_the_layout(owner):
    response = client_for(owner).get("/", HTTP_HOST="not-allowed.example")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Error 400" in body and "Back to" in body


def test_a_refused_upload_is_415_with_the_way_back(owner, conversation, audio_root, tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("not audio at all\n" * 20)
    response = upload(client_for(owner), conversation, text)
    body = assert_in_layout(response, 415)
    assert f"Back to {conversation.title}" in body


def test_a_too_large_upload_is_413_with_the_way_back(
    owner, conversation, audio_root, tmp_path, settings
):
    settings.FIELDNOTES_MAX_UPLOAD_BYTES = 1000
    big = tmp_path / "long.wav"
    big.write_bytes(b"RIFF" + b"\0" * 5000)
    response = upload(client_for(owner), conversation, big)
    body = assert_in_layout(response, 413)
    assert "larger than the limit" in body


def test_a_server_error_is_500_in_the_layout(owner, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database fell over")

    monkeypatch.setattr("research.views.teams.dashboard_data", broken)
    client = client_for(owner)
    client.raise_request_exception = False
    body = assert_in_layout(client.get("/"), 500)
    assert "Something went wrong on our side" in body
    assert "fell over" not in body


def test_setup_after_setup_sends_a_visitor_to_sign_in(owner, client):
    response = client.get(reverse("research:setup"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    body = response.content.decode()
    assert "Fieldnotes is already set up: sign in" in body
    assert get_user_model().objects.count() == 1


def test_setup_after_setup_sends_a_member_home(owner):
    response = client_for(owner).get(reverse("research:setup"))
    assert response["Location"] == reverse("research:dashboard")
