import pytest
from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from research.models import Conversation, Project, Role
from research.services.teams import membership_add, team_create


@pytest.fixture(autouse=True, scope="session")
def static_files_from_the_source():
    """Pages link static/ itself through WhiteNoise's finders, never the hashed copies an
    earlier `make run` collected (they would be stale, or missing for a new file)."""
    plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": plain},
    }
    with override_settings(STORAGES=storages, WHITENOISE_USE_FINDERS=True):
        yield


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


@pytest.fixture
def audio_root(settings, tmp_path):
    root = tmp_path / "audio"
    root.mkdir()
    settings.AUDIO_ROOT = root
    return root


@pytest.fixture
def conversation(team, owner):
    project = Project.objects.create(team=team, name="Field study", slug="field-study")
    return Conversation.objects.create(
        team=team, project=project, title="Visit at the bakery", created_by=owner
    )
