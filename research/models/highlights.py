"""Highlights: quotes cut from a transcript (with their time range) or from the notes."""

from django.conf import settings
from django.db import models
from taggit.managers import TaggableManager

from .base import ConsentedQuerySet, SpokenBy, TeamScoped
from .conversations import moment_url
from .tags import TaggedHighlight


class Highlight(SpokenBy, TeamScoped):
    """A quote from a transcript (with its time range) or from a conversation's notes."""

    conversation = models.ForeignKey(
        "research.Conversation", on_delete=models.CASCADE, related_name="highlights"
    )
    transcript = models.ForeignKey(
        "research.Transcript", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quote = models.TextField()
    start = models.FloatField(null=True, blank=True)
    end = models.FloatField(null=True, blank=True)
    speaker = models.CharField(max_length=100, blank=True)
    person = models.ForeignKey(
        "research.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_mixed = models.BooleanField(
        default=False, help_text="The quote spans more than one speaker; `speaker` said most"
    )
    by_interviewer = models.BooleanField(
        default=False, help_text="Said by the team's side: nobody's evidence"
    )
    comment = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = TaggableManager(through=TaggedHighlight, blank=True)

    objects = ConsentedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.quote[:80]

    @property
    def is_from_audio(self) -> bool:
        return self.start is not None and self.end is not None

    def get_absolute_url(self) -> str:
        """Its exact place: the conversation page, scrolled (and the audio seeked) to it."""
        start = self.start if self.is_from_audio else None
        return moment_url(
            self.conversation.uid, start, recording=self.recording_uid, highlight=self.uid
        )

    @property
    def recording_uid(self):
        """The recording it was cut from (None for a quote from the notes); load it with
        select_related("transcript__recording")."""
        return self.transcript.recording.uid if self.transcript_id else None
