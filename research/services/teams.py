from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import Membership, Role, Team

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
def member_invite(
    *, team: Team, username: str, email: str = "", password: str = "", role: str = Role.EDITOR
) -> Membership:
    """Add an existing user to the team, or create the account with a first password."""
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, editor or viewer."})
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise ValidationError({"password": "Give the new account a first password."})
        user = user_model(username=username, email=email)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from None
        user.set_password(password)
        user.full_clean()
        user.save()
    elif Membership.objects.filter(team=team, user=user).exists():
        raise ValidationError({"username": f"{username} is already in this team."})
    return Membership.objects.create(team=team, user=user, role=role)


@transaction.atomic
def member_set_role(*, membership: Membership, role: str) -> Membership:
    if role not in Role.values:
        raise ValidationError("Choose owner, editor or viewer.")
    if role != Role.OWNER:
        _check_not_last_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    _check_not_last_owner(membership)
    membership.delete()
