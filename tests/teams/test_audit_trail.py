import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from research.models import AuditEvent, AuditKind, Membership
from research.services.audit import audit_record
from tests.builders import client_for


@pytest.mark.django_db
def test_the_audit_trail_is_append_only(owner, team):
    event = audit_record(
        kind=AuditKind.ROLE, summary="tom: editor -> viewer", team=team, actor=owner
    )
    assert event.actor_name == "olivia"
    event.summary = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(team=team).update(summary="x")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(team=team).delete()
    assert AuditEvent.objects.get().summary == "tom: editor -> viewer"


def _events(team, owner, teammate, count):
    for i in range(count):
        audit_record(
            kind=AuditKind.EXPORT if i % 2 else AuditKind.SIGN_IN,
            summary=f"event {i}",
            team=team,
            actor=teammate if i % 3 == 0 else owner,
        )


def _rows(body: str) -> list[str]:
    return re.findall(r"<td>(event \d+)</td>", body)


@pytest.mark.django_db
def test_owners_read_the_trail_newest_first_a_page_at_a_time(owner, team, teammate):
    client = client_for(owner)  # signing in is the oldest event
    _events(team, owner, teammate, 120)
    body = client.get(reverse("research:audit_trail")).content.decode()
    assert _rows(body)[:3] == ["event 119", "event 118", "event 117"]
    assert len(_rows(body)) == 50 and "Page 1 of 3" in body
    last = client.get(reverse("research:audit_trail"), {"page": 3}).content.decode()
    assert len(_rows(last)) == 20 and _rows(last)[-1] == "event 0"


@pytest.mark.django_db
def test_filters_by_person_and_kind(owner, team, teammate):
    client = client_for(owner)
    _events(team, owner, teammate, 30)
    tom = Membership.objects.get(user=teammate)
    body = client.get(
        reverse("research:audit_trail"), {"person": str(tom.uid), "kind": "export"}
    ).content.decode()
    expected = [f"event {i}" for i in reversed(range(30)) if i % 3 == 0 and i % 2]
    assert _rows(body) == expected


@pytest.mark.django_db
def test_the_page_reads_in_constant_queries(owner, team, teammate):
    client = client_for(owner)
    _events(team, owner, teammate, 5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("research:audit_trail"))
    _events(team, owner, teammate, 60)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("research:audit_trail"))
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "query",
    [
        {"person": "notauuid"},
        {"person": "00000000-0000-0000-0000-000000000000"},
        {"kind": "nonsense"},
    ],
)
@pytest.mark.django_db
def test_a_bad_filter_is_400(owner, outsider, query):
    response = client_for(owner).get(reverse("research:audit_trail"), query)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


@pytest.mark.django_db
def test_another_teams_member_is_not_a_filter(owner, outsider):
    theirs = Membership.objects.get(user=outsider)
    response = client_for(owner).get(reverse("research:audit_trail"), {"person": str(theirs.uid)})
    assert response.status_code == 400


@pytest.mark.django_db
def test_only_owners_read_it_and_only_their_teams(owner, team, teammate, viewer, outsider):
    audit_record(kind=AuditKind.EXPORT, summary="ours", team=team, actor=owner)
    audit_record(kind=AuditKind.EXPORT, summary="theirs", team=outsider.team, actor=outsider)
    for user in (teammate, viewer):
        assert client_for(user).get(reverse("research:audit_trail")).status_code == 403
    body = client_for(owner).get(reverse("research:audit_trail")).content.decode()
    assert "<td>ours</td>" in body and "theirs" not in body


@pytest.mark.django_db
def test_the_team_page_links_it_for_owners_only(owner, teammate):
    link = reverse("research:audit_trail")
    assert link in client_for(owner).get(reverse("research:team_members")).content.decode()
    assert link not in client_for(teammate).get(reverse("research:team_members")).content.decode()
