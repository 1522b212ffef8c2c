"""Who speaks in a transcript (one row per voice, named once for all its lines) and the voice
profiles that recognise a consenting person in later recordings."""

from django.core.validators import MaxValueValidator
from django.db import models

from .base import TeamScoped

# Speakers take the colours .spk-0 … .spk-7 in order of appearance, then start again.
SPEAKER_COLOURS = 8


class Speaker(TeamScoped):
    """One voice of a transcript. Its lines carry a copy of `name` (Segment.speaker, which
    search filters and exports read), so a rename is one UPDATE of those lines."""

    transcript = models.ForeignKey(
        "research.Transcript", on_delete=models.CASCADE, related_name="speakers"
    )
    label = models.CharField(
        max_length=100, help_text="The label detection gave it; the key into Transcript.voices"
    )
    name = models.CharField(max_length=100, help_text="Shown on each of its lines")
    person = models.ForeignKey(
        "research.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_interviewer = models.BooleanField(
        default=False, help_text="One of the team asking: its words are nobody's evidence"
    )
    colour = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(SPEAKER_COLOURS - 1)]
    )

    class Meta:
        ordering = ["transcript_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "label"], name="speaker_unique_transcript_label"
            ),
            models.UniqueConstraint(
                fields=["transcript", "name"], name="speaker_unique_transcript_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def css_class(self) -> str:
        return f"spk-{self.colour}"


class VoiceProfile(TeamScoped):
    """A person's voice, kept only while a consent of theirs covers voice profiles.

    `sources` holds each voice it was built from ({"<transcript uid>/<label>": {"embedding",
    "seconds"}}), so mapping the same speaker again does not count it twice; `embedding` is
    their mean weighted by seconds.
    """

    person = models.OneToOneField(
        "research.Person", on_delete=models.CASCADE, related_name="voice_profile"
    )
    embedding = models.JSONField(default=list)
    seconds = models.FloatField(default=0.0)
    sources = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"Voice profile of {self.person}"
