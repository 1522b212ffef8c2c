"""Access-matrix cases for features."""

from research.services.features import feature_create

from . import Case
from .directory import object_cases


def build(team, owner) -> dict[str, Case]:
    return object_cases("feature", feature_create(team=team, name="Matrix feature"))
