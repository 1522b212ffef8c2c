import pytest

from research.models import AuditEvent, AuditKind
from research.services.audit import audit_record


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
