"""The site visit on a phone: the project is preselected when the team has one, the signed-in
user is ticked as interviewer, and Record on an empty form marks what is missing."""

import re

import pytest
from django.urls import reverse

from research.models import Conversation, Project
from tests.browser_support import chromium, sign_in
from tests.builders import client_for

URL = "/visits/new/"


@pytest.mark.django_db
def test_the_only_project_is_preselected_and_the_user_ticked(owner, teammate, team):
    project = Project.objects.create(team=team, name="Depot study", slug="depot")
    body = client_for(owner).get(URL).content.decode()
    assert re.search(rf'<option value="{project.uid}" selected>Depot study</option>', body)
    ticked = re.findall(
        r'<input type="checkbox" name="interviewers" value="(\d+)"[^>]*checked', body
    )
    assert ticked == [str(owner.pk)]


@pytest.mark.django_db
def test_with_two_projects_none_is_guessed(owner, team):
    Project.objects.create(team=team, name="One", slug="one")
    Project.objects.create(team=team, name="Two", slug="two")
    body = client_for(owner).get(URL).content.decode()
    select = body.split('name="project"')[1].split("</select>")[0]
    assert re.findall(r'value="([^"]*)" selected', select) == [""]


@pytest.mark.django_db
def test_the_visit_keeps_the_interviewers_chosen(owner, teammate, team):
    project = Project.objects.create(team=team, name="Depot study", slug="depot")
    response = client_for(owner).post(
        URL,
        {"title": "Depot at dawn", "project": str(project.uid), "interviewers": [teammate.pk]},
    )
    assert response.status_code == 302
    visit = Conversation.objects.get(title="Depot at dawn")
    assert list(visit.interviewers.all()) == [teammate]


@pytest.mark.django_db
def test_an_empty_visit_says_what_is_missing_and_saves_nothing(owner):
    response = client_for(owner).post(URL, {}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "Fill in first: Title, Project"
    assert set(response.json()["fields"]) == {"title", "project"}
    assert not Conversation.objects.exists()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_record_on_an_empty_form_marks_the_fields_on_a_phone(live_server, owner, team):
    from playwright.sync_api import expect

    # ORM calls stay outside the browser block: inside Playwright's greenlet they would open a
    # connection of their own that outlives the test (PostgreSQL then cannot drop its database).
    project = Project.objects.create(team=team, name="Depot study", slug="depot")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 800}, has_touch=True)
        sign_in(page, live_server.url, "olivia", "pw-olivia-123")
        page.goto(live_server.url + reverse("research:site_visit"))
        expect(page.locator("#id_project")).to_have_value(str(project.uid))
        expect(page.get_by_label("olivia")).to_be_checked()
        page.click("[data-record]")
        expect(page.locator("[data-rec-state]")).to_have_text("Fill in first: Title")
        expect(page.locator("#id_title")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#title-js-error")).to_have_text("This field is required.")
        expect(page.locator("#id_title")).to_be_focused()
        # Nothing was saved, and the button is ready again.
        expect(page.locator("[data-record]")).to_be_enabled()
    assert not Conversation.objects.exists()
