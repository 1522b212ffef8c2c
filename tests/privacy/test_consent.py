"""Consent that does something: recording refused, transcription waiting then queued by the
consent, quotes refused, withdrawn people hidden from pages, search, exports and audio."""

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from research.audio import store as audio_store
from research.models import (
    AuditEvent,
    AuditKind,
    Consent,
    Highlight,
    Insight,
    JobStatus,
    Person,
    Project,
    Recording,
    Segment,
    TranscriptionJob,
)
from research.privacy.masking import masked_copies_refresh
from research.selectors.insights import insight_strengths
from research.services.tags import tags_set
from tests.builders import JFK, files_under, interview, upload

from .support import max_volume, stored_recording, transcript_of

ALL = {
    "given": "on",
    "may_record": "on",
    "may_transcribe": "on",
    "may_quote": "on",
    "may_quote_outside": "on",
}


@pytest.fixture
def bea(team, conversation):
    person = Person.objects.create(team=team, name="Bea Unknown")
    conversation.participants.add(person)
    return person


def consent_url(conversation):
    return reverse("research:consent_record", args=[conversation.uid])


@pytest.mark.django_db
def test_unknown_consent_is_amber_and_says_who_is_missing(owner_client, conversation, bea):
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert 'class="badge warn" title="No consent recorded">consent unknown' in page
    assert "consent to recording is given by: <strong>Bea Unknown" in page
    assert "consent to transcription is given by: <strong>Bea Unknown" in page
    assert 'id="capture-blocked"' in page and "data-recorder" not in page


@pytest.mark.django_db
def test_upload_and_recording_refused_without_recording_consent(
    owner_client, conversation, bea, audio_root
):
    response = upload(owner_client, conversation, JFK)
    assert response.status_code == 403
    assert "Consent to recording is missing for: Bea Unknown" in response.content.decode()
    assert f"{conversation.get_absolute_url()}#consent" in response.content.decode()
    start = owner_client.post(
        reverse("research:recording_start", args=[conversation.uid]),
        {"mime": "audio/webm"},
        HTTP_ACCEPT="application/json",
    )
    assert start.status_code == 403
    assert start.json()["error"].startswith("Consent to recording is missing for: Bea")
    assert start.json()["consent_url"].endswith("#consent")
    assert not Recording.objects.exists()
    assert [f for f in files_under(audio_root) if not f.startswith("incoming")] == []


@pytest.mark.django_db(transaction=True)
def test_transcription_waits_for_consent_then_is_queued(
    owner_client, conversation, bea, audio_root
):
    scopes = {"person": bea.uid, "given": "on", "may_record": "on"}
    assert owner_client.post(consent_url(conversation), scopes).status_code == 302
    assert upload(owner_client, conversation, JFK).status_code == 302
    job = TranscriptionJob.objects.get()
    assert job.status == JobStatus.WAITING and job.task_id == ""
    assert not DBTaskResult.objects.filter(args_kwargs__args=[job.pk]).exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Waiting for consent to transcription from Bea Unknown" in page
    status = owner_client.get(reverse("research:recording_status", args=[job.recording.uid]))
    assert "Waiting for consent to transcription from Bea Unknown" in status.content.decode()
    # Consent to transcription queues it, and its task is sent once that commits.
    assert (
        owner_client.post(consent_url(conversation), {**scopes, "may_transcribe": "on"}).status_code
        == 302
    )
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.task_id
    assert DBTaskResult.objects.filter(id=job.task_id).exists()
    kinds = list(
        AuditEvent.objects.filter(kind=AuditKind.CONSENT).values_list("summary", flat=True)
    )
    assert len(kinds) == 2 and "transcribe" in kinds[0] and "Bea" not in " ".join(kinds)


@pytest.mark.django_db
def test_a_quote_needs_the_speakers_consent(owner_client, team, owner):
    conversation, transcript, ana = interview(team, owner)
    Consent.objects.filter(person=ana).update(may_quote=False)
    url = reverse("research:highlight_create", args=[conversation.uid])
    data = {"quote": "Exporting to Excel", "transcript": transcript.uid, "start": 0, "end": 5}
    response = owner_client.post(url, data)
    assert response.status_code == 400
    assert "Ana did not consent to being quoted" in response.content.decode()
    assert not Highlight.objects.exists()
    Consent.objects.filter(person=ana).update(may_quote=True)
    assert owner_client.post(url, data).status_code == 302
    assert Highlight.objects.get().person == ana


@pytest.mark.django_db
def test_exports_leave_out_people_without_consent_to_quote_outside(owner_client, team, owner):
    conversation, transcript, ana = interview(team, owner)
    Consent.objects.filter(person=ana).update(may_quote_outside=False)
    url = reverse("research:transcript_export", args=[transcript.uid, "vtt"])
    body = owner_client.get(url).content.decode()
    assert "pivot table" not in body and "What do you do with the export?" in body
    assert "NOTE 3 lines were left out: consent does not cover quoting outside the team." in body
    Consent.objects.filter(person=ana).update(may_quote_outside=True)
    body = owner_client.get(url).content.decode()
    assert "pivot table" in body and "left out" not in body


@pytest.mark.django_db(transaction=True)
def test_withdrawal_hides_lines_quotes_search_exports_and_audio(
    owner_client, team, owner, conversation, audio_root, tmp_path
):
    ana = Person.objects.create(team=team, name="Ana Withdraws")
    ben = Person.objects.create(team=team, name="Ben Stays")
    conversation.participants.add(ana, ben)
    for person in (ana, ben):
        owner_client.post(consent_url(conversation), {"person": person.uid, **ALL})
    recording = stored_recording(conversation, tmp_path)
    transcript = transcript_of(
        recording,
        [
            (0.3, 3.2, "And so my fellow Americans", ben),
            (3.3, 7.6, "ask not what your quokkaland can do", ana),
        ],
    )
    Highlight.objects.create(
        team=team,
        conversation=conversation,
        transcript=transcript,
        quote="quokkaland",
        start=3.3,
        end=7.6,
        person=ana,
        speaker=ana.name,
    )
    search = reverse("research:search")
    assert owner_client.get(search, {"q": "quokkaland"}).context["found"].total == 2
    consent = Consent.objects.get(person=ana)
    url = reverse("research:consent_withdraw", args=[conversation.uid, consent.uid])
    assert owner_client.post(url).status_code == 302

    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "quokkaland" not in page and "fellow" in page
    assert "Ana Withdraws</strong> withdrew consent" in page
    assert reverse("research:person_erase", args=[ana.uid]) in page
    assert owner_client.get(search, {"q": "quokkaland"}).context["found"].total == 0
    export = reverse("research:transcript_export", args=[transcript.uid, "txt"])
    assert "quokkaland" not in owner_client.get(export).content.decode()
    # The audio served is a masked copy: her words silent, his still there.
    masked = audio_store.masked_path(recording)
    assert masked.is_file() and audio_store.playback_file(recording) == masked
    assert max_volume(masked, 3.4, 7.5) < -80 and max_volume(masked, 0.5, 3.0) > -40
    assert max_volume(audio_store.path_of(recording), 3.4, 7.5) > -40  # original untouched
    # Were the copy lost, the audio view makes it again before serving anything.
    masked.unlink()
    audio_url = reverse("research:recording_audio", args=[recording.uid])
    served = owner_client.get(audio_url)
    assert served.status_code == 200 and masked.is_file()
    assert b"".join(served.streaming_content) == masked.read_bytes()
    assert AuditEvent.objects.filter(kind=AuditKind.CONSENT, summary__contains="withdrawn").exists()

    # Keeping an anonymised transcript: her lines read "Participant 1", her voice silenced.
    anonymise = reverse("research:participant_anonymise", args=[conversation.uid, ana.uid])
    assert owner_client.post(anonymise).status_code == 302
    line = Segment.objects.get(transcript=transcript, index=1)
    assert (line.person, line.speaker) == (None, "Participant 1")
    assert max_volume(audio_store.path_of(recording), 3.4, 7.5) < -80
    assert not masked.exists()
    page = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert "Participant 1" in page and "Ana Withdraws" not in page


@pytest.mark.django_db
def test_anonymise_refuses_a_participant_who_did_not_withdraw(owner_client, team, owner):
    conversation, transcript, ana = interview(team, owner)
    url = reverse("research:participant_anonymise", args=[conversation.uid, ana.uid])
    response = owner_client.post(url)
    assert response.status_code == 409
    assert b"Only a participant who withdrew consent" in response.content
    assert Segment.objects.filter(person=ana).count() == 3
    missing = reverse("research:participant_anonymise", args=[conversation.uid, owner.team.uid])
    assert owner_client.post(missing).status_code == 404


@pytest.mark.django_db
def test_masked_copy_goes_when_consent_is_given_again(team, conversation, audio_root, tmp_path):
    ana = Person.objects.create(team=team, name="Ana")
    conversation.participants.add(ana)
    recording = stored_recording(conversation, tmp_path)
    transcript_of(recording, [(1.0, 3.0, "hello", ana)])
    Consent.objects.create(
        team=team,
        conversation=conversation,
        person=ana,
        given=True,
        withdrawn_at="2026-01-01T00:00Z",
    )
    assert masked_copies_refresh(conversation=conversation) == 1
    Consent.objects.filter(person=ana).update(withdrawn_at=None)
    assert masked_copies_refresh(conversation=conversation) == 0
    assert not audio_store.masked_path(recording).exists()


@pytest.mark.django_db
def test_withdrawn_quotes_leave_insights_themes_and_their_strength(owner_client, team, owner):
    conversation, transcript, ana = interview(team, owner)
    highlight = Highlight.objects.create(
        team=team,
        conversation=conversation,
        transcript=transcript,
        quote="I rebuild the same pivot table",
        start=20.0,
        end=29.5,
        person=ana,
        speaker="Ana",
    )
    tags_set(obj=highlight, names=["reporting"])
    insight = Insight.objects.create(team=team, title="Reports are rebuilt by hand")
    insight.highlights.add(highlight)
    board = reverse("research:theme_board") + "?tag=reporting"
    pages = [insight.get_absolute_url(), board, reverse("research:tag_detail", args=["reporting"])]
    for url in pages:
        assert "pivot table" in owner_client.get(url).content.decode(), url
    assert len(insight_strengths([insight.pk])[insight.pk].highlights) == 1

    consent = Consent.objects.get(person=ana)
    owner_client.post(reverse("research:consent_withdraw", args=[conversation.uid, consent.uid]))
    for url in pages:
        assert "pivot table" not in owner_client.get(url).content.decode(), url
    strength = insight_strengths([insight.pk])[insight.pk]
    assert len(strength.highlights) == 0 and strength.quotes == []


@pytest.mark.django_db
def test_a_brief_for_outside_leaves_out_quotes_without_consent(owner_client, team, owner):
    conversation, transcript, ana = interview(team, owner)
    ben = Person.objects.create(team=team, name="Ben Inside")
    conversation.participants.add(ben)
    Consent.objects.create(
        team=team, conversation=conversation, person=ben, given=True, may_quote=True
    )
    insight = Insight.objects.create(team=team, title="Reports are rebuilt by hand")
    for person, quote in ((ana, "I rebuild the same pivot table"), (ben, "We never look at it")):
        insight.highlights.add(
            Highlight.objects.create(
                team=team, conversation=conversation, quote=quote, person=person
            )
        )
    url = reverse("research:insight_brief", args=[insight.uid])
    body = owner_client.get(url).content.decode()
    assert body.startswith("# Reports are rebuilt by hand")
    assert "> I rebuild the same pivot table" in body and "We never look at it" not in body
    assert "1 quote was left out: consent does not cover quoting outside the team." in body
    assert "Ana" not in body and "Ben" not in body  # a brief names no one
    Consent.objects.filter(person=ana).update(may_quote_outside=False)
    body = owner_client.get(url).content.decode()
    assert "pivot table" not in body and "2 quotes were left out" in body


@pytest.mark.django_db
@pytest.mark.parametrize("ticked, status", [(False, 403), (True, 201)])
def test_site_visit_records_only_with_everyones_verbal_consent(
    owner_client, team, audio_root, ticked, status
):
    project = Project.objects.create(team=team, name="Mills", slug="mills")
    ana = Person.objects.create(team=team, name="Ana Onsite")
    data = {"title": "Mill visit", "project": project.uid, "who": [ana.uid]}
    if ticked:
        data["verbal_consent"] = "on"
    saved = owner_client.post(
        reverse("research:site_visit"), data, HTTP_ACCEPT="application/json"
    ).json()
    start = owner_client.post(
        saved["start_url"], {"mime": "audio/webm"}, HTTP_ACCEPT="application/json"
    )
    assert start.status_code == status
    consent = Consent.objects.filter(person=ana).first()
    if ticked:
        assert consent.may_record and consent.may_transcribe and consent.method == "verbal"
        assert not consent.may_quote  # quoting was not asked on the spot
    else:
        assert consent is None and "Ana Onsite" in start.json()["error"]
        assert not Recording.objects.exists()
