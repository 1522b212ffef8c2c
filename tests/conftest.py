import pytest
from django.contrib.auth import get_user_model

from research.models import Role
from research.services.teams import membership_add, team_create


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness buys nothing in tests and costs most of their setup time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def search_helper_connections_closed():
    # A search outside a transaction (live-server tests) may open helper connections on
    # PostgreSQL; left open, they keep the test database from being dropped.
    yield
    from research.search import parallel

    parallel.shutdown()


@pytest.fixture
def owner(db):
    user = get_user_model().objects.create_user("olivia", "olivia@example.com", "pw-olivia-123")
    user.team = team_create(name="Acme Research", owner=user)
    return user


@pytest.fixture
def team(owner):
    return owner.team


@pytest.fixture
def teammate(team):
    user = get_user_model().objects.create_user("tom", "tom@example.com", "pw-tom-12345")
    membership_add(team=team, user=user, role=Role.EDITOR)
    user.team = team
    return user


@pytest.fixture
def viewer(team):
    user = get_user_model().objects.create_user("vera", "vera@example.com", "pw-vera-12345")
    membership_add(team=team, user=user, role=Role.VIEWER)
    user.team = team
    return user


@pytest.fixture
def outsider(db):
    user = get_user_model().objects.create_user("oscar", "oscar@example.com", "pw-oscar-123")
    user.team = team_create(name="Other Corp", owner=user)
    return user


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def client_for(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c
