"""The team glossary page, its rules, and the hints a transcription gets from it."""

import uuid

import pytest
from django.urls import reverse

from research.models import GlossaryTerm, Person, TermKind
from research.selectors.glossary import MAX_HINT_CHARS, transcription_hints
from research.services.glossary import glossary_term_add
from tests.builders import client_for, interview


def test_editor_adds_a_term_and_everyone_in_the_team_reads_it(team, teammate, viewer):
    response = client_for(teammate).post(
        reverse("research:glossary_add"),
        {"term": "  Zentrix   Cloud ", "kind": "product", "note": "our sync product"},
    )
    assert response.status_code == 302
    entry = GlossaryTerm.objects.get(team=team)
    assert (entry.term, entry.kind, entry.note) == ("Zentrix Cloud", "product", "our sync product")
    body = client_for(viewer).get(reverse("research:glossary_list")).content.decode()
    assert "Zentrix Cloud" in body and "our sync product" in body
    assert reverse("research:glossary_add") not in body  # viewers see no form
    assert "Delete" not in body


@pytest.mark.parametrize(
    "data, message",
    [
        ({"term": "", "kind": "product"}, "This field is required"),
        ({"term": "   ", "kind": "product"}, "This field is required"),
        ({"term": "Quorvel", "kind": "planet"}, "valid choice"),
        ({"term": "x" * 81, "kind": "jargon"}, "at most 80"),
        ({"term": "BLENPORT", "kind": "customer"}, "in the glossary already"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_saved(team, teammate, data, message):
    glossary_term_add(team=team, term="Blenport", kind=TermKind.CUSTOMER)
    response = client_for(teammate).post(reverse("research:glossary_add"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(GlossaryTerm.objects.values_list("term", flat=True)) == ["Blenport"]


def test_viewer_cannot_add_or_delete(team, viewer):
    entry = glossary_term_add(team=team, term="Vostrel", kind=TermKind.JARGON)
    client = client_for(viewer)
    add = client.post(reverse("research:glossary_add"), {"term": "Mirelda", "kind": "person"})
    delete = client.post(reverse("research:glossary_delete", kwargs={"uid": entry.uid}))
    assert (add.status_code, delete.status_code) == (403, 403)
    assert list(GlossaryTerm.objects.values_list("term", flat=True)) == ["Vostrel"]


def test_delete_needs_a_term_of_this_team(team, teammate, outsider):
    mine = glossary_term_add(team=team, term="Trevanta", kind=TermKind.CUSTOMER)
    theirs = glossary_term_add(team=outsider.team, term="Trevanta", kind=TermKind.CUSTOMER)
    client = client_for(teammate)
    for uid in (theirs.uid, uuid.uuid4()):
        url = reverse("research:glossary_delete", kwargs={"uid": uid})
        assert client.post(url).status_code == 404
    assert GlossaryTerm.objects.count() == 2
    url = reverse("research:glossary_delete", kwargs={"uid": mine.uid})
    assert client.post(url).status_code == 302
    assert list(GlossaryTerm.objects.values_list("team", flat=True)) == [outsider.team.pk]
    assert client.get("/team/glossary/not-a-uuid/delete/").status_code == 404


def test_hints_hold_participants_then_terms_once_each_and_no_other_team(team, owner, outsider):
    conversation, _, person = interview(team, owner, person_name="Ana Zelinski")
    conversation.participants.add(Person.objects.create(team=team, name="Bo Quist"))
    glossary_term_add(team=team, term="Quorvel", kind=TermKind.PRODUCT)
    glossary_term_add(team=team, term="ana zelinski", kind=TermKind.PERSON)
    glossary_term_add(team=outsider.team, term="Secretly", kind=TermKind.JARGON)
    hints = transcription_hints(team=team, conversation=conversation)
    assert hints == "Ana Zelinski, Bo Quist, Quorvel"
    assert transcription_hints(team=team) == "ana zelinski, Quorvel"


def test_hints_are_cut_to_what_the_prompt_holds(team):
    for i in range(40):
        glossary_term_add(team=team, term=f"Term{i:02d} with a long tail", kind=TermKind.JARGON)
    hints = transcription_hints(team=team)
    assert len(hints) <= MAX_HINT_CHARS and hints.startswith("Term00 with a long tail, ")
    assert "Term39" not in hints


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_worker_hears_the_teams_glossary(owner_client, conversation, audio_root):
    """Upload, real worker, real model: the glossary reaches the job as hints."""
    from django.core.management import call_command

    from research.models import Transcript
    from tests.builders import FIXTURES, upload

    glossary_term_add(team=conversation.team, term="Quorvel", kind=TermKind.PRODUCT)
    glossary_term_add(team=conversation.team, term="Trevanta", kind=TermKind.CUSTOMER)
    assert upload(owner_client, conversation, FIXTURES / "glossary.flac").status_code == 302
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0.1", verbosity=0)
    segments = Transcript.objects.get().segments.order_by("index")
    text = " ".join(s.text for s in segments)
    assert "Quorvel" in text and "Trevanta" in text
