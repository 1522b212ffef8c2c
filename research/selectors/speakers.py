"""Reads about speakers and voices: a person's voice profile."""

from research.models import Person, VoiceProfile


def voice_profile_of(*, person: Person) -> VoiceProfile | None:
    """The person's voice profile, without its embedding (pages show only that it exists)."""
    return (
        VoiceProfile.objects.filter(person=person).only("seconds", "updated_at", "person").first()
    )
