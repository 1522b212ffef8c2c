import uuid

from django.db import models


class TeamScoped(models.Model):
    """Every research object belongs to exactly one team and is addressed publicly by a UUID."""

    team = models.ForeignKey("research.Team", on_delete=models.CASCADE, related_name="+")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def withdrawn_consent(conversation: str, person: str) -> models.Exists:
    """True for rows whose person (the `person` path) withdrew consent in the row's
    conversation (the `conversation` path): `qs.exclude(withdrawn_consent(...))` hides them."""
    from django.apps import apps

    consent = apps.get_model("research", "Consent")
    return models.Exists(
        consent.objects.filter(
            conversation_id=models.OuterRef(conversation),
            person_id=models.OuterRef(person),
            withdrawn_at__isnull=False,
        )
    )


class ConsentedQuerySet(models.QuerySet):
    """Rows spoken by a person (a transcript line, a highlight): `consented()` leaves out those
    whose speaker withdrew consent in the row's conversation."""

    def consented(self):
        return self.exclude(withdrawn_consent("conversation_id", "person_id"))


class SpokenBy:
    """For rows with a speaker label and an optional person (a transcript line, a highlight)."""

    @property
    def speaker_label(self) -> str:
        """Who said it, the same everywhere: the mapped person's name, else the speaker label."""
        return self.person.name if self.person_id else self.speaker


def unique_slug(taken_in: models.QuerySet, base: str, field: str = "slug") -> str:
    """`base`, or `base-2`, `base-3`… whichever is not yet used in `taken_in` (one team's rows)."""
    taken = set(taken_in.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    slug, i = base, 1
    while slug in taken:
        i += 1
        slug = f"{base}-{i}"
    return slug
