"""Every research URL: a member gets in, an outsider gets 404, an anonymous visitor signs in."""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import access
from tests.builders import client_for

NAMESPACE = "research"


def research_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and namespace == NAMESPACE and p.name:
                names.add(p.name)

    walk(get_resolver().url_patterns)
    return names


def all_cases(team, owner) -> dict:
    """Every domain module's cases (tests/access/<domain>.py), each URL name once."""
    cases = {}
    for module in pkgutil.iter_modules(access.__path__):
        if module.name.startswith("test_"):
            continue
        built = importlib.import_module(f"tests.access.{module.name}").build(team, owner)
        overlap = set(cases) & set(built)
        assert not overlap, f"URL names covered twice: {overlap}"
        cases.update(built)
    return cases


def _call(client, name, case):
    url = reverse(f"{NAMESPACE}:{name}", kwargs=case.kwargs)
    if case.query:
        url = f"{url}?{case.query}"
    return getattr(client, case.method)(url, case.data)


@pytest.mark.django_db
def test_every_research_url_is_in_the_matrix(team, owner):
    missing = research_url_names() - set(all_cases(team, owner))
    assert not missing, f"add these URL names to tests/access/: {sorted(missing)}"


@pytest.mark.django_db
def test_outsider_gets_404_everywhere(team, owner, outsider):
    client = client_for(outsider)
    for name, case in all_cases(team, owner).items():
        if case.skip or not case.kwargs:
            continue
        response = _call(client, name, case)
        assert response.status_code == 404, (name, response.status_code)


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(team, owner, client):
    for name, case in all_cases(team, owner).items():
        if case.skip:
            continue
        response = _call(client, name, case)
        assert response.status_code == 302, (name, response.status_code)
        assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
def test_member_gets_in(team, owner, teammate):
    client = client_for(teammate)
    for name, case in all_cases(team, owner).items():
        if case.skip:
            continue
        response = _call(client, name, case)
        assert response.status_code == case.member_status, (name, response.status_code)


@pytest.mark.django_db
def test_outsider_lists_never_show_other_team_data(team, owner, outsider):
    all_cases(team, owner)
    client = client_for(outsider)
    for name in [
        "dashboard",
        "conversation_list",
        "project_list",
        "person_list",
        "organization_list",
    ]:
        body = client.get(reverse(f"{NAMESPACE}:{name}")).content.decode()
        assert "Matrix" not in body, name
