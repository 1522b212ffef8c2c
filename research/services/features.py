"""Features: what the product team builds, with an owner and a tracker link."""

from django.core.exceptions import ValidationError
from django.db import transaction

from research.models import Feature, Team
from research.models.features import tracker_url_validator

from .base import model_save


def _tracker_url(url: str) -> str:
    url = (url or "").strip()
    if url:
        try:
            tracker_url_validator(url)
        except ValidationError as error:
            raise ValidationError({"tracker_url": error.messages}) from None
    return url


def _check_owner(team: Team, owner) -> None:
    if owner is not None and not owner.memberships.filter(team=team).exists():
        raise ValidationError({"owner": "The owner must be a member of your team."})


@transaction.atomic
def feature_create(*, team: Team, tracker_url: str = "", owner=None, **fields) -> Feature:
    _check_owner(team, owner)
    return model_save(
        Feature(team=team), tracker_url=_tracker_url(tracker_url), owner=owner, **fields
    )


@transaction.atomic
def feature_update(*, feature: Feature, **fields) -> Feature:
    if "tracker_url" in fields:
        fields["tracker_url"] = _tracker_url(fields["tracker_url"])
    if "owner" in fields:
        _check_owner(feature.team, fields["owner"])
    return model_save(feature, **fields)


@transaction.atomic
def feature_delete(*, feature: Feature) -> None:
    feature.delete()
