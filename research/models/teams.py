import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone


class Team(models.Model):
    """A workspace. Nothing is shared between teams."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    require_owner_mfa = models.BooleanField(
        default=False,
        verbose_name="Owners must use two-factor sign-in",
        help_text="An owner without it is sent to set it up before anything else.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    voice_match_threshold = models.FloatField(
        default=0.860,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text="Suggest a voice profile's person for a speaker from this similarity (0.5-1)",
    )
    voice_auto_apply = models.FloatField(
        null=True,
        blank=True,
        default=0.90,
        validators=[MinValueValidator(0.5), MaxValueValidator(1.0)],
        help_text="Map the speaker without asking from this similarity; blank: always ask",
    )

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    created_at = models.DateTimeField(auto_now_add=True)
    # An owner of this team set a one-time password: the member changes it at next sign-in.
    must_change_password = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="membership_unique_team_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"

    @property
    def can_edit(self) -> bool:
        return self.role in (Role.OWNER, Role.EDITOR)


class Invitation(models.Model):
    """An owner's invitation to join a team with a role. The link carries a signed token of the
    uid (research/services/invitations.py); the invitee accepts it while signed in."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(help_text="Who it is for; the link is sent there if e-mail is set up")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["team", "-created_at"], name="invitation_team_created")]

    def __str__(self) -> str:
        return f"{self.email} to {self.team} ({self.role})"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
