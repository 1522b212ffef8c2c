"""Voice profiles: built from the voices of speakers mapped to a person who consented to one,
and deleted at once when no consent covers them any more or the person goes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from research.models import AuditKind, Consent, Person, Speaker, VoiceProfile
from research.speakers.voices import voice_similarity

from .audit import audit_record


def voice_cosine(a: Iterable[float], b: Iterable[float]) -> float:
    """Cosine similarity of two embeddings; 0.0 when either is empty, zero or of another size."""
    try:
        return voice_similarity(list(a), list(b))
    except ValueError:
        return 0.0


def voice_mean(voices: Iterable[dict]) -> tuple[list[float], float]:
    """The seconds-weighted mean embedding of voices ({"embedding", "seconds"}), and seconds."""
    total, mean = 0.0, []
    for voice in voices:
        seconds, embedding = float(voice.get("seconds") or 0), voice.get("embedding") or []
        if seconds <= 0 or not embedding:
            continue
        if not mean:
            mean = [0.0] * len(embedding)
        if len(embedding) != len(mean):
            continue
        mean = [m + seconds * x for m, x in zip(mean, embedding, strict=True)]
        total += seconds
    return ([m / total for m in mean] if total else []), total


def usable_voice(voice) -> bool:
    return (
        isinstance(voice, dict)
        and isinstance(voice.get("embedding"), list)
        and bool(voice["embedding"])
        and float(voice.get("seconds") or 0) > 0
    )


def voice_consented(*, person: Person, conversation_id: int) -> bool:
    """True when the person's consent for that conversation is active and covers profiles."""
    consent = Consent.objects.filter(person=person, conversation_id=conversation_id).first()
    return consent is not None and consent.is_active and consent.may_voice_profile


def _source_key(speaker: Speaker) -> str:
    """One voice per person per recording: a re-transcribed version does not count twice."""
    return str(speaker.transcript.recording.uid)


def _save(profile: VoiceProfile) -> None:
    profile.embedding, profile.seconds = voice_mean(profile.sources.values())
    if profile.seconds <= 0:
        profile.delete()
    else:
        profile.save()


@transaction.atomic
def voice_profile_learn(*, speaker: Speaker) -> VoiceProfile | None:
    """Add the speaker's voice to their person's profile, if that person consented to a profile
    in this conversation and the transcript holds the speaker's voice; else change nothing."""
    person = speaker.person
    if person is None:
        return None
    transcript = speaker.transcript
    voice = (transcript.voices or {}).get(speaker.label)
    if not usable_voice(voice):
        return None
    if not voice_consented(person=person, conversation_id=transcript.recording.conversation_id):
        return None
    profile = VoiceProfile.objects.filter(person=person).first()
    if profile is None:
        profile = VoiceProfile(team_id=person.team_id, person=person, sources={})
    profile.sources[_source_key(speaker)] = {
        "speaker": str(speaker.uid),
        "embedding": [float(x) for x in voice["embedding"]],
        "seconds": float(voice["seconds"]),
    }
    _save(profile)
    return profile if profile.pk else None


@transaction.atomic
def voice_profile_unlearn(*, speaker: Speaker, person: Person | None) -> None:
    """Take the speaker's voice out of `person`'s profile (the speaker is no longer theirs)."""
    if person is None:
        return
    profile = VoiceProfile.objects.filter(person=person).first()
    if profile is None:
        return
    source = profile.sources.get(_source_key(speaker))
    if source is not None and source.get("speaker") == str(speaker.uid):
        del profile.sources[_source_key(speaker)]
        _save(profile)


@transaction.atomic
def voice_profile_delete(*, person: Person, reason: str, actor=None, request=None) -> bool:
    """Delete the person's voice profile now; True if there was one. Audited without the voice."""
    deleted, _ = VoiceProfile.objects.filter(person=person).delete()
    if deleted:
        audit_record(
            kind=AuditKind.ERASURE,
            summary=f"Voice profile of {person.name} deleted: {reason}",
            team=person.team,
            actor=actor,
            target=person.uid,
            request=request,
        )
    return bool(deleted)


def voice_profile_consent_check(*, consent: Consent, actor=None, request=None) -> bool:
    """After a consent is saved: when it no longer covers voice profiles, the profile goes (True);
    when it does, the person's speakers in that conversation's newest transcripts teach it."""
    if consent.is_active and consent.may_voice_profile:
        speakers = Speaker.objects.filter(
            person=consent.person, transcript__recording__conversation=consent.conversation_id
        ).select_related("transcript__recording", "person")
        newest: dict[int, Speaker] = {}
        for speaker in speakers.order_by("transcript__version", "id"):
            newest[speaker.transcript.recording_id] = speaker
        for speaker in newest.values():
            voice_profile_learn(speaker=speaker)
        return False
    return voice_profile_delete(
        person=consent.person,
        reason=f"consent for {consent.conversation} no longer covers voice profiles",
        actor=actor,
        request=request,
    )
