"""First run, teams and sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from research.demo import conversations as demo_conversations
from research.models import (
    Conversation,
    Highlight,
    Insight,
    InsightFeatureLink,
    Membership,
    Project,
    Role,
    Segment,
    Team,
    TeamTag,
)
from research.services.teams import membership_add
from tests.builders import client_for


@pytest.mark.django_db
def test_first_visit_creates_the_first_administrator_and_team(client):
    assert client.get("/")["Location"] == reverse("research:setup")
    response = client.post(
        reverse("research:setup"),
        {
            "username": "ada",
            "email": "ada@example.com",
            "password": "correct horse battery",
            "team_name": "Plant research",
            "project_name": "Line 3 rollout",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get()
    assert user.is_superuser
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER and membership.team.name == "Plant research"
    assert Project.objects.get(team=membership.team).name == "Line 3 rollout"
    assert "Plant research" in client.get("/").content.decode()
    # Setup is done once a user exists: it sends the signed-in administrator home.
    assert client.get(reverse("research:setup"))["Location"] == reverse("research:dashboard")


@pytest.mark.django_db
def test_setup_rejects_a_weak_password_and_saves_nothing(client):
    response = client.post(
        reverse("research:setup"),
        {
            "username": "ada",
            "password": "12345678",
            "team_name": "T",
            "project_name": "",
        },
    )
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not get_user_model().objects.exists() and not Team.objects.exists()


def test_sign_in_and_out(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw-olivia-123"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post(reverse("logout"))
    assert client.get("/")["Location"].startswith(reverse("login"))


def test_wrong_password_is_refused(client, owner):
    response = client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


@pytest.mark.django_db
def test_user_without_team_is_told_so(client):
    user = get_user_model().objects.create_user("lonely", password="pw-lonely-123")
    client.force_login(user)
    assert client.get("/")["Location"] == reverse("research:no_team")
    assert "not in a team yet" in client.get(reverse("research:no_team")).content.decode()
    assert client.get(reverse("research:conversation_list"))["Location"] == reverse(
        "research:no_team"
    )


def test_switching_team_only_to_ones_you_belong_to(owner, outsider):
    second = Team.objects.create(name="Second team")
    membership_add(team=second, user=owner, role=Role.VIEWER)
    client = client_for(owner)
    assert "Acme Research" in client.get("/").content.decode()
    client.post(reverse("research:team_switch"), {"team": str(second.uid)})
    assert "Second team" in client.get("/").content.decode()
    response = client.post(reverse("research:team_switch"), {"team": str(outsider.team.uid)})
    assert response.status_code == 404
    assert client.post(reverse("research:team_switch"), {"team": "x"}).status_code == 404


@pytest.mark.django_db
def test_seed_demo_fills_a_team_once(capsys):
    call_command("seed_demo", password="demo-pass-123")
    out = capsys.readouterr().out
    assert "as demo with password demo-pass-123" in out
    team = Team.objects.get(name__startswith="Demo")
    # Every conversation the demo describes, with its own title, participants and notes.
    expected = {title for title, *_ in demo_conversations.CONVERSATIONS}
    made = Conversation.objects.filter(team=team)
    assert set(made.values_list("title", flat=True)) == expected
    assert len(expected) == len(demo_conversations.CONVERSATIONS) >= 10
    assert all(c.notes and c.participants.exists() for c in made)
    assert TeamTag.objects.filter(team=team, name="exports").exists()
    # The later domains were seeded on them: transcripts, highlights, insights, features.
    assert Segment.objects.filter(team=team).exists()
    assert Highlight.objects.filter(team=team).count() >= 4
    assert Insight.objects.filter(team=team).count() == 3
    assert InsightFeatureLink.objects.filter(team=team).exists()
    with pytest.raises(CommandError, match="not seeding twice"):
        call_command("seed_demo")
    assert Conversation.objects.filter(team=team).count() == Conversation.objects.count()
