from django.contrib.auth import get_user_model
from django.db import transaction

from research.models import Membership, Role, Team


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
    from .directory import project_create

    project = None
    if project_name.strip():
        project = project_create(team=team, name=project_name)
    return user, team, project


def membership_add(*, team: Team, user, role: str = Role.EDITOR) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        team=team, user=user, defaults={"role": role}
    )
    return membership
