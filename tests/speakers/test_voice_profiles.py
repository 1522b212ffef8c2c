"""Voice profiles: built only under a consent that covers them, suggested and applied on later
transcripts, deleted at once when that consent goes or the person is deleted."""

import pytest
from django.urls import reverse

from research.models import AuditEvent, Person, Project, VoiceProfile
from research.services.conversations import (
    consent_record,
    consent_withdraw,
    conversation_create,
)
from research.services.directory import person_delete
from research.services.speakers import (
    speaker_map,
    voice_profiles_apply,
    voice_profiles_suggest,
)
from research.services.voice_profiles import voice_cosine
from tests.builders import client_for, diarized, voice

AMARA, BEN = 1, 2


def meeting(team, owner, people, title="Call"):
    project, _ = Project.objects.get_or_create(team=team, slug="calls", defaults={"name": "C"})
    return conversation_create(
        team=team, created_by=owner, project=project, title=title, participants=people
    )


def consent(conversation, person, *, profile=True, given=True):
    return consent_record(
        conversation=conversation,
        person=person,
        given=given,
        may_record=True,
        may_transcribe=True,
        may_voice_profile=profile,
    )


@pytest.fixture
def amara(team):
    return Person.objects.create(team=team, name="Amara Okafor")


def first_call(team, owner, amara, *, profile=True, seconds=60.0):
    conversation = meeting(team, owner, [amara])
    consent(conversation, amara, profile=profile)
    transcript = diarized(
        team,
        conversation,
        [("Speaker 1", "We export every Monday."), ("Speaker 2", "Why Monday?")],
        voices={"Speaker 1": (voice(AMARA), seconds), "Speaker 2": (voice(BEN), 20.0)},
    )
    speaker_map(speaker=transcript.speakers.get(label="Speaker 1"), person=amara)
    return conversation, transcript


def later_call(team, owner, *, noise=0.6):
    conversation = meeting(team, owner, [], title="Later call")
    return diarized(
        team,
        conversation,
        [("Speaker 1", "Hello again."), ("Speaker 2", "Good to see you.")],
        voices={"Speaker 1": (voice(BEN), 15.0), "Speaker 2": (voice(AMARA, noise=noise), 40.0)},
    )


def test_no_profile_without_the_voice_profile_scope(team, owner, amara):
    first_call(team, owner, amara, profile=False)
    assert not VoiceProfile.objects.filter(person=amara).exists()


def test_no_profile_when_the_consent_was_withdrawn(team, owner, amara):
    conversation = meeting(team, owner, [amara])
    consent_withdraw(consent=consent(conversation, amara))
    transcript = diarized(
        team, conversation, [("Speaker 1", "Hi.")], voices={"Speaker 1": (voice(AMARA), 9.0)}
    )
    speaker_map(speaker=transcript.speakers.get(), person=amara)
    assert not VoiceProfile.objects.filter(person=amara).exists()


def test_profile_is_the_seconds_weighted_voice_and_mapping_twice_counts_once(team, owner, amara):
    conversation, transcript = first_call(team, owner, amara)
    profile = VoiceProfile.objects.get(person=amara)
    assert profile.seconds == 60.0 and voice_cosine(profile.embedding, voice(AMARA)) > 0.999
    one = transcript.speakers.get(label="Speaker 1")
    speaker_map(speaker=one, person=amara)
    assert VoiceProfile.objects.get(person=amara).seconds == 60.0
    # A second consenting conversation adds its seconds; the mean leans to the longer voice.
    second = meeting(team, owner, [amara], title="Second")
    consent(second, amara)
    other = diarized(team, second, [("A", "Hi.")], voices={"A": ([1.0] * 256, 20.0)})
    speaker_map(speaker=other.speakers.get(), person=amara)
    profile = VoiceProfile.objects.get(person=amara)
    assert profile.seconds == 80.0
    expected = [(60 * x + 20 * 1.0) / 80 for x in voice(AMARA)]
    assert profile.embedding == pytest.approx(expected)
    # Unmapping takes that voice out again.
    speaker_map(speaker=other.speakers.get(), person=None)
    assert VoiceProfile.objects.get(person=amara).seconds == 60.0


def test_a_later_speaker_is_suggested_and_confirmed_on_the_page(team, owner, amara, owner_client):
    team.voice_auto_apply = None
    team.voice_match_threshold = 0.80
    team.save()
    first_call(team, owner, amara)
    later = later_call(team, owner)
    (match,) = voice_profiles_suggest(transcript=later)
    assert (match.speaker.label, match.person, match.score >= 0.80) == ("Speaker 2", amara, True)
    assert match.score < 0.99  # a similar voice, not the same recording
    conversation = later.recording.conversation
    body = owner_client.get(conversation.get_absolute_url()).content.decode()
    assert f"sounds like Amara Okafor, {match.score:.2f}" in body
    url = reverse("research:speaker_voice_confirm", args=[match.speaker.uid])
    assert owner_client.post(url, {"person": str(amara.uid)}).status_code == 302
    mapped = later.speakers.get(label="Speaker 2")
    assert (mapped.person, mapped.name) == (amara, "Amara Okafor")
    assert conversation.participants.filter(pk=amara.pk).exists()
    assert set(later.segments.filter(index=1).values_list("speaker", flat=True)) == {"Amara Okafor"}
    # No consent in the later conversation: the profile does not learn from it.
    assert VoiceProfile.objects.get(person=amara).seconds == 60.0
    assert voice_profiles_suggest(transcript=later) == []


def test_below_the_threshold_nothing_is_suggested(team, owner, amara):
    first_call(team, owner, amara)
    team.voice_match_threshold = 0.99
    team.save()
    assert voice_profiles_suggest(transcript=later_call(team, owner)) == []


def test_above_the_auto_threshold_it_is_applied_when_the_transcript_is_written(team, owner, amara):
    first_call(team, owner, amara)
    team.voice_auto_apply, team.voice_match_threshold = 0.90, 0.80
    team.save()
    close = later_call(team, owner, noise=0.1)
    (applied,) = voice_profiles_apply(transcript=close)
    assert applied.score >= 0.90
    assert close.speakers.get(label="Speaker 2").person == amara
    assert close.speakers.get(label="Speaker 1").person is None
    farther = later_call(team, owner, noise=0.6)
    assert voice_profiles_apply(transcript=farther) == []
    assert [m.person for m in voice_profiles_suggest(transcript=farther)] == [amara]
    assert not farther.speakers.filter(person__isnull=False).exists()
    team.voice_auto_apply = None
    team.save()
    assert voice_profiles_apply(transcript=later_call(team, owner, noise=0.1)) == []


@pytest.mark.parametrize("change", ["withdraw", "scope_off", "not_given"])
def test_consent_no_longer_covering_profiles_deletes_it_at_once(team, owner, amara, change):
    conversation, _ = first_call(team, owner, amara)
    assert VoiceProfile.objects.filter(person=amara).exists()
    if change == "withdraw":
        consent_withdraw(consent=conversation.consents.get(person=amara))
    else:
        consent(conversation, amara, profile=change != "scope_off", given=change != "not_given")
    assert not VoiceProfile.objects.filter(person=amara).exists()
    event = AuditEvent.objects.filter(team=team, kind="erasure").get()
    assert "Voice profile of Amara Okafor deleted" in event.summary


def test_deleting_the_person_deletes_the_profile(team, owner, amara):
    first_call(team, owner, amara)
    person_delete(person=amara)
    assert not VoiceProfile.objects.exists()
    assert AuditEvent.objects.filter(team=team, kind="erasure").count() == 1


def test_person_page_shows_the_profile_and_an_editor_deletes_it(
    team, owner, amara, owner_client, viewer
):
    first_call(team, owner, amara)
    page = owner_client.get(amara.get_absolute_url()).content.decode()
    assert "built from 60 seconds of speech" in page
    url = reverse("research:voice_profile_delete", args=[amara.uid])
    assert client_for(viewer).post(url).status_code == 403
    assert VoiceProfile.objects.filter(person=amara).exists()
    assert owner_client.post(url).status_code == 302
    assert not VoiceProfile.objects.filter(person=amara).exists()
    assert "No voice profile." in owner_client.get(amara.get_absolute_url()).content.decode()


def test_team_thresholds_owner_only_and_checked(team, owner_client, teammate):
    url = reverse("research:voice_settings")
    data = {"voice_match_threshold": "0.85", "voice_auto_apply": ""}
    assert client_for(teammate).post(url, data).status_code == 403
    assert owner_client.post(url, data).status_code == 302
    team.refresh_from_db()
    assert (team.voice_match_threshold, team.voice_auto_apply) == (0.85, None)
    for bad in [
        {"voice_match_threshold": "1.5", "voice_auto_apply": ""},
        {"voice_match_threshold": "0.9", "voice_auto_apply": "0.8"},
        {"voice_match_threshold": "x", "voice_auto_apply": ""},
    ]:
        assert owner_client.post(url, bad).status_code == 400
        team.refresh_from_db()
        assert (team.voice_match_threshold, team.voice_auto_apply) == (0.85, None)


def test_consent_given_after_mapping_builds_the_profile_from_that_conversation(team, owner, amara):
    conversation = meeting(team, owner, [amara])
    consent(conversation, amara, profile=False)
    transcript = diarized(
        team, conversation, [("Speaker 1", "Hi.")], voices={"Speaker 1": (voice(AMARA), 12.0)}
    )
    speaker_map(speaker=transcript.speakers.get(), person=amara)
    assert not VoiceProfile.objects.filter(person=amara).exists()
    consent(conversation, amara, profile=True)
    assert VoiceProfile.objects.get(person=amara).seconds == 12.0


def test_a_recording_counts_once_however_many_versions_are_mapped(team, owner, amara):
    conversation, transcript = first_call(team, owner, amara)
    again = diarized(
        team,
        conversation,
        [("Speaker 1", "We export every Monday.")],
        voices={"Speaker 1": (voice(AMARA), 61.0)},
        version=2,
    )
    again.recording = transcript.recording
    again.save()
    speaker_map(speaker=again.speakers.get(), person=amara)
    assert VoiceProfile.objects.get(person=amara).seconds == 61.0
