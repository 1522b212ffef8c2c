"""What every service does: validate fully before saving, and keep to one team."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models, transaction


@transaction.atomic
def model_save(instance: models.Model, **fields) -> models.Model:
    """Set fields, validate every field and constraint (team-scoped uniqueness included), save."""
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def check_same_team(team_id: int, objects: Iterable, *, field: str, label: str) -> list:
    """The objects, as a list, if each belongs to the team; else a ValidationError on `field`
    ("Choose <label> of your team."). None stands for "not chosen" and passes."""
    objects = list(objects)
    if any(obj is not None and obj.team_id != team_id for obj in objects):
        raise ValidationError({field: f"Choose {label} of your team."})
    return objects
