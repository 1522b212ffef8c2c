import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from research.models import AuditKind, Membership, Role, Team

from .audit import audit_record
from .directory import project_create


@transaction.atomic
def team_create(*, name: str, owner) -> Team:
    team = Team.objects.create(name=name.strip())
    Membership.objects.create(team=team, user=owner, role=Role.OWNER)
    return team


@transaction.atomic
def first_admin_setup(
    *, username: str, email: str, password: str, team_name: str, project_name: str
):
    """Create the first administrator, their team and a first project (only when no user exists)."""
    user_model = get_user_model()
    if user_model.objects.exists():
        raise ValueError("Setup is done already: sign in instead.")
    user = user_model.objects.create_superuser(username=username, email=email, password=password)
    team = team_create(name=team_name, owner=user)
    project = None
    if project_name.strip():
        project = project_create(team=team, name=project_name)
    return user, team, project


def membership_add(*, team: Team, user, role: str = Role.EDITOR) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership


def _check_not_last_owner(membership: Membership) -> None:
    if membership.role == Role.OWNER and not (
        Membership.objects.filter(team=membership.team, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError("A team needs at least one owner: make someone else owner first.")


@transaction.atomic
def member_set_role(
    *, membership: Membership, role: str, actor=None, request: HttpRequest | None = None
) -> Membership:
    if role not in Role.values:
        raise ValidationError("Choose owner, editor or viewer.")
    if role != Role.OWNER:
        _check_not_last_owner(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    if before != role:
        audit_record(
            kind=AuditKind.ROLE,
            summary=f"{membership.user.get_username()}: {before} → {role}",
            team=membership.team,
            actor=actor,
            target=membership.uid,
            request=request,
        )
    return membership


@transaction.atomic
def member_remove(
    *, membership: Membership, actor=None, request: HttpRequest | None = None
) -> None:
    _check_not_last_owner(membership)
    audit_record(
        kind=AuditKind.MEMBERSHIP,
        summary=f"{membership.user.get_username()} removed from the team (was {membership.role})",
        team=membership.team,
        actor=actor,
        target=membership.uid,
        request=request,
    )
    membership.delete()


@transaction.atomic
def team_settings_update(
    *, team: Team, require_owner_mfa: bool, actor=None, request: HttpRequest | None = None
) -> Team:
    if team.require_owner_mfa != require_owner_mfa:
        team.require_owner_mfa = require_owner_mfa
        team.save(update_fields=["require_owner_mfa"])
        state = "required" if require_owner_mfa else "no longer required"
        audit_record(
            kind=AuditKind.MFA,
            summary=f"Two-factor sign-in {state} for owners",
            team=team,
            actor=actor,
            request=request,
        )
    return team


ONE_TIME_PASSWORD_BYTES = 9  # 12 characters of URL-safe base64


@transaction.atomic
def member_password_reset(*, membership: Membership, by, request=None) -> str:
    """An owner sets a one-time password for a member who forgot theirs; it is shown once to
    the owner and must be changed at the member's next sign-in. Returns the password."""
    if membership.user_id == by.pk:
        raise ValidationError("Change your own password from the sign-in menu, not here.")
    password = secrets.token_urlsafe(ONE_TIME_PASSWORD_BYTES)
    membership.user.set_password(password)
    membership.user.save(update_fields=["password"])
    membership.must_change_password = True
    membership.save(update_fields=["must_change_password"])
    audit_record(
        kind=AuditKind.MEMBERSHIP,
        summary=f"One-time password set for {membership.user.get_username()}",
        team=membership.team,
        actor=by,
        target=membership.uid,
        request=request,
    )
    return password


@transaction.atomic
def member_password_changed(*, user) -> None:
    """The member chose a password of their own: no team asks them to change it any more."""
    Membership.objects.filter(user=user, must_change_password=True).update(
        must_change_password=False
    )
