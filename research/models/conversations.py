from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from taggit.managers import TaggableManager

from .base import TeamScoped
from .tags import TaggedConversation


class ConversationKind(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    SITE_VISIT = "site_visit", "Site visit"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    OTHER = "other", "Other"


class Conversation(TeamScoped):
    project = models.ForeignKey(
        "research.Project", on_delete=models.PROTECT, related_name="conversations"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=12, choices=ConversationKind.choices, default=ConversationKind.INTERVIEW
    )
    occurred_at = models.DateTimeField("when", default=timezone.now)
    location = models.CharField("where", max_length=200, blank=True)
    participants = models.ManyToManyField(
        "research.Person", blank=True, related_name="conversations"
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="conversations_led"
    )
    notes = models.TextField(blank=True, help_text="Markdown")
    language = models.CharField(
        max_length=12,
        blank=True,
        help_text="Spoken language code for transcription; blank = detect",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    client_id = models.CharField(
        max_length=64,
        blank=True,
        help_text="A site visit logged offline: the device's id for it, so a resend is one visit",
    )
    tags = TaggableManager(through=TaggedConversation, blank=True)
    retention_protected = models.BooleanField(
        "protected from retention", default=False, help_text="Retention runs never delete it"
    )

    class Meta:
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "client_id"],
                condition=~models.Q(client_id=""),
                name="conversation_client_id",
            )
        ]
        # Search filters list the ids of a team's conversations by project, kind or date;
        # with the id in the index that needs no table rows.
        indexes = [
            models.Index(fields=["team", "-occurred_at", "id"], name="conversation_team_when"),
            models.Index(fields=["team", "kind", "id"], name="conversation_team_kind"),
            models.Index(fields=["team", "project", "id"], name="conversation_team_project"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("research:conversation_detail", args=[self.uid])


def moment_url(
    conversation_uid,
    start: float | None = None,
    *,
    recording=None,
    highlight=None,
    segment: int | None = None,
) -> str:
    """The conversation page at one moment: `?recording=` names the recording whose player
    seeks (a conversation may have several), `?highlight=` or `?segment=` what to mark,
    `#t=<seconds>` the time; a highlight from the notes goes to its mark instead."""
    url = reverse("research:conversation_detail", args=[conversation_uid])
    query = [f"recording={recording}"] if recording and start is not None else []
    query += [f"highlight={highlight}"] if highlight else []
    query += [f"segment={segment}"] if segment is not None else []
    url += f"?{'&'.join(query)}" if query else ""
    if start is not None:
        return url + "#t=" + f"{float(start):.2f}".rstrip("0").rstrip(".")
    return url + (f"#hl-{highlight}" if highlight else "")


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbal, on the recording"
    WRITTEN = "written", "Written / signed form"
    EMAIL = "email", "By email"
    OTHER = "other", "Other"


class Consent(TeamScoped):
    """What one participant agreed to for one conversation."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="consents"
    )
    person = models.ForeignKey("research.Person", on_delete=models.CASCADE, related_name="consents")
    given = models.BooleanField(default=False)
    may_record = models.BooleanField(default=False)
    may_transcribe = models.BooleanField(default=False)
    may_quote = models.BooleanField("may quote inside the team", default=False)
    may_quote_outside = models.BooleanField(
        "may quote outside the team",
        default=False,
        help_text="Exports, the API and shared briefs",
    )
    may_voice_profile = models.BooleanField(
        "may keep a voice profile",
        default=False,
        help_text="A voice embedding that recognises them in later recordings",
    )
    method = models.CharField(max_length=10, choices=ConsentMethod.choices, blank=True)
    obtained_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["person__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "person"], name="consent_unique_conversation_person"
            )
        ]

    def __str__(self) -> str:
        return f"Consent of {self.person} for {self.conversation}"

    @property
    def is_active(self) -> bool:
        return self.given and self.withdrawn_at is None

    @property
    def scope_labels(self) -> list[str]:
        labels = [("record", self.may_record), ("transcribe", self.may_transcribe)]
        labels.append(("quote", self.may_quote))
        labels.append(("quote outside", self.may_quote_outside))
        labels.append(("voice profile", self.may_voice_profile))
        return [name for name, allowed in labels if allowed]
