"""Redaction: detectors (units), then review, apply and undo through the pages, with the
[redacted] text everywhere, the audio silenced, and originals purged after 30 days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from research.audio import store as audio_store
from research.models import (
    AuditEvent,
    AuditKind,
    Consent,
    Highlight,
    Person,
    Redaction,
    Segment,
)
from research.privacy import retention
from research.privacy.detect import detect, iban_ok, luhn_ok
from tests.builders import client_for

from .support import max_volume, stored_recording, transcript_of

# PostgreSQL's parser keeps an e-mail address as one word, SQLite's splits it: search for the
# phone number's digits, a word on both.
EMAIL_QUERY = "7946"


def kinds(text, names=()):
    return [(f.kind, f.text) for f in detect(text, names=list(names))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mail ana.lopez@globex.com now", [("email", "ana.lopez@globex.com")]),
        ("see report@2x.png", []),
        ("call +44 20 7946 0958 today", [("phone", "+44 20 7946 0958")]),
        ("call (415) 555-0132", [("phone", "(415) 555-0132")]),
        ("on 2024-05-01 at 10:30", []),
        ("version 2.10.4", []),
        ("card 4111 1111 1111 1111 ok", [("card", "4111 1111 1111 1111")]),
        ("card 4111 1111 1111 1112 typo", []),
        ("IBAN DE89 3704 0044 0532 0130 00.", [("iban", "DE89 3704 0044 0532 0130 00")]),
        ("IBAN DE89 3704 0044 0532 0130 01.", []),
        ("order 1234 5678 9012 3456", []),
        ("amount 1,250.00 dollars", []),
    ],
)
def test_detectors(text, expected):
    assert kinds(text) == expected


def test_checksums_and_names():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")
    assert iban_ok("GB82 WEST 1234 5698 7654 32") and not iban_ok("GB82 WEST 1234 5698 7654 33")
    assert iban_ok("NL91ABNA0417164300") and not iban_ok("NL91ABNA041716430")  # too short
    assert kinds("Ana said so, not Banana.", ["Ana Lopez"]) == [("name", "Ana")]
    assert kinds("I asked Ana Lopez.", ["Ana Lopez"]) == [("name", "Ana Lopez")]


@pytest.fixture
def talk(team, owner, conversation, audio_root, tmp_path):
    ana = Person.objects.create(team=team, name="Ana Lopez")
    conversation.participants.add(ana)
    Consent.objects.create(
        team=team,
        conversation=conversation,
        person=ana,
        given=True,
        may_record=True,
        may_transcribe=True,
        may_quote=True,
        may_quote_outside=True,
    )
    conversation.notes = "Follow up: ana.lopez@globex.com"
    conversation.save()
    recording = stored_recording(conversation, tmp_path)
    transcript = transcript_of(
        recording,
        [
            (0.3, 3.2, "And so my fellow Americans", None),
            (3.3, 7.6, "mail me at ana.lopez@globex.com or 020 7946 0958 please", ana),
            (7.7, 10.9, "what you can do for your country", None),
        ],
    )
    Highlight.objects.create(
        team=team,
        conversation=conversation,
        transcript=transcript,
        quote="mail me at ana.lopez@globex.com",
        start=3.3,
        end=7.6,
        person=ana,
        speaker=ana.name,
    )
    return {"conversation": conversation, "recording": recording, "transcript": transcript}


@pytest.mark.django_db(transaction=True)
def test_review_apply_everywhere_then_undo(talk, owner):
    conversation, transcript = talk["conversation"], talk["transcript"]
    client = client_for(owner)
    url = reverse("research:redaction_review", args=[conversation.uid])
    page = client.get(url)
    keys = [c.key for c in page.context["candidates"]]
    assert [c.kind for c in page.context["candidates"]] == ["email", "phone", "email"]
    assert "<mark>ana.lopez@globex.com</mark>" in page.content.decode()
    search = reverse("research:search")
    assert client.get(search, {"q": EMAIL_QUERY}).context["found"].total == 1

    assert client.post(url, {"finding": keys}).status_code == 302
    line = Segment.objects.get(transcript=transcript, index=1)
    assert line.text == "mail me at [redacted] or [redacted] please"
    words = [w[2] for w in line.words]
    assert words == [" mail", " me", " at", " [redacted]", " or", " [redacted]", " please"]
    conversation.refresh_from_db()
    assert conversation.notes == "Follow up: [redacted]"
    assert Highlight.objects.get().quote == "mail me at [redacted]"
    assert client.get(search, {"q": EMAIL_QUERY}).context["found"].total == 0
    export = reverse("research:transcript_export", args=[transcript.uid, "txt"])
    body = client.get(export).content.decode()
    assert "[redacted]" in body and "globex" not in body and "7946" not in body
    detail = client.get(conversation.get_absolute_url()).content.decode()
    assert "globex" not in detail and "[redacted]" in detail
    # The played and downloaded audio is silent under the address, the original kept for undo.
    recording = talk["recording"]
    assert audio_store.playback_file(recording) == audio_store.masked_path(recording)
    word = line.words[3]
    assert max_volume(audio_store.masked_path(recording), word[0] + 0.05, word[1] - 0.05) < -80
    assert max_volume(audio_store.masked_path(recording), 0.5, 3.0) > -40
    assert AuditEvent.objects.filter(kind=AuditKind.REDACTION).count() == 1
    assert "globex" not in AuditEvent.objects.get(kind=AuditKind.REDACTION).summary

    # The owner undoes it: every text back, the masked copy gone.
    batch = Redaction.objects.values_list("batch", flat=True).first()
    undo = reverse("research:redaction_undo", args=[conversation.uid, batch])
    assert client.post(undo).status_code == 302
    line.refresh_from_db()
    assert line.text == "mail me at ana.lopez@globex.com or 020 7946 0958 please"
    assert Highlight.objects.get().quote == "mail me at ana.lopez@globex.com"
    assert not Redaction.objects.exists()
    assert not audio_store.masked_path(recording).exists()
    assert client.get(search, {"q": EMAIL_QUERY}).context["found"].total == 1


@pytest.mark.django_db
def test_bad_redaction_input_is_refused_and_nothing_changes(talk, owner, teammate):
    conversation = talk["conversation"]
    url = reverse("research:redaction_review", args=[conversation.uid])
    client = client_for(owner)
    for data in ({}, {"finding": "s:nonsense:0:4"}, {"finding": "n:0:999"}):
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert not Redaction.objects.exists()
    assert "globex" in Segment.objects.get(index=1).text
    missing = reverse(
        "research:redaction_undo", args=[conversation.uid, "7d7e2d5c-1a3c-4c55-9f8e-000000000000"]
    )
    assert client.post(missing).status_code == 404
    # An editor applies but cannot undo.
    keys = [c.key for c in client.get(url).context["candidates"]]
    assert client_for(teammate).post(url, {"finding": keys[:1]}).status_code == 302
    batch = Redaction.objects.values_list("batch", flat=True).first()
    undo = reverse("research:redaction_undo", args=[conversation.uid, batch])
    assert client_for(teammate).post(undo).status_code == 403
    assert Redaction.objects.count() == 2  # the line and the highlight quoting it


@pytest.mark.django_db(transaction=True)
def test_after_30_days_the_original_is_gone_for_good(talk, owner, team):
    conversation = talk["conversation"]
    client = client_for(owner)
    url = reverse("research:redaction_review", args=[conversation.uid])
    keys = [c.key for c in client.get(url).context["candidates"] if c.key.startswith("s:")]
    client.post(url, {"finding": keys})
    later = timezone.now() + datetime.timedelta(days=31)
    assert (
        retention.retention_run(team=team, now=later - datetime.timedelta(days=2)).redactions_purged
        == 0
    )
    run = retention.retention_run(team=team, now=later)
    assert run.redactions_purged == 2
    assert set(Redaction.objects.values_list("original", flat=True)) == {""}
    # The words are silenced in the recording itself now, and undo is refused.
    recording = talk["recording"]
    word = Segment.objects.get(index=1).words[3]
    assert max_volume(audio_store.path_of(recording), word[0] + 0.05, word[1] - 0.05) < -80
    assert not audio_store.masked_path(recording).exists()
    batch = Redaction.objects.values_list("batch", flat=True).first()
    undo = reverse("research:redaction_undo", args=[conversation.uid, batch])
    response = client.post(undo)
    assert response.status_code == 409 and b"30 days" in response.content
    assert "[redacted]" in Segment.objects.get(index=1).text


@pytest.mark.django_db
def test_older_transcript_versions_are_redacted_too(talk, owner):
    from tests.builders import retranscribe

    conversation, old = talk["conversation"], talk["transcript"]
    newer = retranscribe(old, {})
    client = client_for(owner)
    url = reverse("research:redaction_review", args=[conversation.uid])
    candidates = client.get(url).context["candidates"]
    # Only the newest version is reviewed...
    assert {c.segment.transcript_id for c in candidates if c.segment} == {newer.pk}
    client.post(url, {"finding": [c.key for c in candidates]})
    # ...but the same words go from every version, undone together.
    for transcript in (old, newer):
        line = Segment.objects.get(transcript=transcript, index=1)
        assert "globex" not in line.text and "7946" not in line.text, transcript.version
        assert "globex" not in str(line.words)
    batch = Redaction.objects.values_list("batch", flat=True).first()
    client.post(reverse("research:redaction_undo", args=[conversation.uid, batch]))
    assert "globex" in Segment.objects.get(transcript=old, index=1).text
