"""Invitations to a team: an owner invites an e-mail address with a role; the link carries a
signed, expiring token of the invitation's uid; the invitee accepts it while signed in (or
creates an account through it). Nothing here tells the owner whether an account exists."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from research.ids import uuid_or_none
from research.models import AuditKind, Invitation, Membership, Role, Team

from .audit import audit_record

_SALT = "fieldnotes.invitation"


class InvitationInvalid(Exception):
    """The link is not an invitation (tampered, mistyped), or no longer one (expired, used,
    revoked). `gone` tells the two apart: 404 against 410."""

    def __init__(self, message: str, *, gone: bool = False):
        super().__init__(message)
        self.gone = gone


def invitation_lifetime() -> timedelta:
    return timedelta(days=settings.FIELDNOTES_INVITATION_DAYS)


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(str(invitation.uid), salt=_SALT, compress=False)


def invitation_from_token(token: str) -> Invitation:
    try:
        uid = signing.loads(token, salt=_SALT, max_age=invitation_lifetime().total_seconds())
    except signing.SignatureExpired:
        raise InvitationInvalid(
            "This invitation has expired: ask for a new one.", gone=True
        ) from None
    except signing.BadSignature:
        raise InvitationInvalid("This is not a valid invitation link.") from None
    invitation = (
        Invitation.objects.select_related("team", "invited_by")
        .filter(uid=uuid_or_none(uid))
        .first()
    )
    if invitation is None:
        raise InvitationInvalid("This is not a valid invitation link.")
    if invitation.revoked_at is not None:
        raise InvitationInvalid("This invitation was withdrawn.", gone=True)
    if invitation.accepted_at is not None:
        raise InvitationInvalid("This invitation has been used already.", gone=True)
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            "This invitation has expired: ask for a new one.", gone=True
        ) from None
    return invitation


@transaction.atomic
def invitation_create(
    *, team: Team, email: str, role: str, invited_by, link_for, request: HttpRequest | None = None
) -> tuple[Invitation, str]:
    """A new invitation and its link (`link_for(token)` makes it absolute). The link is e-mailed
    once the transaction commits, when e-mail is set up."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, editor or viewer."})
    invitation = Invitation(
        team=team,
        email=email.strip(),
        role=role,
        invited_by=invited_by,
        expires_at=timezone.now() + invitation_lifetime(),
    )
    invitation.full_clean()
    invitation.save()
    link = link_for(invitation_token(invitation))
    audit_record(
        kind=AuditKind.MEMBERSHIP,
        summary=f"Invited {invitation.email} as {role}",
        team=team,
        actor=invited_by,
        target=invitation.uid,
        request=request,
    )
    if settings.FIELDNOTES_EMAIL_URL:
        transaction.on_commit(lambda: _send(invitation, link))
    return invitation, link


def _send(invitation: Invitation, link: str) -> None:
    inviter = invitation.invited_by.get_username() if invitation.invited_by else "A team owner"
    days = settings.FIELDNOTES_INVITATION_DAYS
    send_mail(
        subject=f"Join {invitation.team.name} on Fieldnotes",
        message=(
            f"{inviter} invites you to the team “{invitation.team.name}” on Fieldnotes as "
            f"{invitation.get_role_display().lower()}.\n\nOpen this link within {days} days to "
            f"accept (sign in, or create an account):\n\n{link}\n"
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor, request: HttpRequest | None = None) -> None:
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation was accepted already.")
    if invitation.revoked_at is None:
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        audit_record(
            kind=AuditKind.MEMBERSHIP,
            summary=f"Withdrew the invitation of {invitation.email}",
            team=invitation.team,
            actor=actor,
            target=invitation.uid,
            request=request,
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, request: HttpRequest | None = None):
    """The signed-in invitee joins with the invited role; the invitation is used up."""
    # The row lock makes two simultaneous accepts of one link join only one person.
    invitation = Invitation.objects.select_for_update().select_related("team").get(pk=invitation.pk)
    if not invitation.is_open:
        raise ValidationError("This invitation is no longer open.")
    if Membership.objects.filter(team=invitation.team, user=user).exists():
        raise ValidationError(f"You are in “{invitation.team.name}” already.")
    membership = Membership.objects.create(team=invitation.team, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    inviter = invitation.invited_by.get_username() if invitation.invited_by else "an owner"
    audit_record(
        kind=AuditKind.MEMBERSHIP,
        summary=f"{user.get_username()} joined as {invitation.role} (invited by {inviter})",
        team=invitation.team,
        actor=user,
        target=membership.uid,
        request=request,
    )
    return membership


@transaction.atomic
def account_create_for_invitation(
    *, invitation: Invitation, username: str, email: str, password: str, request=None
):
    """A new account made through an invitation link, which it then accepts."""
    user_model = get_user_model()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is taken: choose another, or sign in."})
    user = user_model(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    invitation_accept(invitation=invitation, user=user, request=request)
    return user
